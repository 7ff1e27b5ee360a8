"""Which retailers are active, which are slipping away, and what to do about each.

For a period (by default the ``sales.activity_days`` days up to the shop's today, 30 unless
the owner sets otherwise) and the period of the same length before it, each retailer gets
its orders and net sales (invoices less credit notes, before PPN) in both, its last order
date, a **status** and a **quadrant**:

* status ``new`` (its first purchase ever — an order placed or an invoice, a counter sale
  included — is in the period), ``active`` (bought in the period, and for at least
  ``sales.declining_percent`` — 50 unless the owner sets otherwise — percent of the period
  before), ``declining`` (bought, but for less), ``inactive`` (nothing in the period,
  something before), ``never``.
* quadrant, for the action plan: ``keep`` (sales at or above the median of retailers with
  sales, not falling), ``rescue`` (at or above the median, falling), ``develop`` (below the
  median, not falling), ``reactivate`` (below the median and falling, or nothing sold).
  Falling is the same rule as declining.

It also tells how the retailer bought in the period: orders sent through the portal against
everything else (orders taken by staff or the API, and counter sales), as the portal share.

Walk-in counter sales are not a retailer and are left out; so are deactivated customers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from statistics import median

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.errors import Invalid
from niaga.money import ZERO
from niaga_sales.config import setting
from niaga_sales.models import CANCELLED, DRAFT, CreditNote, Customer, Invoice, Order, PosSale

STATUSES = ("new", "active", "declining", "inactive", "never")
QUADRANTS = ("keep", "rescue", "develop", "reactivate")
DEFAULT_DAYS = 30
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Period:
    """``start`` to ``end``, both days included, and the period of equal length before."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def before(self) -> Period:
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(1))


@dataclass(frozen=True)
class RetailerActivity:
    """One retailer's figures for a period and the period before it."""

    customer_id: int
    code: str
    shop_name: str
    area: str
    last_purchase: dt.date | None
    orders: int
    orders_before: int
    sales: Decimal
    sales_before: Decimal
    status: str
    quadrant: str
    #: purchases in the period: orders sent through the portal, and everything else
    portal_orders: int = 0
    other_purchases: int = 0

    @property
    def portal_share(self) -> Decimal | None:
        """Portal orders as a fraction of all purchases in the period; None without any."""
        every = self.portal_orders + self.other_purchases
        return Decimal(self.portal_orders) / every if every else None

    @property
    def change(self) -> Decimal | None:
        """Sales against the period before, as a fraction (``-0.25``); None without a base."""
        if not self.sales_before:
            return None
        return (self.sales - self.sales_before) / self.sales_before


def period_ending(session: Session, end: dt.date | None = None, days: int | None = None) -> Period:
    """The ``days`` days (default: the owner's ``sales.activity_days``) up to ``end``
    (default: the shop's today)."""
    if days is None:
        days = int(setting(session, "activity_days") or DEFAULT_DAYS)  # type: ignore[call-overload]
    if not 1 <= days <= 366:
        raise Invalid("A period is 1 to 366 days", fields={"days": ["1 to 366"]})
    end = end or shop_today(session)
    return Period(end - dt.timedelta(days=days - 1), end)


def declining_percent(session: Session) -> Decimal:
    """Below this percent of the period before, a retailer is declining (the owner's
    ``sales.declining_percent``)."""
    return Decimal(setting(session, "declining_percent") or 50)  # type: ignore[arg-type]


def retailer_activity(
    session: Session, period: Period, area: str | None = None
) -> list[RetailerActivity]:
    """Every active (not walk-in) retailer's activity, most sales first."""
    percent = declining_percent(session)
    customers = sa.select(Customer).where(Customer.walk_in.is_(False), Customer.active.is_(True))
    if area:
        customers = customers.where(Customer.area == area)
    rows = session.scalars(customers.order_by(Customer.shop_name)).all()
    now, before = period, period.before
    orders_now, orders_before = _orders(session, now), _orders(session, before)
    sales_now, sales_before = _net_sales(session, now), _net_sales(session, before)
    first, last = _first_purchases(session), _last_purchases(session, now.end)
    channels = _channels(session, now)
    selling = [sales_now[c.id] for c in rows if sales_now.get(c.id, ZERO) > 0]
    middle = Decimal(median(selling)) if selling else ZERO
    found = []
    for customer in rows:
        figures = (
            orders_now.get(customer.id, 0),
            orders_before.get(customer.id, 0),
            sales_now.get(customer.id, ZERO),
            sales_before.get(customer.id, ZERO),
        )
        new = customer.id in first and now.start <= first[customer.id] <= now.end
        portal, other = channels.get(customer.id, (0, 0))
        found.append(
            replace(
                _activity(customer, last.get(customer.id), new, figures, middle, percent),
                portal_orders=portal,
                other_purchases=other,
            )
        )
    return sorted(found, key=lambda a: (-a.sales, a.shop_name))


