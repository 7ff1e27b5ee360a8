"""``niaga plugin new``: write a new plugin distribution from ``scaffold_template/``.

The template is a folder tree whose file names end in ``.tmpl``; ``@@key@@`` markers in
names and contents are replaced (``@@name@@`` is the plugin name), and a leading ``dot-``
becomes ``.`` (package data globs skip hidden files, so the template avoids them). The
result installs with ``pip install -e`` and passes its own tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from packaging.version import Version

from niaga import __version__
from niaga.errors import Conflict, Invalid
from niaga.meta import NAME_PATTERN

TEMPLATE = Path(__file__).parent / "scaffold_template"
SUFFIX = ".tmpl"
MARKER = re.compile(r"@@(\w+)@@")
EXECUTABLE = {".ci/run"}
RESERVED = {"core", "niaga", "plugin", "plugins", "test", "tests"}


def installed_plugin_names() -> set[str]:
    """Names of the plugins installed in this environment (loaded or not)."""
    return {ep.name for ep in entry_points(group="niaga.plugins")}


def check_name(name: str, taken: Iterable[str]) -> None:
    """Refuse a name that is not a lowercase identifier or that is already in use."""
    if not NAME_PATTERN.match(name):
        raise Invalid(
            "Plugin name '{name}' is not valid: use 2 to 31 lowercase letters, digits and "
            "underscores, starting with a letter (for example stock_sync)",
            name=name,
        )
    if name in RESERVED or name in set(taken):
        raise Conflict(
            "Plugin name {name} is already taken by an installed plugin or by Niaga itself",
            name=name,
        )


def values_for(name: str, today: dt.date | None = None) -> dict[str, str]:
    """What the ``@@key@@`` markers stand for."""
    version = Version(__version__)
    core_next = f"0.{version.minor + 1}" if version.major == 0 else f"{version.major + 1}"
    return {
        "name": name,
        "dist": name.replace("_", "-"),
        "label": name.replace("_", " ").title(),
        "core_min": f"{version.major}.{version.minor}",
        "core_next": core_next,
        "date": (today or dt.date.today()).isoformat(),
    }


def render(text: str, values: dict[str, str]) -> str:
    """Replace every ``@@key@@``; an unknown key is a bug in the template."""
    return MARKER.sub(lambda found: values[found.group(1)], text)


def target_path(relative: Path, values: dict[str, str]) -> Path:
    parts = [render(part, values) for part in relative.parts]
    parts = ["." + part[4:] if part.startswith("dot-") else part for part in parts]
    parts[-1] = parts[-1].removesuffix(SUFFIX)
    return Path(*parts)


def create_plugin(name: str, destination: Path, taken: Iterable[str] | None = None) -> list[Path]:
    """Write the distribution ``niaga-<name>`` into ``destination`` (which must not exist
    or be empty); returns the files written, relative to it."""
    check_name(name, installed_plugin_names() if taken is None else taken)
    if destination.exists() and any(destination.iterdir()):
        raise Conflict("{path} exists and is not empty", path=str(destination))
    values = values_for(name)
    written = []
    for source in sorted(TEMPLATE.rglob(f"*{SUFFIX}")):
        relative = target_path(source.relative_to(TEMPLATE), values)
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(source.read_text(encoding="utf-8"), values), encoding="utf-8")
        if relative.as_posix() in EXECUTABLE:
            target.chmod(0o755)
        written.append(relative)
    return written
