"""Tiers: a member's level follows their spend over the last ``loyalty.tier_window_days``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.db import utcnow
from niaga_loyalty import settings
from niaga_loyalty.models import Entry, Member, Tier, TierChange


def _spend_statement(session: Session, member: Member) -> sa.Select[tuple[Decimal | None]]:
    since = utcnow() - dt.timedelta(days=settings.tier_window_days(session))
    return sa.select(sa.func.sum(Entry.spend)).where(
        Entry.member_id == member.id, Entry.occurred_at >= since
    )


def rolling_spend(session: Session, member: Member) -> Decimal:
    """Spend (net of tax, less returns) counted for the member's tier."""
    return Decimal(session.scalar(_spend_statement(session, member)) or 0)


def refresh(session: Session, member: Member) -> TierChange | None:
    """Move the member to the tier their rolling spend earns (the highest tier whose
    minimum spend is reached); records the change. The tiers and the spend are read in
    one statement."""
    rows = session.execute(
        sa.select(Tier, _spend_statement(session, member).scalar_subquery()).order_by(
            Tier.min_spend.desc(), Tier.id
        )
    ).all()
    if not rows and member.tier_id is None:
        return None  # no tiers to be in
    spend = Decimal(rows[0][1] or 0) if rows else rolling_spend(session, member)
    tier = next((tier for tier, _ in rows if tier.min_spend <= spend), None)
    new_id = tier.id if tier else None
    if new_id == member.tier_id:
        return None
    change = TierChange(
        member_id=member.id,
        from_tier=member.tier.name if member.tier else "",
        to_tier=tier.name if tier else "",
        spend=spend,
    )
    member.tier_id = new_id
    session.add(change)
    session.flush()
    session.refresh(member, ["tier"])
    return change


def refresh_all(session: Session) -> list[TierChange]:
    """Refresh every member (spend rolls out of the window as time passes)."""
    changes = []
    for member in session.scalars(sa.select(Member).order_by(Member.id)).all():
        change = refresh(session, member)
        if change is not None:
            changes.append(change)
    return changes


def changes(session: Session, member: Member) -> list[TierChange]:
    """The member's tier history, newest first."""
    return list(
        session.scalars(
            sa.select(TierChange)
            .where(TierChange.member_id == member.id)
            .order_by(TierChange.id.desc())
        )
    )
