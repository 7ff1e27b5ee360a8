"""Receivables: what each customer owes, how overdue it is, and the credit they use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.money import ZERO
from niaga_sales.models import (
    CONFIRMED,
    DELIVERED,
    PARTIALLY_DELIVERED,
    Customer,
    Invoice,
    Order,
    Payment,
)

BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")
OPEN_AMOUNT = Invoice.total - Invoice.paid_amount - Invoice.credited_amount


def exposure(session: Session, customer_id: int, exclude_order_id: int | None = None) -> Decimal:
    """Credit in use: open invoices plus confirmed orders not invoiced yet (less what was
    paid on them in advance)."""
    invoiced = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(OPEN_AMOUNT), 0)).where(
            Invoice.customer_id == customer_id, Invoice.state == "open"
        )
    )
    open_orders = sa.select(Order.id).where(
        Order.customer_id == customer_id,
        Order.state.in_((CONFIRMED, PARTIALLY_DELIVERED, DELIVERED)),
    )
    if exclude_order_id is not None:
        open_orders = open_orders.where(Order.id != exclude_order_id)
    ordered = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Order.total), 0)).where(Order.id.in_(open_orders))
    )
    prepaid = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
            Payment.order_id.in_(open_orders), Payment.invoice_id.is_(None)
        )
    )
    return Decimal(invoiced) + Decimal(ordered) - Decimal(prepaid)


def bucket(due_date: dt.date, today: dt.date) -> str:
    """The ageing bucket of an invoice due on ``due_date``."""
    late = (today - due_date).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "1_30"
    if late <= 60:
        return "31_60"
    if late <= 90:
        return "61_90"
    return "over_90"


def aged(session: Session, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Open receivables per customer, split into ageing buckets (by days past due)."""
    today = today or shop_today(session)
    rows: dict[int, dict[str, Any]] = {}
    invoices = session.scalars(
        sa.select(Invoice).where(Invoice.state == "open").order_by(Invoice.due_date)
    )
    for invoice in invoices:
        amount = invoice.open_amount
        if amount <= 0:
            continue
        row = rows.setdefault(
            invoice.customer_id,
            {
                "customer_id": invoice.customer_id,
                "customer": invoice.customer.shop_name,
                "area": invoice.customer.area,
                **{name: ZERO for name in BUCKETS},
                "total": ZERO,
                "invoices": 0,
            },
        )
        row[bucket(invoice.due_date, today)] += amount
        row["total"] += amount
        row["invoices"] += 1
    return sorted(rows.values(), key=lambda r: (-r["total"], r["customer"]))


def customer_balance(session: Session, customer: Customer) -> dict[str, Any]:
    """A customer's open amount, overdue part and credit still available."""
    today = shop_today(session)
    open_total = ZERO
    overdue = ZERO
    for invoice in session.scalars(
        sa.select(Invoice).where(Invoice.customer_id == customer.id, Invoice.state == "open")
    ):
        open_total += invoice.open_amount
        if invoice.due_date < today:
            overdue += invoice.open_amount
    used = exposure(session, customer.id)
    available = None if customer.credit_limit is None else customer.credit_limit - used
    return {
        "customer_id": customer.id,
        "open": open_total,
        "overdue": overdue,
        "credit_used": used,
        "credit_limit": customer.credit_limit,
        "credit_available": available,
    }
