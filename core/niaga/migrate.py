"""Running Alembic migrations for core and each plugin.

Every package keeps its migrations in its own folder and its own version table
(``<name>_alembic_version``); they share one ``env.py`` (``niaga/migrations/env.py``) and
one metadata. Migrations run on the caller's connection, inside its transaction, so
enabling a plugin and creating its tables commit together.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

if TYPE_CHECKING:  # Alembic is imported when a migration runs, not to serve (start-up time)
    from alembic.config import Config

ENV_FOLDER = Path(__file__).parent / "migrations"


def alembic_config(name: str, versions: Path, connection: Connection | None = None) -> Config:
    """An Alembic configuration for package ``name`` with migrations in ``versions``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ENV_FOLDER))
    config.set_main_option("version_locations", str(versions))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["plugin_name"] = name
    config.attributes["version_table"] = version_table(name)
    return config


def version_table(name: str) -> str:
    return f"{name}_alembic_version"


def upgrade(connection: Connection, name: str, versions: Path, target: str = "heads") -> None:
    """Bring package ``name``'s tables up to ``target``."""
    from alembic import command

    command.upgrade(alembic_config(name, versions, connection), target)


def downgrade_to_base(connection: Connection, name: str, versions: Path) -> None:
    """Remove package ``name``'s tables (used by ``niaga plugins purge``)."""
    from alembic import command

    command.downgrade(alembic_config(name, versions, connection), "base")


def is_current(connection: Connection, name: str, versions: Path) -> bool:
    """Whether the database is at the newest revision of package ``name``.

    Answered without Alembic (``/readyz`` asks it at every call, starting with the first
    after launch): the heads are the revisions of ``versions`` no other revision follows,
    read from the files' ``revision``/``down_revision`` assignments; the database's are the
    rows of the package's version table."""
    table = sa.table(version_table(name), sa.column("version_num"))
    if not sa.inspect(connection).has_table(table.name):
        current: set[str] = set()
    else:
        current = set(connection.execute(sa.select(table.c.version_num)).scalars())
    return current == script_heads(versions)


def script_heads(versions: Path) -> set[str]:
    """The head revisions of the migration files in ``versions`` (as Alembic's heads)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in versions.glob("*.py"):
        found = _assigned(path, ("revision", "down_revision"))
        revision = found.get("revision")
        if isinstance(revision, str):
            revisions.add(revision)
            down = found.get("down_revision")
            if isinstance(down, str):
                followed.add(down)
            elif isinstance(down, tuple | list):
                followed.update(str(item) for item in down)
    return revisions - followed


def _assigned(path: Path, names: tuple[str, ...]) -> dict[str, object]:
    """Literal values assigned to ``names`` at the top of a Python file (before its first
    function: only that head is parsed, which keeps ``/readyz`` quick to answer)."""
    found: dict[str, object] = {}
    head = path.read_text(encoding="utf-8").split("\ndef ", 1)[0]
    for node in ast.parse(head).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            try:
                found[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return found


def revision(connection: Connection, name: str, versions: Path, message: str) -> Path | None:
    """Autogenerate a new migration for package ``name`` from the models; the file is
    tidied with ruff (when installed) so it passes the plugin's own lint."""
    from alembic import command

    versions.mkdir(parents=True, exist_ok=True)
    written = command.revision(
        alembic_config(name, versions, connection),
        message=message,
        autogenerate=True,
        version_path=str(versions),
    )
    scripts = written if isinstance(written, list) else [written]
    paths = [Path(script.path) for script in scripts if script is not None]
    for path in paths:
        tidy(path)
    return paths[0] if paths else None


def tidy(path: Path) -> bool:
    """Fix what ruff can fix in a generated file (unused imports, import order, quotes,
    long lines), using the plugin's own ruff settings; ``False`` when ruff is missing."""
    if importlib.util.find_spec("ruff") is None:
        return False
    for args in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
        subprocess.run(
            [sys.executable, "-m", "ruff", *args, str(path)],
            cwd=path.parent,
            check=False,
            capture_output=True,
        )
    return True
