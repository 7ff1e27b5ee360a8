"""Per-application state, and how code reaches it from a request, command or job.

Following Flask's extension rules, nothing keeps the app: the :class:`Niaga` object lives in
``app.extensions["niaga"]`` and these functions find it through ``current_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from niaga.db import session
from niaga.plugins import CORE, HookRelay, PluginHost


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

    def use_engine(self, engine: Engine) -> None:
        """Serve from ``engine`` from now on (``niaga serve`` sizes its pool), closing the
        old one's idle connections."""
        old, self.engine = self.engine, engine
        self.sessionmaker.configure(bind=engine)
        old.dispose()


def niaga() -> Niaga:
    return current_app.extensions["niaga"]


def enabled_plugins() -> frozenset[str]:
    """Enabled plugins, read once per app context (request, command, job)."""
    cached = g.get("_niaga_enabled")
    if cached is None:
        cached = niaga().host.enabled_names(session())
        g._niaga_enabled = cached
    return cached


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
