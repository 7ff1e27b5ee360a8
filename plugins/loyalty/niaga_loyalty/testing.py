"""Test helpers for loyalty: a retailer that holds a voucher, as the portal tests need."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from niaga_loyalty import ledger, rewards
from niaga_loyalty.models import Reward


def voucher_for(db: Session, customer_id: int, name: str, discount: Decimal) -> str:
    """Give customer ``customer_id`` 1.000 points and redeem 800 of them for a voucher of
    ``discount`` (orders from Rp 50.000); returns the voucher code, uncommitted."""
    member = ledger.member_for_customer(db, customer_id, name)
    db.flush()
    ledger.adjust(db, member, 1000, "Opening balance")
    reward = Reward(
        name="Voucher 25 ribu",
        kind="voucher",
        points_cost=800,
        discount_amount=discount,
        min_order=Decimal("50000"),
    )
    db.add(reward)
    db.flush()
    return rewards.redeem(db, member, reward.id).code
