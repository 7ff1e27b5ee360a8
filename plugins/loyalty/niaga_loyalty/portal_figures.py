"""What loyalty shows on a retailer's dashboard in the sales portal (the sales hook
``sales_portal_figures``): the points balance, and the tier with the progress of the
rolling spend toward the next one. Read only: a customer that is no member yet gets the
figures of an empty balance, and no member is made for it here."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session

from niaga.i18n import gettext
from niaga.l10n import format_money, format_number
from niaga_loyalty import tiers
from niaga_loyalty.models import Member, Tier
from niaga_sales.contracts import PortalFigure


def figures(session: Session, customer_id: int) -> list[PortalFigure]:
    member = session.scalar(sa.select(Member).where(Member.customer_id == customer_id))
    balance = member.balance if member is not None else 0
    spend = tiers.rolling_spend(session, member) if member is not None else Decimal(0)
    current = member.tier if member is not None else None
    floor = current.min_spend if current is not None else Decimal(0)
    upper = session.scalar(
        sa.select(Tier).where(Tier.min_spend > floor).order_by(Tier.min_spend, Tier.id).limit(1)
    )
    href = url_for("loyalty_portal.index")
    found = [
        PortalFigure(
            label=gettext("Points"),
            value=format_number(balance),
            href=href,
        )
    ]
    if current is None and upper is None:
        return found  # the shop has no tiers
    if upper is None:
        note, progress = gettext("The highest tier"), Decimal(1)
    else:
        span = upper.min_spend - floor
        progress = min(max((spend - floor) / span, Decimal(0)), Decimal(1)) if span else None
        note = gettext(
            "{amount} more to {tier}",
            amount=format_money(max(upper.min_spend - spend, Decimal(0))),
            tier=upper.name,
        )
    found.append(
        PortalFigure(
            label=gettext("Tier"),
            value=current.name if current is not None else "—",
            note=note,
            progress=progress,
            href=href,
        )
    )
    return found
