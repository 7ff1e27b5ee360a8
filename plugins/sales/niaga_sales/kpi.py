"""The figures a retailer sees about itself on its portal dashboard (issue 22: the
partnership shares its KPIs openly): what it bought this month and last month, counted by
the same rule as the owner's activity page (:mod:`niaga_sales.activity`: invoiced less
returned, before PPN, by document date), its status there, what it owes and when, its last
orders, and what other plugins add about it (loyalty: points and tier progress, through the
``sales_portal_figures`` hook, only while such a plugin is enabled).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import month_bounds, shop_today
from niaga.money import ZERO
from niaga.runtime import hooks
from niaga_sales import activity, receivables
from niaga_sales.models import Customer, Invoice, Order

LAST_ORDERS = 5


@dataclass(frozen=True)
class RetailerKpis:
    """One retailer's dashboard."""

    today: dt.date
    month: activity.Period
    previous_month: activity.Period
    purchases: Decimal
    purchases_previous: Decimal
    orders: int
    status: str
    balance: dict[str, Any]
    due: list[Invoice]
    last_orders: list[Order]
    figures: list[Any] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        """This month's purchases against last month's, as a fraction; None without any."""
        if not self.purchases_previous:
            return None
        return (self.purchases - self.purchases_previous) / self.purchases_previous


def retailer_kpis(session: Session, customer: Customer) -> RetailerKpis:
    """The dashboard of ``customer``: this month up to the shop's today, and last month."""
    today = shop_today(session)
    first, _ = month_bounds(today)
    month = activity.Period(first, today)
    before_first, before_last = month_bounds(first - dt.timedelta(days=1))
    previous = activity.Period(before_first, before_last)
    purchases = activity.net_sales(session, month).get(customer.id, ZERO)
    purchases_previous = activity.net_sales(session, previous).get(customer.id, ZERO)
    status = next(
        (
            row.status
            for row in activity.retailer_activity(session, activity.period_ending(session))
            if row.customer_id == customer.id
        ),
        "never",
    )
    due = [
        invoice
        for invoice in session.scalars(
            sa.select(Invoice)
            .where(Invoice.customer_id == customer.id, Invoice.state == "open")
            .order_by(Invoice.due_date, Invoice.id)
        )
        if invoice.open_amount > 0
    ]
    last_orders = session.scalars(
        sa.select(Order)
        .where(Order.customer_id == customer.id)
        .order_by(Order.order_date.desc(), Order.id.desc())
        .limit(LAST_ORDERS)
    ).all()
    figures = [
        figure
        for found in hooks().sales_portal_figures(session=session, customer_id=customer.id)
        for figure in found or []
    ]
    return RetailerKpis(
        today=today,
        month=month,
        previous_month=previous,
        purchases=purchases,
        purchases_previous=purchases_previous,
        orders=activity.placed_orders(session, month).get(customer.id, 0),
        status=status,
        balance=receivables.customer_balance(session, customer),
        due=due,
        last_orders=list(last_orders),
        figures=figures,
    )


# --- the owner's figures -------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerKpis:
    """The network at a glance: net sales this month and last (the analysis page's total),
    retailers buying in the activity period out of all, and the portal's share of their
    purchases (portal orders out of every purchase: orders and counter sales)."""

    sales: Decimal
    sales_previous: Decimal
    buying: int
    retailers: int
    portal_share: Decimal | None


def owner_kpis(session: Session) -> OwnerKpis:
    from niaga_sales import analysis  # the analysis page's rule for "sales"

    today = shop_today(session)
    first, _ = month_bounds(today)
    before_first, before_last = month_bounds(first - dt.timedelta(days=1))
    rows = activity.retailer_activity(session, activity.period_ending(session))
    portal = sum(r.portal_orders for r in rows)
    every = portal + sum(r.other_purchases for r in rows)
    return OwnerKpis(
        sales=analysis.analyse(session, first, today, by="month").total,
        sales_previous=analysis.analyse(session, before_first, before_last, by="month").total,
        buying=sum(1 for r in rows if r.status in ("new", "active", "declining")),
        retailers=len(rows),
        portal_share=Decimal(portal) / every if every else None,
    )
