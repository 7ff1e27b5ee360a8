"""Per-application state, and how code reaches it from a request, command or job.

Following Flask's extension rules, nothing keeps the app: the :class:`Niaga` object lives in
``app.extensions["niaga"]`` and these functions find it through ``current_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from niaga import config_version
from niaga.db import session
from niaga.memo import memo
from niaga.models import PluginState, Setting
from niaga.plugins import CORE, HookRelay, PluginHost

T = TypeVar("T")


@dataclass
class Niaga:
    """What one Niaga application owns."""

    host: PluginHost
    engine: Engine
    sessionmaker: sessionmaker[Session]
    #: blueprint name -> plugin name, for the disabled-plugin gate
    blueprint_owner: dict[str, str]
    #: values derived from the installed plugins alone (settings schemas), kept per process
    derived: dict[Any, Any] = field(default_factory=dict)
    #: name -> (configuration version, value) read from the database, kept per process
    #: while the version stays the same (:func:`shared`)
    shared_values: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def use_engine(self, engine: Engine) -> None:
        """Serve from ``engine`` from now on (``niaga serve`` sizes its pool), closing the
        old one's idle connections."""
        old, self.engine = self.engine, engine
        self.sessionmaker.configure(bind=engine)
        old.dispose()


def niaga() -> Niaga:
    return current_app.extensions["niaga"]


def enabled_plugins() -> frozenset[str]:
    """Enabled plugins, read once per app context (request, command, job), in the same
    statement as the stored settings (:func:`stored_settings`)."""
    cached = g.get("_niaga_enabled")
    if cached is None:
        cached = _read_configuration(session())
        g._niaga_enabled = cached
    return cached


def stored_settings(db: Session) -> dict[str | None, Any]:
    """The stored settings of ``db``'s transaction, ``{plugin: {name: stored value}}``
    (secrets still sealed), read once per transaction (:mod:`niaga.memo`)."""
    loaded = memo(db, "settings")
    if not loaded:
        _read_configuration(db)
    return loaded


def shared(db: Session, name: str, load: Callable[[Session], T]) -> T:
    """``load(db)``, or the value a transaction of this process loaded at the configuration
    version ``db``'s transaction saw. Only for values read from watched tables (core's
    plugin state and settings, and the tables plugins watch), never changed by the caller."""
    values = niaga().shared_values
    seen = config_version.seen(db)
    if seen is not None:
        entry = values.get(name)
        if entry is not None and entry[0] == seen:
            return cast(T, entry[1])
    value = load(db)
    # the version read before (or with) the rows: the rows are at least that recent
    seen = config_version.seen(db)
    if seen is not None:
        values[name] = (seen, value)
    return value


def _read_configuration(db: Session) -> frozenset[str]:
    """The enabled plugins, and the stored settings into their memo (a copy: a transaction
    may change its own)."""
    enabled, stored = shared(db, "configuration", _load_configuration)
    loaded = memo(db, "settings")
    loaded.clear()
    loaded[None] = True  # read, even when nothing is stored
    loaded.update((plugin, dict(values)) for plugin, values in stored.items())
    return frozenset(enabled & set(niaga().host.loaded_names()))


def _load_configuration(db: Session) -> tuple[frozenset[str], dict[str, dict[str, Any]]]:
    """The enabled plugins and the stored settings in one statement, with the configuration
    version: every request needs the first and most need the second; both tables are small."""
    version = config_version.column()
    plugins = sa.select(
        sa.literal("plugin"), PluginState.name, sa.cast(sa.null(), sa.JSON), version
    ).where(PluginState.enabled.is_(True))
    stored = sa.select(sa.literal("setting"), Setting.key, Setting.stored, version)
    enabled = set()
    settings: dict[str, dict[str, Any]] = {}
    for kind, name, value, seen in db.execute(sa.union_all(plugins, stored)):
        config_version.saw(db, seen)
        if kind == "plugin":
            enabled.add(name)
        else:
            namespace, _, field_name = name.partition(".")
            settings.setdefault(namespace, {})[field_name] = value
    return frozenset(enabled), settings


def forget_enabled_plugins() -> None:
    """Read the enabled set again on next use (after enabling or disabling)."""
    g.pop("_niaga_enabled", None)


def is_enabled(name: str) -> bool:
    return name == "core" or name in enabled_plugins()


def hooks() -> HookRelay:
    """Hooks of the enabled plugins: ``hooks().inventory_reserve(session=..., ...)``."""
    return niaga().host.relay(enabled_plugins())


def collect(hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """``(plugin, result)`` pairs from the enabled plugins (and core) for ``hook_name``."""
    return niaga().host.collect(hook_name, names=enabled_plugins(), **kwargs)


def disabled_owner() -> str | None:
    """The plugin that owns this request's blueprint, when that plugin is disabled."""
    blueprint = request.blueprint
    if not blueprint:
        return None
    owner = niaga().blueprint_owner.get(blueprint.split(".")[0])
    return owner if owner and owner != CORE and not is_enabled(owner) else None
