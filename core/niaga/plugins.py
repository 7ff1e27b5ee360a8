"""Finding, loading, enabling and calling plugins.

*Installed* means a distribution declares an entry point in the ``niaga.plugins`` group.
Loading imports it and checks it (metadata, core version, hook signatures, table names);
a plugin that fails any check is kept aside as ``failed`` or ``incompatible`` with the
reason, and everything else goes on. *Enabled* is a row in ``core_plugin_state``, read from
the database for each request (or CLI command, or job), so every process of a deployment
sees a change without a restart. Only enabled plugins' hooks are called.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
import sqlalchemy as sa
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from niaga import __version__, hookspecs
from niaga.db import Model
from niaga.errors import PluginError
from niaga.meta import NAME_PATTERN, PluginMeta
from niaga.models import PluginState

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "niaga.plugins"
_AREA_HOOKS = {
    "api": "niaga_api_blueprints",
    "admin": "niaga_admin_blueprints",
    "portal": "niaga_portal_blueprints",
    "cli": "niaga_cli_commands",
}
CORE = "core"

LOADED, FAILED, INCOMPATIBLE = "loaded", "failed", "incompatible"


@dataclass
class InstalledPlugin:
    """An installed plugin and what loading it gave."""

    name: str
    status: str
    meta: PluginMeta | None = None
    module: ModuleType | None = None
    error: str | None = None
    version: str = ""

    @property
    def loaded(self) -> bool:
        return self.status == LOADED

    @property
    def depends(self) -> tuple[str, ...]:
        return self.meta.depends if self.meta else ()


class PluginHost:
    """Owns the pluggy manager and what is known about every installed plugin."""

    def __init__(self, core_version: str = __version__) -> None:
        self.core_version = Version(core_version)
        self.pm = pluggy.PluginManager("niaga")
        self.pm.add_hookspecs(hookspecs)
        #: hook name -> the plugin that published its specification (``core`` for core's)
        self.spec_owner: dict[str, str] = dict.fromkeys(_spec_names(hookspecs), CORE)
        self.installed: dict[str, InstalledPlugin] = {}
        self._callers: dict[tuple[str, frozenset[str]], Any] = {}
        self._single: dict[tuple[str, str], Any] = {}

    # --- loading ----------------------------------------------------------------------

    def discover(self) -> None:
        """Load every plugin that declares a ``niaga.plugins`` entry point."""
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in self.installed:
                continue
            version = ep.dist.version if ep.dist else ""
            self.installed[ep.name] = self._load(ep.name, ep.load, version)
        for record in list(self.installed.values()):
            self._verify_hooks(record)

    def register_core(self, module: Any) -> None:
        """Register core's own hook implementations (once; the app factory does it)."""
        if self.pm.get_plugin(CORE) is None:
            self.pm.register(module, name=CORE)
            self._callers.clear()
            self._single.clear()

    def add(self, module: Any) -> InstalledPlugin:
        """Load a plugin from a module (or any object with ``PLUGIN`` and hook
        implementations) directly, without an entry point: tests, embedded use."""
        meta = getattr(module, "PLUGIN", None)
        name = meta.name if isinstance(meta, PluginMeta) else _package_of(module)
        record = self._load(name, lambda: module, meta.version if meta else "")
        self.installed[name] = record
        self._verify_hooks(record)
        self._forget_callers()
        return record

    def remove(self, name: str) -> None:
        """Forget a plugin added with :meth:`add`."""
        record = self.installed.pop(name)
        if record.loaded and record.module is not None:
            self.pm.unregister(record.module)
        self._forget_callers()

    def _forget_callers(self) -> None:
        self._callers.clear()
        self._single.clear()

    def _load(self, name: str, importer: Any, dist_version: str) -> InstalledPlugin:
        try:
            module = importer()
        except Exception as exc:  # a broken plugin must not take the app down
            log.warning("plugin %s failed to import: %s", name, exc)
            return InstalledPlugin(name, FAILED, error=_describe(exc), version=dist_version)
        meta = getattr(module, "PLUGIN", None)
        if not isinstance(meta, PluginMeta):
            return InstalledPlugin(
                name, FAILED, module=module, error="no PLUGIN = PluginMeta(...) in its module"
            )
        version = meta.version or dist_version
        record = InstalledPlugin(name, LOADED, meta=meta, module=module, version=version)
        problem = self._check(name, meta, module)
        if problem:
            record.status, record.error = problem
            return record
        unpublished = self._publish_hookspecs(name, meta)
        if unpublished:
            record.status, record.error = FAILED, unpublished
            return record
        try:
            self.pm.register(module, name=name)
        except Exception as exc:
            record.status, record.error = FAILED, f"hook validation: {exc}"
        return record

    def _publish_hookspecs(self, name: str, meta: PluginMeta) -> str | None:
        """Add the hooks ``name`` publishes; refuse badly named or already published ones."""
        if meta.hookspecs is None:
            return None
        published = _spec_names(meta.hookspecs)
        wrong = [hook for hook in published if not hook.startswith(f"{name}_")]
        if wrong:
            return f"its hooks must be named {name}_...: " + ", ".join(sorted(wrong))
        taken = [
            f"{hook} (by {self.spec_owner[hook]})" for hook in published if hook in self.spec_owner
        ]
        if taken:
            return "publishes hooks already published: " + ", ".join(sorted(taken))
        self.pm.add_hookspecs(meta.hookspecs)
        self.spec_owner.update(dict.fromkeys(published, name))
        return None

    def _verify_hooks(self, record: InstalledPlugin) -> None:
        """Mark ``record`` failed if it implements a hook nobody publishes, or a hook of a
        plugin it does not declare in ``depends`` or ``optional_depends``."""
        if not record.loaded or record.module is None or record.meta is None:
            return
        declared = {CORE, record.name, *record.meta.depends, *record.meta.optional_depends}
        unknown, undeclared = [], []
        for caller in self.pm.get_hookcallers(record.module) or []:
            owner = self.spec_owner.get(caller.name) if caller.spec is not None else None
            if owner is None:
                # another plugin's hook while that plugin is absent: allowed if optional
                if not any(caller.name.startswith(f"{d}_") for d in record.meta.optional_depends):
                    unknown.append(caller.name)
            elif owner not in declared:
                undeclared.append(f"{caller.name} (of {owner})")
        if unknown or undeclared:
            self.pm.unregister(record.module)
            record.status = FAILED
            record.error = "; ".join(
                text
                for text in (
                    "implements unknown hooks: " + ", ".join(sorted(unknown)) if unknown else "",
                    "implements hooks of plugins it does not declare in depends or "
                    "optional_depends: " + ", ".join(sorted(undeclared))
                    if undeclared
                    else "",
                )
                if text
            )
            self._forget_callers()

    def _check(self, name: str, meta: PluginMeta, module: ModuleType) -> tuple[str, str] | None:
        if meta.name != name or not NAME_PATTERN.match(name) or name == CORE:
            return FAILED, f"entry point {name!r} does not match plugin name {meta.name!r}"
        try:
            spec = SpecifierSet(meta.core_requires)
        except InvalidSpecifier:
            return FAILED, f"invalid core version specifier {meta.core_requires!r}"
        if not spec.contains(self.core_version, prereleases=True):
            return INCOMPATIBLE, (
                f"needs Niaga core {meta.core_requires}, this is {self.core_version}"
            )
        for table in tables_of_package(_package_of(module)):
            if not table.startswith(f"{name}_"):
                return FAILED, f"table {table!r} must be named {name}_..."
        return None

    # --- state ------------------------------------------------------------------------

    def loaded_names(self) -> list[str]:
        return [name for name, plugin in self.installed.items() if plugin.loaded]

    def enabled_names(self, session: Session | Connection) -> frozenset[str]:
        """Names of loaded plugins that are enabled in the database."""
        rows = session.scalars(
            sa.select(PluginState.name).where(PluginState.enabled.is_(True))
        ).all()
        loaded = set(self.loaded_names())
        return frozenset(name for name in rows if name in loaded)

    def get(self, name: str) -> InstalledPlugin:
        try:
            return self.installed[name]
        except KeyError:
            known = ", ".join(sorted(self.installed)) or "none"
            raise PluginError(
                "Unknown plugin {name} (installed: {known})", name=name, known=known
            ) from None

    def dependents(self, name: str) -> list[str]:
        """Installed plugins that declare a dependency on ``name``."""
        return sorted(p.name for p in self.installed.values() if name in p.depends)

    def dependency_order(self, names: Iterable[str]) -> list[str]:
        """``names`` and everything they depend on, dependencies first."""
        ordered: list[str] = []

        def visit(name: str, trail: tuple[str, ...]) -> None:
            if name in ordered:
                return
            if name in trail:
                raise PluginError("Circular plugin dependency: {trail}", trail=" -> ".join(trail))
            for dep in self.get(name).depends:
                visit(dep, (*trail, name))
            ordered.append(name)

        for name in names:
            visit(name, ())
        return ordered

    # --- calling hooks ----------------------------------------------------------------

    def relay(self, enabled: frozenset[str]) -> HookRelay:
        return HookRelay(self, enabled)

    def caller(self, hook_name: str, enabled: frozenset[str]) -> Any:
        """What calls ``hook_name`` on the ``enabled`` plugins (and core).

        A hook of a plugin that is not loaded answers ``None``, as its service would while
        that plugin is disabled; a misspelt hook of a loaded publisher (or of core) is an
        :class:`AttributeError`.
        """
        key = (hook_name, enabled)
        cached = self._callers.get(key)
        if cached is None and not self.has_hook(hook_name):
            if self._publisher_is_installed(hook_name):
                raise AttributeError(f"no hook {hook_name!r} is published")
            return _absent_publisher
        if cached is None:
            disabled = [
                self.installed[name].module for name in self.loaded_names() if name not in enabled
            ]
            cached = (
                self.pm.subset_hook_caller(hook_name, disabled)
                if disabled
                else getattr(self.pm.hook, hook_name)
            )
            self._callers[key] = cached
        return cached

    def has_hook(self, hook_name: str) -> bool:
        """Whether anyone published or implements ``hook_name``."""
        return hasattr(self.pm.hook, hook_name)

    def _publisher_is_installed(self, hook_name: str) -> bool:
        publishers = {"niaga", *self.spec_owner.values()} - {CORE}
        return any(hook_name.startswith(f"{name}_") for name in publishers)

    def collect(
        self, hook_name: str, names: Iterable[str] | None = None, **kwargs: Any
    ) -> list[tuple[str, Any]]:
        """Call ``hook_name`` on each plugin in ``names`` (default: all loaded, and core),
        and return ``(plugin name, result)`` pairs, skipping ``None`` results."""
        if not self.has_hook(hook_name):
            return []
        wanted = set(self.loaded_names() if names is None else names) | {CORE}
        results = []
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name in wanted:
                answer = self.call_one(hook_name, impl.plugin_name, **kwargs)
                if answer is not None:
                    results.append((impl.plugin_name, answer))
        return results

    def contributions(self, name: str, area: str) -> list[Any]:
        """What plugin ``name`` adds to ``area`` (``api``, ``admin``, ``portal`` blueprints or
        ``cli`` commands): those its metadata names, then those its hook returns."""
        record = self.installed[name]
        found = record.meta.declared(area) if record.meta else []
        for plugin, items in self.collect(_AREA_HOOKS[area], names=[name]):
            if plugin == name:
                found.extend(items)
        return found

    def call_one(self, hook_name: str, plugin_name: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of ``hook_name`` through pluggy (so hook
        tracing and monitoring see it); its answer, or ``None``."""
        key = (hook_name, plugin_name)
        caller = self._single.get(key)
        if caller is None:
            others = [p for name, p in self.pm.list_name_plugin() if name != plugin_name]
            caller = self.pm.subset_hook_caller(hook_name, others)
            self._single[key] = caller
        answer = caller(**kwargs)
        if caller.spec is not None and caller.spec.opts.get("firstresult"):
            return answer
        return answer[0] if answer else None  # a list of the one non-None answer

    def mark_failed(self, name: str, reason: str) -> None:
        """Take a plugin out after a failure during start-up registration."""
        record = self.installed[name]
        if record.loaded and record.module is not None:
            self.pm.unregister(record.module)
        record.status, record.error = FAILED, reason
        self._forget_callers()


class HookRelay:
    """``relay.some_hook(**kwargs)`` calls ``some_hook`` on enabled plugins only."""

    def __init__(self, host: PluginHost, enabled: frozenset[str]) -> None:
        self._host = host
        self.enabled = enabled

    def __getattr__(self, hook_name: str) -> Any:
        return self._host.caller(hook_name, self.enabled)

    def pipeline(self, hook_name: str, value: Any, argument: str, **kwargs: Any) -> Any:
        """Pass ``value`` through each enabled implementation in turn (as ``argument``);
        an implementation returning ``None`` keeps the value."""
        if not self._host.has_hook(hook_name):
            return value
        allowed = self.enabled | {CORE}
        # in pluggy's calling order: the most recently registered first
        for impl in reversed(getattr(self._host.pm.hook, hook_name).get_hookimpls()):
            if impl.plugin_name in allowed:
                kwargs[argument] = value
                result = self._host.call_one(hook_name, impl.plugin_name, **kwargs)
                if result is not None:
                    value = result
        return value


def _absent_publisher(**_kwargs: Any) -> None:
    """The answer of a hook whose publishing plugin is not installed."""
    return None


def _spec_names(module: Any) -> list[str]:
    """The names of the hook specifications in ``module``."""
    return [name for name in dir(module) if hasattr(getattr(module, name), "niaga_spec")]


def tables_of_package(package: str) -> list[str]:
    """Names of the tables mapped by model classes defined in ``package``."""
    names = []
    for mapper in Model.registry.mappers:
        cls = mapper.class_
        if cls.__module__.split(".")[0] == package and getattr(cls, "__tablename__", None):
            names.append(cls.__tablename__)
    return names


def migrations_folder(host: PluginHost, name: str) -> Path | None:
    if name == CORE:
        return Path(__file__).parent / "migrations" / "versions"
    meta = host.get(name).meta
    return Path(meta.migrations) if meta and meta.migrations else None


def _package_of(plugin: Any) -> str:
    name = getattr(plugin, "__name__", None) or type(plugin).__module__
    return name.split(".")[0]


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"
