"""Keeping the loyalty set-up: programs, tiers, campaigns and rewards, created and changed
through the same rules from the API and the admin pages."""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from niaga.errors import Conflict, Invalid, NotFound
from niaga_loyalty.models import Campaign, Program, Reward, Tier, plausible_id

T = TypeVar("T", Program, Tier, Campaign, Reward)

KINDS: dict[str, type[Any]] = {
    "program": Program,
    "tier": Tier,
    "campaign": Campaign,
    "reward": Reward,
}


def listing(model: type[T]) -> sa.Select[tuple[T]]:
    order = {Tier: Tier.min_spend, Campaign: Campaign.starts_on.desc(), Reward: Reward.points_cost}
    return sa.select(model).order_by(order.get(model, model.id), model.id)


def get(session: Session, model: type[T], ident: int) -> T:
    found = session.get(model, ident) if plausible_id(ident) else None
    if found is None:
        raise NotFound("{thing} {id} not found", thing=model.__name__, id=ident)
    return found


def save(session: Session, record: T, data: dict[str, Any]) -> T:
    """Apply ``data`` (already validated by its schema) to ``record`` and store it."""
    for name, value in data.items():
        setattr(record, name, value)
    _check(record)
    if isinstance(record, Program) and record.active:
        for other in session.scalars(sa.select(Program).where(Program.active.is_(True))):
            if other is not record:
                other.active = False
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        raise Conflict(
            "A {thing} with this name already exists", thing=type(record).__name__
        ) from None
    return record


def _check(record: Any) -> None:
    if isinstance(record, Campaign) and record.ends_on < record.starts_on:
        raise Invalid(
            "The campaign ends before it starts", fields={"ends_on": ["Before starts_on"]}
        )
    if isinstance(record, Reward):
        if record.kind == "voucher" and (record.discount_amount is None) == (
            record.discount_percent is None
        ):
            raise Invalid(
                "A voucher gives either an amount or a percent off",
                fields={"discount_amount": ["Give an amount or a percent"]},
            )
        if record.kind == "gift" and record.product_id is None:
            raise Invalid("A gift names the product to give", fields={"product_id": ["Required"]})


def delete_tier(session: Session, tier: Tier) -> None:
    """Remove a tier; its members fall to the tier their spend reaches next time."""
    from niaga_loyalty.models import Member

    for member in session.scalars(sa.select(Member).where(Member.tier_id == tier.id)):
        member.tier_id = None
    session.flush()
    session.delete(tier)
    session.flush()
