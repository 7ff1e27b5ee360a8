"""Dashboard figures: today's sales, open receivables, and the retailer network."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.i18n import gettext
from niaga.l10n import format_money
from niaga_sales.models import PENDING, Invoice, Registration
from niaga_sales.receivables import OPEN_AMOUNT


def _figure(amount: object, note: str) -> Markup:
    return Markup('<div class="figure">{}</div><div class="muted">{}</div>').format(
        format_money(amount), escape(note)
    )


def today_widget(session: Session) -> Markup:
    """Invoiced today (POS and orders) and how many invoices."""
    total, count = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Invoice.total), 0), sa.func.count()).where(
            Invoice.invoice_date == shop_today(session)
        )
    ).one()
    return _figure(total, gettext("{count} invoices", count=count))


def receivables_widget(session: Session) -> Markup:
    """What customers owe, and how much of it is overdue."""
    open_total = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(OPEN_AMOUNT), 0)).where(Invoice.state == "open")
    )
    overdue = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(OPEN_AMOUNT), 0)).where(
            Invoice.state == "open", Invoice.due_date < shop_today(session)
        )
    )
    return _figure(open_total, gettext("overdue {amount}", amount=format_money(overdue)))


def network_widget(session: Session) -> Markup:
    """Retailers active in the activity period (new ones included) out of all, and the
    sign-ups waiting for approval, each linking to its page."""
    from flask import url_for

    from niaga_sales import activity

    rows = activity.retailer_activity(session, activity.period_ending(session))
    buying = sum(1 for r in rows if r.status in ("new", "active", "declining"))
    waiting = session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(Registration.state == PENDING)
    )
    return Markup(
        '<div class="figure"><a href="{}">{}</a></div><div class="muted"><a href="{}">{}</a></div>'
    ).format(
        url_for("sales_admin.retailer_activity"),
        gettext("{count} of {total} buying", count=buying, total=len(rows)),
        url_for("sales_admin.registrations"),
        gettext("{count} registrations waiting", count=waiting),
    )
