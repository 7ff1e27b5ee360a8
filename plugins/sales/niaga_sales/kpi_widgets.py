"""The owner's KPI figures on the admin dashboard (issue 22), from :mod:`niaga_sales.kpi`:
net sales this month against last month, and the portal's share of retailers' purchases.
(Receivables and the retailers buying are the ``sales.receivables`` and ``sales.network``
widgets.)"""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup
from sqlalchemy.orm import Session

from niaga.i18n import gettext
from niaga.l10n import format_money, format_number
from niaga_sales import kpi

LINKED = Markup('<div class="figure"><a href="{}">{}</a></div><div class="muted">{}</div>')


def month_sales_widget(session: Session) -> Markup:
    figures = kpi.owner_kpis(session)
    note = gettext("last month {amount}", amount=format_money(figures.sales_previous))
    return LINKED.format(url_for("sales_admin.sales_analysis"), format_money(figures.sales), note)


def portal_share_widget(session: Session) -> Markup:
    share = kpi.owner_kpis(session).portal_share
    text = "—" if share is None else f"{format_number(share * 100, 0)}%"
    return LINKED.format(
        url_for("sales_admin.retailer_activity"),
        text,
        gettext("of retailers' purchases came through the portal"),
    )
