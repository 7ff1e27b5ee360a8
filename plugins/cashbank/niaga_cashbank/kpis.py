"""Two figures an owner asks the books for: the gross margin of the month (sales less the
cost of what was sold) and how many days the stock on hand lasts at the pace of the last
30 days' cost of sales. Both come from the posted journal, so they agree with the Laba Rugi
and the Neraca."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from niaga.clock import month_bounds, shop_today
from niaga.i18n import gettext
from niaga.l10n import format_money, format_number
from niaga.money import ZERO
from niaga_cashbank import ledger
from niaga_cashbank.journal import rule_account
from niaga_cashbank.reports import Period, profit_and_loss

#: the days of cost of sales the stock cover is measured against
PACE_DAYS = 30


@dataclass(frozen=True)
class Margin:
    """Sales (net of returns and discounts), their cost, and what is left."""

    revenue: Decimal
    cost: Decimal

    @property
    def amount(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def percent(self) -> Decimal | None:
        """The margin as a percentage of sales, one decimal; ``None`` without sales."""
        if not self.revenue:
            return None
        return (self.amount * 100 / self.revenue).quantize(Decimal("0.1"), ROUND_HALF_UP)


def gross_margin(session: Session, period: Period) -> Margin:
    totals = profit_and_loss(session, period, compare=False).totals
    return Margin(totals["revenue"], totals["cost"])


def stock_cover_days(session: Session, today: dt.date) -> int | None:
    """Days the stock value on the books lasts at the last 30 days' cost of sales; ``None``
    when nothing was sold in that time (the stock does not run down)."""
    account = rule_account(session, "inventory_stock_moved.receipt", "debit")
    value = ledger.natural(account, ledger.net(session, None, today).get(account.id, ZERO))
    pace = gross_margin(session, Period(today - dt.timedelta(days=PACE_DAYS - 1), today)).cost
    if pace <= 0:
        return None
    return int((value * PACE_DAYS / pace).to_integral_value(ROUND_HALF_UP))


def render(session: Session) -> Markup:
    """The dashboard widget: this month's gross margin and the stock cover."""
    today = shop_today(session)
    margin = gross_margin(session, Period(month_bounds(today)[0], today))
    cover = stock_cover_days(session, today)
    share = (
        gettext("{percent} % of sales", percent=format_number(margin.percent, 1))
        if margin.percent is not None
        else gettext("no sales yet")
    )
    days = (
        gettext("about {days} days", days=format_number(Decimal(cover), 0))
        if cover is not None
        else gettext("nothing sold in the last 30 days")
    )
    return Markup(
        '<p id="gross-margin"><strong>{amount}</strong> {label} ({share})</p>'
        '<p id="stock-cover">{cover_label}: <strong>{days}</strong></p>'
    ).format(
        amount=format_money(margin.amount),
        label=escape(gettext("gross margin this month")),
        share=share,
        cover_label=gettext("Stock lasts"),
        days=days,
    )
