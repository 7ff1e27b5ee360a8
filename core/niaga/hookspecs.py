"""The hooks core defines: what any plugin may contribute (``niaga_*``).

Core owns only these registration hooks and ``niaga_check``. Each plugin publishes its own
vocabulary in its package (``niaga_inventory.hookspecs``, ``niaga_sales.hookspecs``, ...;
see ``PluginMeta.hookspecs``). Kinds of hook, wherever they are published:

* **registration** (``niaga_*``): what a plugin contributes; called at start-up or when a
  page is built. Core collects them per plugin, so it knows who contributed what.
* **service** (``firstresult``): one plugin answers for the others; the answer is ``None``
  when no enabled plugin provides the service (or its publisher is not installed).
* **pipeline** (``sales_price``): each implementation in turn refines a value.
* **collect** (``sales_adjustments``): every implementation's contribution, as a list.
* **validation** (``sales_validate_order``): raise :class:`niaga.errors.NiagaError` to refuse.
* **events** (``<plugin>_<what happened>``): called inside the caller's database
  transaction, so what a listener writes commits or rolls back with the event. Work that
  leaves the process goes to the outbox (:mod:`niaga.outbox`).

Only hooks of enabled plugins are called. New keyword arguments may be added to a hook;
removing one is a breaking change. Core's hooks are documented in ``docs/hooks.md``, a
plugin's in the README beside its package.
"""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def niaga_init_app(app: Any) -> None:
    """Called once per application object; add template filters, context processors."""


@hookspec
def niaga_api_blueprints() -> list[Any]:
    """Return ``niaga.api.Blueprint`` objects; core mounts them under ``/api/<plugin>/``."""


@hookspec
def niaga_admin_blueprints() -> list[Any]:
    """Return Flask blueprints with admin pages; core mounts them under ``/admin/<plugin>/``."""


@hookspec
def niaga_portal_blueprints() -> list[Any]:
    """Return Flask blueprints with retailer portal pages, mounted under ``/portal/<plugin>/``."""


@hookspec
def niaga_cli_commands() -> list[Any]:
    """Return click commands or groups to add to the ``niaga`` command line."""


@hookspec
def niaga_admin_menu() -> list[Any]:
    """Return :class:`niaga.meta.MenuEntry` items for the admin or portal navigation."""


@hookspec
def niaga_permissions() -> list[Any]:
    """Return :class:`niaga.meta.Permission` items, named ``<plugin>.<action>``."""


@hookspec
def niaga_settings_schema() -> Any:
    """Return a marshmallow ``Schema`` class describing the plugin's settings.

    Fields with ``metadata={"secret": True}`` are masked in the UI, CLI and logs.
    """


@hookspec
def niaga_dashboard_widgets() -> list[Any]:
    """Return :class:`niaga.meta.DashboardWidget` items for the admin dashboard."""


@hookspec
def niaga_demo_data(session: Any) -> None:
    """Load the plugin's demo data; called in dependency order by ``niaga demo``."""


@hookspec
def niaga_scheduled_jobs() -> list[Any]:
    """Return :class:`niaga.meta.ScheduledJob` items for ``niaga worker`` to run periodically."""


@hookspec
def niaga_outbox_handlers() -> dict[str, Any]:
    """Return ``{topic: handler}``; ``handler(session, payload)`` runs after commit, retried."""


@hookspec
def niaga_check(session: Any) -> list[str]:
    """Return consistency problems found in the plugin's data (empty when all is well)."""


@hookspec(firstresult=True)
def niaga_document_label(session: Any, reference: str) -> Any:
    """Return a :class:`niaga.documents.DocumentLabel` for a ``<plugin>.<kind>:<id>``
    reference this plugin owns (``sales.invoice:26``: "Faktur INV/2026/11/0026" and its page);
    ``None`` for any other."""
