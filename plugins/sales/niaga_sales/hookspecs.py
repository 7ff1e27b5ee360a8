"""The hooks the sales plugin publishes: price and discount calculation, order
validation, the events of orders, invoices and returns, and services that answer about
customers and invoices (so other plugins never import sales' models).
"""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def sales_price(
    session: Any, product: Any, customer_id: int | None, quantity: Any, price: Any
) -> Any:
    """Pipeline: return an adjusted unit price (``Decimal``) or ``None`` to keep ``price``."""


@hookspec
def sales_adjustments(session: Any, order: Any, customer_id: int | None) -> list[Any]:
    """Return :class:`~niaga_sales.contracts.Adjustment` items (discounts) for a sales
    order ``Document``."""


@hookspec
def sales_validate_order(session: Any, order: Any, action: str) -> None:
    """Raise ``niaga.errors.Refused`` to stop ``action`` (``confirm``, ``cancel``) on an order."""


@hookspec
def sales_order_confirmed(session: Any, order: Any) -> None:
    """A sales order ``Document`` was confirmed (its stock is reserved)."""


@hookspec
def sales_order_cancelled(session: Any, order: Any) -> None:
    """A sales order ``Document`` was cancelled (its reservation released)."""


@hookspec
def sales_customers_merged(session: Any, kept_id: int, merged_id: int) -> None:
    """Customer ``merged_id`` was merged into ``kept_id`` (a duplicate of the same shop):
    its orders, invoices and returns now belong to ``kept_id``; move what you keep per
    customer (points, balances by party) the same way, in this transaction."""


@hookspec
def sales_delivery_dispatched(session: Any, order: Any, delivery: Any) -> None:
    """A delivery note was packed and left with its driver: the goods are on their way
    (``delivery`` lists them; stock leaves the books at ``sales_order_delivered``)."""


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


@hookspec(firstresult=True)
def sales_customer(session: Any, customer_id: int | None, user_id: int | None) -> Any:
    """Return the :class:`~niaga_sales.contracts.CustomerInfo` with ``customer_id``, or of
    the portal login ``user_id``; ``None`` when there is none."""


@hookspec(firstresult=True)
def sales_paid_invoices(session: Any) -> list[Any]:
    """Return the invoice ``Document`` values nothing is left to pay on, oldest first."""


@hookspec(firstresult=True)
def sales_receivables(session: Any) -> dict[str, Any]:
    """Return what each customer owes per invoice, ``{"sales.invoice:<id>": Decimal}``:
    total less payments and credit notes, negative when the customer paid too much;
    invoices that are settled exactly are left out."""


@hookspec
def sales_portal_figures(session: Any, customer_id: int) -> list[Any]:
    """Return :class:`~niaga_sales.contracts.PortalFigure` items for the dashboard of the
    retailer ``customer_id`` in the portal (points balance, tier progress); read only."""