def _activity(
    customer: Customer,
    last_purchase: dt.date | None,
    new: bool,
    figures: tuple[int, int, Decimal, Decimal],
    middle: Decimal,
    percent: Decimal,
) -> RetailerActivity:
    orders, orders_before, sales, sales_before = figures
    falling = sales * HUNDRED < sales_before * percent
    if last_purchase is None:
        status = "never"
    elif orders == 0 and sales == 0:
        status = "inactive"
    elif new:
        status = "new"
    else:
        status = "declining" if falling else "active"
    high = sales > 0 and sales >= middle
    quadrant = {
        (True, False): "keep",
        (True, True): "rescue",
        (False, False): "develop",
        (False, True): "reactivate",
    }[(high, falling or sales == 0)]
    return RetailerActivity(
        customer_id=customer.id,
        code=customer.code,
        shop_name=customer.shop_name,
        area=customer.area,
        last_purchase=last_purchase,
        orders=orders,
        orders_before=orders_before,
        sales=sales,
        sales_before=sales_before,
        status=status,
        quadrant=quadrant,
    )


def _placed(statement: sa.Select[tuple[int, int]]) -> sa.Select[tuple[int, int]]:
    return statement.where(Order.state.not_in((DRAFT, CANCELLED)))


def _orders(session: Session, period: Period) -> dict[int, int]:
    statement = _placed(
        sa.select(Order.customer_id, sa.func.count(Order.id))
        .where(Order.order_date.between(period.start, period.end))
        .group_by(Order.customer_id)
    )
    return {customer_id: count for customer_id, count in session.execute(statement)}


def _last_purchases(session: Session, until: dt.date) -> dict[int, dt.date]:
    """The last day each customer placed an order or was invoiced, up to ``until``."""
    ordered = _placed(
        sa.select(Order.customer_id, sa.func.max(Order.order_date))
        .where(Order.order_date <= until)
        .group_by(Order.customer_id)
    )
    invoiced = (
        sa.select(Invoice.customer_id, sa.func.max(Invoice.invoice_date))
        .where(Invoice.invoice_date <= until)
        .group_by(Invoice.customer_id)
    )
    last: dict[int, dt.date] = {}
    for customer_id, day in [*session.execute(ordered), *session.execute(invoiced)]:
        last[customer_id] = max(day, last.get(customer_id, day))
    return last


def _channels(session: Session, period: Period) -> dict[int, tuple[int, int]]:
    """``{customer_id: (portal orders, other purchases)}`` in the period: placed orders by
    where they came from, and counter sales."""
    portal = Order.source == "portal"
    placed = _placed(
        sa.select(Order.customer_id, portal, sa.func.count(Order.id))
        .where(Order.order_date.between(period.start, period.end))
        .group_by(Order.customer_id, portal)
    )
    counter = (
        sa.select(Invoice.customer_id, sa.func.count(PosSale.id))
        .join(PosSale, PosSale.invoice_id == Invoice.id)
        .where(Invoice.invoice_date.between(period.start, period.end))
        .group_by(Invoice.customer_id)
    )
    found: dict[int, list[int]] = {}
    for customer_id, through_portal, count in session.execute(placed):
        found.setdefault(customer_id, [0, 0])[0 if through_portal else 1] += count
    for customer_id, count in session.execute(counter):
        found.setdefault(customer_id, [0, 0])[1] += count
    return {customer_id: (both[0], both[1]) for customer_id, both in found.items()}


def _first_purchases(session: Session) -> dict[int, dt.date]:
    """The first day each customer placed an order or was invoiced."""
    ordered = _placed(
        sa.select(Order.customer_id, sa.func.min(Order.order_date)).group_by(Order.customer_id)
    )
    invoiced = sa.select(Invoice.customer_id, sa.func.min(Invoice.invoice_date)).group_by(
        Invoice.customer_id
    )
    first: dict[int, dt.date] = {}
    for customer_id, day in [*session.execute(ordered), *session.execute(invoiced)]:
        first[customer_id] = min(day, first.get(customer_id, day))
    return first


def _net_sales(session: Session, period: Period) -> dict[int, Decimal]:
    """Invoiced less credited, before PPN, per customer, by document date."""
    sold = session.execute(
        sa.select(Invoice.customer_id, sa.func.sum(Invoice.subtotal))
        .where(Invoice.invoice_date.between(period.start, period.end))
        .group_by(Invoice.customer_id)
    )
    credited = session.execute(
        sa.select(CreditNote.customer_id, sa.func.sum(CreditNote.subtotal))
        .where(CreditNote.note_date.between(period.start, period.end))
        .group_by(CreditNote.customer_id)
    )
    totals: dict[int, Decimal] = {}
    for customer_id, amount in sold:
        totals[customer_id] = totals.get(customer_id, ZERO) + Decimal(amount or 0)
    for customer_id, amount in credited:
        totals[customer_id] = totals.get(customer_id, ZERO) - Decimal(amount or 0)
    return totals


#: per customer, for one period (the retailer's own dashboard shows these for itself)
net_sales = _net_sales
placed_orders = _orders
