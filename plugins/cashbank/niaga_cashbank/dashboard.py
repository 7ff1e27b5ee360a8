"""The dashboard widget: income, expenses and cash at the end of each of the last six months,
drawn as a small inline SVG (no JavaScript, no chart library: light on a slow phone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.i18n import gettext
from niaga.l10n import format_money
from niaga.money import ZERO
from niaga_cashbank import ledger
from niaga_cashbank.reports import Period, add_months, profit_and_loss

MONTHS = 6
WIDTH, HEIGHT, PAD = 300, 120, 14
SERIES = (("income", "#0b6e4f"), ("expenses", "#b3261e"), ("cash", "#1f5fa8"))


def trend(session: Session, today: dt.date | None = None) -> list[dict[str, object]]:
    """Per month: label, income (revenue), expenses (cost + expenses), cash at month end."""
    today = today or shop_today(session)
    first = add_months(today.replace(day=1), -(MONTHS - 1))
    cash_ids = {a.id for a in ledger.accounts(session) if a.cash_kind}
    points = []
    for index in range(MONTHS):
        start = add_months(first, index)
        period = Period(start, add_months(start, 1) - dt.timedelta(days=1))
        totals = profit_and_loss(session, period, compare=False).totals
        balances = ledger.net(session, None, period.end)
        cash = sum((v for k, v in balances.items() if k in cash_ids), ZERO)
        points.append(
            {
                "month": start.strftime("%m/%y"),
                "income": totals["revenue"],
                "expenses": totals["cost"] + totals["expense"],
                "cash": cash,
            }
        )
    return points


def chart_svg(points: list[dict[str, object]]) -> Markup:
    """Three polylines over the months, scaled to the largest figure."""
    values = [Decimal(str(p[name])) for p in points for name, _ in SERIES]
    top = max([abs(v) for v in values] + [Decimal(1)])
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def y(value: Decimal) -> float:
        return HEIGHT - PAD - float(value / top) * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(gettext("Income, expenses and cash per month"))}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#d9e0e7"/>',
    ]
    for name, colour in SERIES:
        coords = " ".join(
            f"{PAD + i * step:.1f},{y(Decimal(str(p[name]))):.1f}" for i, p in enumerate(points)
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>'
        )
    for i, p in enumerate(points):
        parts.append(
            f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - 2}" font-size="9" text-anchor="middle">'
            f"{escape(p['month'])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def render(session: Session) -> Markup:
    """The widget's HTML: the chart, a legend and this month's figures."""
    points = trend(session)
    last = points[-1]
    labels = {"income": gettext("Income"), "expenses": gettext("Expenses"), "cash": gettext("Cash")}
    legend = "".join(
        f'<li><span style="color:{colour}">&#9632;</span> {escape(labels[name])}: '
        f"{escape(format_money(last[name]))}</li>"
        for name, colour in SERIES
    )
    return chart_svg(points) + Markup(
        f'<ul class="muted" style="list-style:none;padding:0">{legend}</ul>'
    )
