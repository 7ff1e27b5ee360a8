"""Loyalty tables: programs, tiers, campaigns, members, the points ledger and its lots,
the reward catalogue and redemptions. Points are whole numbers (64-bit); money is rupiah."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from niaga.db import Model, Money, Quantity, TimestampMixin, utcnow

ENTRY_KINDS = ("earn", "redeem", "expire", "adjust", "reverse", "merge")
#: Primary keys are 32-bit; a larger id in a URL names nothing (PostgreSQL would refuse it).
MAX_ID = 2**31 - 1


def plausible_id(ident: int) -> bool:
    return 0 < ident <= MAX_ID


class Program(TimestampMixin, Model):
    """Earn rules: ``points_per_step`` points for every ``amount_per_step`` rupiah spent
    (net of tax), with multipliers per product id or category; one program is active."""

    __tablename__ = "loyalty_program"
    __config__ = True  # niaga.config_version: kept per process (earning.active_program)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)
    amount_per_step: Mapped[Decimal] = mapped_column(Money, default=Decimal("10000"))
    points_per_step: Mapped[int] = mapped_column(default=1)
    min_order: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    #: ``{"<product id>": "2"}`` and ``{"<category>": "1.5"}``: earn multipliers.
    product_multipliers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    category_multipliers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class Tier(TimestampMixin, Model):
    """A member level reached by rolling spend (Silver, Gold, Platinum), with a multiplier."""

    __tablename__ = "loyalty_tier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    min_spend: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    multiplier: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))


class Campaign(TimestampMixin, Model):
    """A time-boxed promotion: multiply points and/or add a bonus per order, for everyone,
    one product, one category or one customer group."""

    __tablename__ = "loyalty_campaign"
    __config__ = True  # niaga.config_version: kept per process (earning.active_program)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date] = mapped_column(sa.Date)
    multiplier: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))
    bonus_points: Mapped[int] = mapped_column(default=0)
    #: everyone, product, category or group
    scope: Mapped[str] = mapped_column(sa.String(20), default="everyone")
    target: Mapped[str] = mapped_column(sa.String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)


class Member(TimestampMixin, Model):
    """A sales customer collecting points. ``balance`` caches the ledger sum (checked by
    ``niaga check``); it is changed only by conditional atomic updates."""

    __tablename__ = "loyalty_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(160), default="")
    #: The portal login of this member, when known to loyalty.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"), index=True)
    balance: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    tier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("loyalty_tier.id"))

    tier: Mapped[Tier | None] = relationship(lazy="joined")


class Entry(Model):
    """One row of the append-only points ledger. ``reference`` names the document (or the
    loyalty record) behind it; a kind happens once per member and reference."""

    __tablename__ = "loyalty_entry"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("member_id", "kind", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("loyalty_member.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    points: Mapped[int] = mapped_column(sa.BigInteger)
    value: Mapped[Decimal] = mapped_column(Money)
    reference: Mapped[str] = mapped_column(sa.String(80))
    #: The sales order an earn or reverse belongs to, to match returns with earnings.
    order_reference: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    #: Spend (net of tax) an earn counts for tiers; negative on a reverse.
    spend: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    actor: Mapped[str] = mapped_column(sa.String(120), default="")
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Lot(Model):
    """Points received by one ledger row and not yet used, expiring at ``expires_at``.
    Redemptions, expiries and reversals draw lots oldest first (FIFO)."""

    __tablename__ = "loyalty_lot"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("loyalty_member.id"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("loyalty_entry.id"), unique=True)
    points: Mapped[int] = mapped_column(sa.BigInteger)
    remaining: Mapped[int] = mapped_column(sa.BigInteger)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class TierChange(Model):
    """A member moved between tiers; shown to the member."""

    __tablename__ = "loyalty_tier_change"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("loyalty_member.id"), index=True)
    from_tier: Mapped[str] = mapped_column(sa.String(60), default="")
    to_tier: Mapped[str] = mapped_column(sa.String(60), default="")
    spend: Mapped[Decimal] = mapped_column(Money)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Reward(TimestampMixin, Model):
    """A catalogue item: a discount voucher (amount or percent, minimum order) or a gift
    item taken from inventory stock."""

    __tablename__ = "loyalty_reward"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    #: voucher or gift
    kind: Mapped[str] = mapped_column(sa.String(10))
    points_cost: Mapped[int] = mapped_column(sa.BigInteger)
    discount_amount: Mapped[Decimal | None] = mapped_column(Money)
    discount_percent: Mapped[Decimal | None] = mapped_column(Quantity)
    min_order: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    product_id: Mapped[int | None] = mapped_column()
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))
    active: Mapped[bool] = mapped_column(default=True)


class Redemption(TimestampMixin, Model):
    """Points exchanged for a reward. A voucher is ``available`` until an order uses it
    (``used``; back to ``available`` if that order is cancelled); a gift is ``issued``."""

    __tablename__ = "loyalty_redemption"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("loyalty_member.id"), index=True)
    reward_id: Mapped[int] = mapped_column(sa.ForeignKey("loyalty_reward.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    points: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(sa.String(12))
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    order_reference: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column()

    reward: Mapped[Reward] = relationship()
    member: Mapped[Member] = relationship()

    @property
    def reference(self) -> str:
        return f"loyalty.redemption:{self.id}"
