"""Sales orders: draft → confirmed (stock reserved) → partially delivered → delivered →
invoiced → paid, or cancelled (reservation released)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from niaga.clock import shop_today
from niaga.db import utcnow
from niaga.errors import Conflict, Invalid, NotFound, Refused
from niaga.l10n import format_money
from niaga.money import ZERO, distribute, to_decimal
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_sales import branches, receivables
from niaga_sales.config import document_number, pending_number, tax_policy
from niaga_sales.customers import get_customer
from niaga_sales.documents import order_document, reference
from niaga_sales.models import (
    CANCELLED,
    CONFIRMED,
    DRAFT,
    INVOICED,
    PAID,
    Order,
    OrderLine,
    Salesperson,
)
from niaga_sales.pricing import apply_amounts, apply_totals, price_lines


def get_order(
    session: Session, order_id: int, lock: bool = False, load: Sequence[str] = ()
) -> Order:
    """The order, optionally locked for update (state changes lock it first) and with the
    relationships named in ``load`` (``lines``, ``deliveries``, ``invoices``) read in the
    same statement."""
    statement = _order_statement(lock, tuple(load))
    order = session.scalars(statement, {"order_id": order_id}).unique().one_or_none()
    if order is None:
        raise NotFound("Order {id} not found", id=order_id)
    return order


@functools.cache
def _order_statement(lock: bool, load: tuple[str, ...]) -> sa.Select[tuple[Order]]:
    """The statement of :func:`get_order`, built once for each way it is asked."""
    statement = sa.select(Order).where(Order.id == sa.bindparam("order_id"))
    if lock:
        statement = statement.with_for_update(of=Order)
    if load:
        statement = statement.options(*(joinedload(getattr(Order, name)) for name in load))
    return statement


def create_order(
    session: Session,
    customer_id: int,
    lines: list[dict[str, Any]],
    *,
    source: str = "admin",
    discount_amount: Any = ZERO,
    notes: str = "",
    data: dict[str, Any] | None = None,
    order_date: dt.date | None = None,
    allow_price: bool = True,
    warehouse_id: int | None = None,
    salesperson_id: int | None = None,
) -> Order:
    """A draft order, priced for the customer (discounts from ``sales_adjustments``),
    taking stock from ``warehouse_id`` (the default warehouse when None) and taken by
    ``salesperson_id`` when a salesperson took it.

    Its number is drawn once the lines are priced, so an order that fails on its lines
    takes no number and nothing waits on the counter while they are priced; and before
    the order is first written, so it is written with its number (not updated after).
    """
    customer = get_customer(session, customer_id)
    if not customer.active:
        raise Refused("Customer {name} is inactive", name=customer.shop_name)
    day = order_date or shop_today(session)
    order = Order(
        number=pending_number(),
        customer=customer,
        order_date=day,
        source=source,
        notes=notes,
        data=dict(data or {}),
        state=DRAFT,
        warehouse_id=branches.choose(session, warehouse_id),
        salesperson_id=_salesperson(session, salesperson_id),
        # a new order has none yet: known now, not queried
        lines=[],
        deliveries=[],
        invoices=[],
    )
    session.add(order)
    _set_lines(session, order, lines, discount_amount, allow_price, adjust=False)
    order.number = document_number(session, "order", day)
    apply_adjustments(session, order)
    session.flush()
    return order


def update_order(
    session: Session,
    order: Order,
    lines: list[dict[str, Any]] | None = None,
    *,
    discount_amount: Any = None,
    notes: str | None = None,
    data: dict[str, Any] | None = None,
    allow_price: bool = True,
    **choices: Any,
) -> Order:
    """Change a draft order; lines given replace all lines. ``warehouse_id`` and
    ``salesperson_id`` in ``choices`` change those (None: the default warehouse, nobody)."""
    if order.state != DRAFT:
        raise Conflict("Only a draft order can be changed (this one is {state})", state=order.state)
    if "warehouse_id" in choices:
        order.warehouse_id = branches.choose(session, choices["warehouse_id"])
    if "salesperson_id" in choices:
        order.salesperson_id = _salesperson(session, choices["salesperson_id"])
    if notes is not None:
        order.notes = notes
    if data is not None:
        order.data = {**(order.data or {}), **data}
    if lines is None:
        lines = [_line_input(line) for line in order.lines if line.kind == "item"]
    _set_lines(
        session,
        order,
        lines,
        order.discount_amount if discount_amount is None else discount_amount,
        allow_price,
    )
    return order


def _salesperson(session: Session, salesperson_id: int | None) -> int | None:
    """``salesperson_id`` if it names an active salesperson."""
    if salesperson_id is None:
        return None
    found = session.get(Salesperson, salesperson_id)
    if found is None or not found.active:
        raise Invalid(
            "Salesperson {id} does not exist or is not active",
            id=salesperson_id,
            fields={"salesperson_id": ["Unknown or inactive salesperson"]},
        )
    return found.id


def _line_input(line: OrderLine) -> dict[str, Any]:
    return {
        "product_id": line.product_id,
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_price": line.unit_price,
        "discount_percent": line.discount_percent,
    }


def _set_lines(
    session: Session,
    order: Order,
    lines: list[dict[str, Any]],
    discount_amount: Any,
    allow_price: bool,
    adjust: bool = True,
) -> None:
    """Price ``lines`` into ``order`` (replacing a stored order's lines), then its
    discounts and totals (:func:`apply_adjustments`) unless ``adjust`` is false."""
    if not lines:
        raise Invalid("An order needs at least one line", fields={"lines": ["At least one"]})
    policy = tax_policy(session)
    order.prices_include_tax = policy.prices_include_tax
    order.discount_amount = to_decimal(discount_amount or ZERO)
    if order.discount_amount < 0:
        raise Invalid("An order discount cannot be negative")
    if order.id is not None:  # a stored order's old lines go first
        order.lines.clear()
        session.flush()
    # The lines are written together by the next flush, not one by one before each price.
    with session.no_autoflush:
        order.lines.extend(
            price_lines(
                session,
                lines,
                lambda position: OrderLine(position=position),
                order.customer,
                policy,
                allow_price,
            )
        )
    if adjust:
        apply_adjustments(session, order)


def apply_adjustments(session: Session, order: Order) -> None:
    """Replace the order-level discount lines: the order's own discount, then what
    ``sales_adjustments`` contributes (loyalty vouchers, promotions); recompute totals."""
    items = [line for line in order.lines if line.kind == "item"]
    for line in [line for line in order.lines if line.kind == "adjustment"]:
        order.lines.remove(line)
    apply_totals(order, items)
    contributions: list[tuple[str, str, str, Decimal]] = []
    if order.discount_amount:
        contributions.append(("Order discount", "sales", "", -order.discount_amount))
    session.flush()
    for adjustments in hooks().sales_adjustments(
        session=session, order=order_document(order), customer_id=order.customer_id
    ):
        for adj in adjustments or []:
            contributions.append((adj.label, adj.source, adj.reference, to_decimal(adj.amount)))
    item_total = (
        sum((line.net for line in items), ZERO)
        if not order.prices_include_tax
        else sum((line.total for line in items), ZERO)
    )
    position = len(items)
    # goods taxed differently (PPN, exempt) each carry their share of a discount, so the
    # PPN it takes off is that of the goods it is on
    groups: dict[tuple[Decimal, str], Decimal] = {}
    for item in items:
        key = (item.tax_rate, item.tax_base)
        value = item.total if order.prices_include_tax else item.net
        groups[key] = groups.get(key, ZERO) + value
    keys = list(groups) or [(ZERO, "1")]
    for label, source, ref, amount in contributions:
        # a discount never takes the order below zero
        amount = max(amount, -item_total)
        item_total += amount
        if not amount:
            continue
        split = len(keys) > 1 and amount == amount.to_integral_value()
        shares = distribute(amount, [groups[key] for key in keys]) if split else [amount]
        for (tax_rate, tax_base), share in zip(keys, shares, strict=False):
            if not share:
                continue
            position += 1
            line = OrderLine(
                position=position,
                kind="adjustment",
                description=label,
                quantity=Decimal("1"),
                unit="",
                base_quantity=ZERO,
                unit_price=share,
                tax_rate=tax_rate,
                tax_base=tax_base,
                source=source,
                reference=ref,
            )
            apply_amounts(line, order.prices_include_tax)
            order.lines.append(line)
    apply_totals(order, order.lines)
    session.flush()


def confirm_order(session: Session, order_id: int, approve_over_limit: bool = False) -> Order:
    """Confirm a draft: discounts again, validation hooks, credit limit, stock reserved."""
    order = get_order(session, order_id, lock=True, load=("lines",))
    if order.state != DRAFT:
        raise Conflict(
            "Only a draft order can be confirmed (this one is {state})", state=order.state
        )
    _known_empty(order, "deliveries", "invoices")  # a draft has none: not queried for the answer
    apply_adjustments(session, order)
    hooks().sales_validate_order(session=session, order=order_document(order), action="confirm")
    if not approve_over_limit:
        check_credit_limit(session, order)
    reserved = hooks().inventory_reserve(
        session=session, reference=reference("order", order.id), lines=_stock_lines(order)
    )
    order.stock_reserved = bool(reserved)
    order.state = CONFIRMED
    order.confirmed_at = utcnow()
    session.flush()
    hooks().sales_order_confirmed(session=session, order=order_document(order))
    return order


def _known_empty(order: Order, *relationships: str) -> None:
    """Record ``relationships`` of ``order`` as empty where they are not loaded yet."""
    unloaded = sa.inspect(order).unloaded
    for name in relationships:
        if name in unloaded:
            set_committed_value(order, name, [])


def check_credit_limit(session: Session, order: Order) -> None:
    """Refuse when the customer's open receivables, open orders and this order together
    exceed their credit limit (``None`` means no limit)."""
    limit = order.customer.credit_limit
    if limit is None:
        return
    exposure = receivables.exposure(session, order.customer_id, exclude_order_id=order.id)
    if exposure + order.total > limit:
        raise Refused(
            "Credit limit of {customer} exceeded: {used} in use, this order {total}, limit {limit}",
            code="credit_limit_exceeded",
            customer=order.customer.shop_name,
            used=format_money(exposure),
            total=format_money(order.total),
            limit=format_money(limit),
        )


def _stock_lines(order: Order) -> list[StockLine]:
    return [
        StockLine(
            product_id=line.product_id,
            quantity=line.base_quantity,
            warehouse_id=order.warehouse_id,
        )
        for line in order.lines
        if line.kind == "item" and line.product_id is not None
    ]


def cancel_order(session: Session, order_id: int) -> Order:
    """Cancel an order that nothing has left the warehouse for; releases its stock."""
    order = get_order(session, order_id, lock=True)
    if order.state not in (DRAFT, CONFIRMED):
        raise Refused(
            "An order that is {state} cannot be cancelled; post a return instead",
            state=order.state,
            code="cannot_cancel",
        )
    hooks().sales_validate_order(session=session, order=order_document(order), action="cancel")
    was_confirmed = order.state == CONFIRMED
    for delivery in order.deliveries:
        if delivery.state != "cancelled":
            delivery.state = "cancelled"
    if order.stock_reserved:
        hooks().inventory_release(session=session, reference=reference("order", order.id))
        order.stock_reserved = False
    order.state = CANCELLED
    order.cancelled_at = utcnow()
    session.flush()
    if was_confirmed:
        hooks().sales_order_cancelled(session=session, order=order_document(order))
    return order


def follow_invoices(order: Order) -> None:
    """Move an invoiced order to paid when all its invoices are settled."""
    if order.state in (INVOICED, PAID) and order.invoices:
        settled = all(invoice.open_amount == 0 for invoice in order.invoices)
        order.state = PAID if settled else INVOICED


def reorder(session: Session, order: Order, source: str, allow_price: bool) -> Order:
    """A new draft with the item lines of ``order`` at today's prices."""
    lines = [
        {
            "product_id": line.product_id,
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            **({"unit_price": line.unit_price} if line.product_id is None else {}),
        }
        for line in order.lines
        if line.kind == "item"
    ]
    return create_order(
        session,
        order.customer_id,
        lines,
        source=source,
        warehouse_id=order.warehouse_id,
        allow_price=allow_price
        or any(line.product_id is None for line in order.lines if line.kind == "item"),
    )
