"""Every hook Niaga defines: the whole plugin contract in one module.

Kinds of hook:

* **registration** (``niaga_*``): what a plugin contributes; called at start-up or when a
  page is built. Core collects them per plugin, so it knows who contributed what.
* **service** (``inventory_*``): one plugin answers for the others (``firstresult``); the
  answer is ``None`` when no enabled plugin provides the service.
* **calculation** (``sales_price``, ``sales_adjustments``): pipelines and contributions.
* **validation** (``sales_validate_order``): raise :class:`niaga.errors.NiagaError` to refuse.
* **events** (``<plugin>_<what happened>``): called inside the caller's database
  transaction, so what a listener writes commits or rolls back with the event. Work that
  leaves the process goes to the outbox (:mod:`niaga.outbox`).

Only hooks of enabled plugins are called. New keyword arguments may be added to a hook;
removing one is a breaking change. Every hook has a section in ``docs/hooks.md``.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("niaga")


# --- registration -------------------------------------------------------------------


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
def niaga_payment_gateways() -> list[Any]:
    """Return payment gateway adapters (see ``niaga_payments.adapters.GatewayAdapter``)."""


@hookspec(firstresult=True)
def niaga_amount_due(session: Any, reference: str) -> Any:
    """Return what is still owed on the document ``reference`` (``sales.invoice:12``) as a
    ``Decimal``, or ``None`` when the answering plugin does not own that document. Payment
    plugins take amounts from here, never from the client."""


@hookspec
def niaga_check(session: Any) -> list[str]:
    """Return consistency problems found in the plugin's data (empty when all is well)."""


# --- inventory services ----------------------------------------------------------------


@hookspec(firstresult=True)
def inventory_product(
    session: Any, product_id: int | None, sku: str | None, barcode: str | None
) -> Any:
    """Return the :class:`niaga.contracts.ProductInfo` matching one of the keys, or ``None``."""


@hookspec(firstresult=True)
def inventory_search(session: Any, query: str, limit: int, offset: int) -> Any:
    """Return active products (``ProductInfo``) whose name, SKU or barcode matches ``query``."""


@hookspec(firstresult=True)
def inventory_available(session: Any, product_id: int, warehouse_id: int | None) -> Any:
    """Return the quantity available to promise (on hand minus reserved), in base units."""


@hookspec(firstresult=True)
def inventory_reserve(session: Any, reference: str, lines: list[Any]) -> Any:
    """Reserve :class:`niaga.contracts.StockLine` quantities for ``reference``.

    All or nothing: raises ``niaga.errors.InsufficientStock`` when any line cannot be
    reserved. Safe under concurrency. Returns ``True`` when stock is tracked.
    """


@hookspec(firstresult=True)
def inventory_release(session: Any, reference: str) -> Any:
    """Release what is still reserved for ``reference``; returns ``True`` when stock is tracked."""


@hookspec(firstresult=True)
def inventory_issue(session: Any, reference: str, lines: list[Any], kind: str) -> Any:
    """Take stock out (kind ``issue``, ``return_out`` or ``gift``), consuming reservations
    of ``reference`` first. Returns the :class:`niaga.contracts.StockMove` list, whose
    values are the cost of goods issued.
    """


@hookspec(firstresult=True)
def inventory_receive(session: Any, reference: str, lines: list[Any], kind: str) -> Any:
    """Put stock in (kind ``receipt`` or ``return_in``) at each line's cost (``None`` means
    the current average cost). Returns the :class:`niaga.contracts.StockMove` list.
    """


@hookspec(firstresult=True)
def inventory_reorder_needs(session: Any) -> Any:
    """Return :class:`niaga.contracts.ReorderNeed` items for products whose available stock
    is at or below their reorder point (purchasing turns them into draft orders)."""


# --- calculation and validation ----------------------------------------------------------


@hookspec
def sales_price(
    session: Any, product: Any, customer_id: int | None, quantity: Any, price: Any
) -> Any:
    """Pipeline: return an adjusted unit price (``Decimal``) or ``None`` to keep ``price``."""


@hookspec
def sales_adjustments(session: Any, order: Any, customer_id: int | None) -> list[Any]:
    """Return :class:`niaga.meta.Adjustment` items (discounts) for a sales order ``Document``."""


@hookspec
def sales_validate_order(session: Any, order: Any, action: str) -> None:
    """Raise ``niaga.errors.Refused`` to stop ``action`` (``confirm``, ``cancel``) on an order."""


# --- events ----------------------------------------------------------------------------


@hookspec
def inventory_stock_moved(session: Any, moves: list[Any]) -> None:
    """Stock moved: a list of :class:`niaga.contracts.StockMove`, in the mover's transaction."""


@hookspec
def sales_order_confirmed(session: Any, order: Any) -> None:
    """A sales order ``Document`` was confirmed (its stock is reserved)."""


@hookspec
def sales_order_cancelled(session: Any, order: Any) -> None:
    """A sales order ``Document`` was cancelled (its reservation released)."""


@hookspec
def sales_order_delivered(session: Any, order: Any, delivery: Any) -> None:
    """Part or all of an order was delivered; ``delivery`` lists what left the warehouse."""


@hookspec
def sales_invoice_issued(session: Any, invoice: Any) -> None:
    """An invoice ``Document`` was issued (a receivable exists); POS sales issue one too."""


@hookspec
def sales_invoice_paid(session: Any, invoice: Any, payment: Any) -> None:
    """A :class:`niaga.contracts.PaymentInfo` was applied to an invoice ``Document``."""


@hookspec
def sales_return_posted(session: Any, credit_note: Any) -> None:
    """A return was posted: ``credit_note`` is a ``Document`` whose ``related`` is the invoice."""


@hookspec
def purchasing_goods_received(session: Any, receipt: Any) -> None:
    """Goods arrived from a supplier: ``receipt`` is a ``Document`` with line costs."""


@hookspec
def purchasing_bill_posted(session: Any, bill: Any) -> None:
    """A supplier bill ``Document`` was posted (a payable exists)."""


@hookspec
def purchasing_bill_paid(session: Any, bill: Any, payment: Any) -> None:
    """A :class:`niaga.contracts.PaymentInfo` was made to a supplier against ``bill``."""


@hookspec
def purchasing_supplier_returned(session: Any, debit_note: Any) -> None:
    """Goods went back to a supplier: ``debit_note`` is a ``Document``."""


@hookspec
def payments_status_changed(session: Any, payment: Any, previous: str) -> None:
    """A payment (``PaymentInfo``) moved from ``previous`` to ``payment.status``."""


@hookspec
def payments_paid(session: Any, payment: Any) -> None:
    """A payment reached ``paid``; fired exactly once per payment."""


@hookspec
def payments_refunded(session: Any, payment: Any, amount: Any) -> None:
    """``amount`` of a paid payment was refunded to the customer."""


@hookspec
def loyalty_points_changed(session: Any, movement: Any) -> None:
    """A :class:`niaga.contracts.PointsMovement` was recorded."""
