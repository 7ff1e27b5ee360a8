"""Tiers: a member's level follows their spend over the last ``loyalty.tier_window_days``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.db import utcnow
from niaga_loyalty import settings
from niaga_loyalty.models import Entry, Member, Tier, TierChange


def rolling_spend(session: Session, member: Member) -> Decimal:
    """Spend (net of tax, less returns) counted for the member's tier."""
    since = utcnow() - dt.timedelta(days=settings.tier_window_days(session))
    total = session.scalar(
        sa.select(sa.func.sum(Entry.spend)).where(
            Entry.member_id == member.id, Entry.occurred_at >= since
        )
    )
    return Decimal(total or 0)


def tier_for(session: Session, spend: Decimal) -> Tier | None:
    """The highest tier whose minimum spend is reached."""
    return session.scalar(
        sa.select(Tier)
        .where(Tier.min_spend <= spend)
        .order_by(Tier.min_spend.desc(), Tier.id)
        .limit(1)
    )


def refresh(session: Session, member: Member) -> TierChange | None:
    """Move the member to the tier their rolling spend earns; records the change."""
    spend = rolling_spend(session, member)
    tier = tier_for(session, spend)
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
