"""Enabling, disabling, migrating and purging plugins; used by the CLI and the admin UI."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import migrate
from niaga.errors import PluginError
from niaga.models import PluginState, Role, Setting
from niaga.plugins import CORE, PluginHost, migrations_folder


def upgrade(session: Session, host: PluginHost, name: str) -> None:
    """Run the migrations of ``name`` (``core`` or a plugin) on the session's connection."""
    folder = migrations_folder(host, name)
    if folder is not None and folder.is_dir():
        migrate.upgrade(session.connection(), name, folder)


def upgrade_all(session: Session, host: PluginHost, only: str | None = None) -> list[str]:
    """Migrate core and every enabled plugin (or only ``only``); returns what was run."""
    if only is not None:
        if only != CORE:
            host.get(only)
        upgrade(session, host, only)
        return [only]
    upgrade(session, host, CORE)
    names = host.dependency_order(sorted(host.enabled_names(session)))
    for name in names:
        upgrade(session, host, name)
    return [CORE, *names]


def enable(session: Session, host: PluginHost, name: str, with_deps: bool = False) -> list[str]:
    """Enable ``name`` (and, with ``with_deps``, what it needs); returns the names enabled
    now. Runs their migrations in the same transaction. The caller commits."""
    enabled = host.enabled_names(session)
    order = host.dependency_order([name])
    for needed in order:
        plugin = host.get(needed)
        if not plugin.loaded:
            raise PluginError(
                "Plugin {name} cannot be enabled: it is {status} ({error})",
                name=needed,
                status=plugin.status,
                error=plugin.error,
            )
    missing = [dep for dep in order[:-1] if dep not in enabled]
    if missing and not with_deps:
        raise PluginError(
            "Plugin {name} needs {missing}; enable it first or use --with-deps",
            name=name,
            missing=", ".join(missing),
        )
    for needed in order:
        if needed not in enabled:
            _check_may_migrate(session, host, needed)
    switched = []
    for needed in order:
        if needed in enabled:
            continue
        upgrade(session, host, needed)
        _set_state(session, needed, True)
        switched.append(needed)
    session.flush()
    return switched


def disable(session: Session, host: PluginHost, name: str) -> bool:
    """Disable ``name``; refused while an enabled plugin depends on it. Data stays.
    Returns False when it was already disabled. The caller commits."""
    host.get(name)
    enabled = host.enabled_names(session)
    blocking = [dep for dep in host.dependents(name) if dep in enabled]
    if blocking:
        raise PluginError(
            "Plugin {name} cannot be disabled: {blocking} depends on it; disable that first",
            name=name,
            blocking=", ".join(blocking),
        )
    if name not in enabled:
        return False
    _set_state(session, name, False)
    session.flush()
    return True


def purge(session: Session, host: PluginHost, name: str) -> None:
    """Remove everything a disabled plugin left (irreversible): its tables and migration
    version table, its settings (secrets included) and the permissions roles were granted
    for it. The audit trail stays: it is the shop's history. The caller commits."""
    if name == CORE:
        raise PluginError("Core cannot be purged")
    if name in host.enabled_names(session):
        raise PluginError("Plugin {name} is enabled; disable it before purging", name=name)
    folder = migrations_folder(host, name)
    connection = session.connection()
    if folder is not None and folder.is_dir():
        migrate.downgrade_to_base(connection, name, folder)
    sa.Table(migrate.version_table(name), sa.MetaData()).drop(connection, checkfirst=True)
    session.execute(sa.delete(Setting).where(Setting.key.startswith(f"{name}.", autoescape=True)))
    for role in session.scalars(sa.select(Role)):
        kept = [p for p in role.permissions or [] if not p.startswith(f"{name}.")]
        if kept != (role.permissions or []):
            role.permissions = kept
    session.execute(sa.delete(PluginState).where(PluginState.name == name))


def _set_state(session: Session, name: str, enabled: bool) -> None:
    state = session.get(PluginState, name)
    if state is None:
        session.add(PluginState(name=name, enabled=enabled))
    else:
        state.enabled = enabled


def _check_may_migrate(session: Session, host: PluginHost, name: str) -> None:
    """Refuse, with a message saying what to do, to enable ``name`` when its tables must be
    created or changed and the database login may not (the application role of
    docs/operations.md owns no tables); nothing is tried, so the transaction stays usable."""
    folder = migrations_folder(host, name)
    if folder is None or not folder.is_dir():
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or migrate.is_current(connection, name, folder):
        return
    allowed = connection.execute(
        sa.text("SELECT has_schema_privilege(current_schema(), 'CREATE')")
    ).scalar()
    if not allowed:
        raise PluginError(
            "This database login may not create tables: run 'niaga plugins enable {name}' "
            "as the owner of the database",
            name=name,
        )
