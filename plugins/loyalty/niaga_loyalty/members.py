"""Who a member is: finding members by customer or portal login, and what they see."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import NotFound
from niaga.models import User
from niaga.runtime import hooks
from niaga_loyalty import ledger, tiers
from niaga_loyalty.models import Member


def listing(session: Session, search: str = "") -> sa.Select[tuple[Member]]:
    """Members, largest balance first; ``search`` matches the name."""
    statement = sa.select(Member).order_by(Member.balance.desc(), Member.id)
    if search:
        statement = statement.where(Member.name.ilike(f"%{search}%"))
    return statement


def for_user(session: Session, user_id: int) -> Member:
    """The member a portal user collects points as: linked here, or through the sales
    customer the login belongs to (made a member on first visit)."""
    member = session.scalar(sa.select(Member).where(Member.user_id == user_id))
    if member is not None:
        return member
    customer = hooks().sales_customer(session=session, customer_id=None, user_id=user_id)
    if customer is None or not customer.active:
        raise NotFound("You are not a member of the loyalty program yet")
    member = ledger.member_for_customer(session, customer.id, customer.name)
    member.user_id = user_id
    session.flush()
    return member


def link_user(session: Session, member: Member, user_id: int | None) -> Member:
    """Let ``user_id`` see this member's points in the portal."""
    if user_id is not None and session.get(User, user_id) is None:
        raise NotFound("User {id} not found", id=user_id)
    member.user_id = user_id
    session.flush()
    return member


def overview(session: Session, member: Member) -> dict[str, Any]:
    """Balance, tier, rolling spend and what expires when, as the API and pages show it."""
    return {
        "member": member,
        "spend": tiers.rolling_spend(session, member),
        "expiring": ledger.expiring(session, member),
        "tier_changes": tiers.changes(session, member),
    }
