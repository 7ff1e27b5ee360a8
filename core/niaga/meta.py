"""Plugin metadata and the small value types that registration hooks return."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class PluginMeta:
    """What a plugin says about itself.

    A plugin module exposes one of these as ``PLUGIN``. ``version`` is filled in from the
    installed distribution when left empty.

    ``hookspecs`` is the module of hooks the plugin publishes for others to implement
    (each named ``<plugin>_...`` and marked with :data:`niaga.hookspec`). A plugin that
    implements another plugin's hooks names it in ``depends`` (it cannot work without it)
    or ``optional_depends`` (its implementations are called only while that plugin is
    installed and enabled).

    ``api``, ``admin``, ``portal`` and ``cli`` name what the plugin adds to each interface,
    as ``"module:attribute"`` references imported when the app starts:
    ``api=("niaga_tax.api:bp",)`` is mounted under ``/api/tax/``, ``cli=("niaga_tax.cli:tax",)``
    joins the ``niaga`` command. (A plugin that must build them at run time implements the
    ``niaga_*_blueprints`` / ``niaga_cli_commands`` hooks instead.)
    """

    name: str
    label: dict[str, str]
    description: dict[str, str]
    core_requires: str = ""
    depends: tuple[str, ...] = ()
    migrations: Path | None = None
    version: str = ""
    hookspecs: ModuleType | None = None
    optional_depends: tuple[str, ...] = ()
    api: tuple[str, ...] = ()
    admin: tuple[str, ...] = ()
    portal: tuple[str, ...] = ()
    cli: tuple[str, ...] = ()

    def text(self, field_name: str, language: str) -> str:
        """The label or description in ``language``, falling back to English."""
        values: dict[str, str] = getattr(self, field_name)
        return values.get(language) or values.get("en") or next(iter(values.values()), "")

    def declared(self, area: str) -> list[Any]:
        """The objects the plugin names for ``area`` (``api``, ``admin``, ``portal``, ``cli``)."""
        return [resolve_reference(reference) for reference in getattr(self, area)]


def resolve_reference(reference: str) -> Any:
    """Import ``"package.module:attribute"`` and return the attribute."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"{reference!r} is not a 'module:attribute' reference")
    return getattr(import_module(module_name), attribute)


@dataclass(frozen=True)
class Permission:
    """A permission a plugin contributes, e.g. ``inventory.adjust``.

    ``roles`` lists the default roles that get it on a new installation.
    """

    name: str
    label: dict[str, str]
    roles: tuple[str, ...] = ("owner",)


@dataclass(frozen=True)
class MenuEntry:
    """An entry in the admin navigation."""

    label: dict[str, str]
    endpoint: str
    permission: str | None = None
    order: int = 100
    icon: str = ""
    area: str = "admin"  # "admin" or "portal"


@dataclass(frozen=True)
class DashboardWidget:
    """A figure or small chart on the admin dashboard.

    ``render`` is called with the database session and returns an HTML fragment
    (a ``markupsafe.Markup``); it should be cheap.
    """

    name: str
    label: dict[str, str]
    render: Any
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class ScheduledJob:
    """Work the worker runs every ``every_seconds``; ``run`` takes the database session."""

    name: str
    run: Any
    every_seconds: int
