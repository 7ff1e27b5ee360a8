"""A priced quote of an order that is not placed: the figures the order would have now —
its lines priced for the customer, the order-level adjustments other plugins contribute
(a loyalty voucher) and PPN — by the very code that prices a placed order, so that a screen
showing a running total shows what the order will say (issue 21).

Nothing is kept: the draft is written inside a savepoint that is rolled back, and it never
draws a document number (a number drawn for a quote would leave a gap in the series).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.money import ZERO
from niaga_sales import orders
from niaga_sales.config import pending_number
from niaga_sales.models import DRAFT, Customer, Order


@dataclass(frozen=True)
class Quote:
    """What an order would come to: ``subtotal`` (before PPN, after adjustments), ``tax``,
    ``total`` and each adjustment as (label, amount as the customer sees it)."""

    subtotal: Decimal
    tax: Decimal
    total: Decimal
    adjustments: list[tuple[str, Decimal]] = field(default_factory=list)


def quote(
    session: Session,
    customer: Customer,
    lines: list[dict[str, Any]],
    *,
    source: str = "portal",
    data: dict[str, Any] | None = None,
    allow_price: bool = False,
) -> Quote:
    """The :class:`Quote` of an order of ``lines`` by ``customer``. Refusals are the order's
    own (an unknown unit, a voucher that is not the customer's) and leave nothing behind."""
    savepoint = session.begin_nested()
    try:
        order = Order(
            number=pending_number(),
            customer=customer,
            order_date=shop_today(session),
            source=source,
            notes="",
            data=dict(data or {}),
            state=DRAFT,
            lines=[],
            deliveries=[],
            invoices=[],
        )
        session.add(order)
        orders._set_lines(session, order, lines, ZERO, allow_price)
        include = order.prices_include_tax
        adjustments = [
            (line.description, line.total if include else line.net)
            for line in order.lines
            if line.kind == "adjustment"
        ]
        merged: dict[str, Decimal] = {}
        for label, amount in adjustments:  # a voucher split over tax groups reads as one
            merged[label] = merged.get(label, ZERO) + amount
        return Quote(order.subtotal, order.tax, order.total, list(merged.items()))
    finally:
        savepoint.rollback()
