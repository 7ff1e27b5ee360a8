"""Running Alembic migrations for core and each plugin.

Every package keeps its migrations in its own folder and its own version table
(``<name>_alembic_version``); they share one ``env.py`` (``niaga/migrations/env.py``) and
one metadata. Migrations run on the caller's connection, inside its transaction, so
enabling a plugin and creating its tables commit together.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

ENV_FOLDER = Path(__file__).parent / "migrations"


def alembic_config(name: str, versions: Path, connection: Connection | None = None) -> Config:
    """An Alembic configuration for package ``name`` with migrations in ``versions``."""
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
    command.upgrade(alembic_config(name, versions, connection), target)


def downgrade_to_base(connection: Connection, name: str, versions: Path) -> None:
    """Remove package ``name``'s tables (used by ``niaga plugins purge``)."""
    command.downgrade(alembic_config(name, versions, connection), "base")


def is_current(connection: Connection, name: str, versions: Path) -> bool:
    """Whether the database is at the newest revision of package ``name``."""
    script = ScriptDirectory.from_config(alembic_config(name, versions))
    context = MigrationContext.configure(connection, opts={"version_table": version_table(name)})
    return set(context.get_current_heads()) == set(script.get_heads())


def revision(connection: Connection, name: str, versions: Path, message: str) -> Path | None:
    """Autogenerate a new migration for package ``name`` from the models; the file is
    tidied with ruff (when installed) so it passes the plugin's own lint."""
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
