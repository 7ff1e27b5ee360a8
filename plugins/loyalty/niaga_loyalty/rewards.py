"""The reward catalogue: redeeming points for discount vouchers or gift items, and using
vouchers at checkout through sales' ``sales_adjustments`` hook.

A voucher is paid for with points when redeemed; an order that names it (or picks it
automatically, when the owner chose that) gets the discount, confirming the order marks
the voucher used and cancelling the order makes it available again. Gift items leave
stock through ``inventory_issue(kind="gift")`` in the same transaction as the points.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.contracts import Document
from niaga.db import utcnow
from niaga.errors import InsufficientStock, Invalid, NotFound, Refused
from niaga.l10n import format_money
from niaga.money import round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_loyalty import ledger, settings
from niaga_loyalty.models import Member, Redemption, Reward, plausible_id
from niaga_sales.contracts import Adjustment

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def get_reward(session: Session, reward_id: int) -> Reward:
    reward = session.get(Reward, reward_id) if plausible_id(reward_id) else None
    if reward is None:
        raise NotFound("Reward {id} not found", id=reward_id)
    return reward


def catalogue(session: Session) -> sa.Select[tuple[Reward]]:
    """Active rewards, cheapest first."""
    return sa.select(Reward).where(Reward.active.is_(True)).order_by(Reward.points_cost, Reward.id)


def _new_code() -> str:
    return "LV" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _check_gift_stock(session: Session, reward: Reward) -> None:
    if reward.product_id is None:
        raise Invalid("Gift {name} names no product", name=reward.name)
    available = hooks().inventory_available(
        session=session, product_id=reward.product_id, warehouse_id=None
    )
    if available is None:
        raise Refused(
            "Gift items need the inventory plugin, which is not enabled",
            code="inventory_disabled",
        )
    if to_decimal(available) < reward.quantity:
        raise InsufficientStock(
            "Not enough stock for {name}: {available} left", name=reward.name, available=available
        )


def redeem(session: Session, member: Member, reward_id: int) -> Redemption:
    """Spend the member's points on a reward (the caller commits). Refused when the
    balance, the reward or the gift's stock does not allow it."""
    reward = get_reward(session, reward_id)
    if not reward.active:
        raise Refused("Reward {name} is no longer offered", name=reward.name)
    if reward.kind == "gift":
        _check_gift_stock(session, reward)
    redemption = Redemption(
        member_id=member.id,
        reward_id=reward.id,
        kind=reward.kind,
        points=reward.points_cost,
        status="available" if reward.kind == "voucher" else "issued",
        code=_new_code(),
    )
    session.add(redemption)
    session.flush()
    ledger.record(
        session,
        member,
        "redeem",
        -reward.points_cost,
        redemption.reference,
        reason=reward.name,
        redeemed_for="discount" if reward.kind == "voucher" else "gift",
    )
    if reward.kind == "gift":
        assert reward.product_id is not None
        moves = hooks().inventory_issue(
            session=session,
            reference=redemption.reference,
            lines=[StockLine(product_id=reward.product_id, quantity=reward.quantity)],
            kind="gift",
        )
        if moves is None:
            raise Refused(
                "Gift items need the inventory plugin, which is not enabled",
                code="inventory_disabled",
            )
    return redemption


def redemptions(session: Session, member: Member | None = None) -> sa.Select[tuple[Redemption]]:
    statement = sa.select(Redemption).order_by(Redemption.id.desc())
    if member is not None:
        statement = statement.where(Redemption.member_id == member.id)
    return statement


# --- vouchers at checkout ------------------------------------------------------------------


def discount_for(reward: Reward, base: Decimal) -> Decimal:
    """The voucher's discount on an order worth ``base`` (0 below its minimum order)."""
    if base <= 0 or base < reward.min_order:
        return Decimal("0")
    if reward.discount_amount is not None:
        amount = reward.discount_amount
    else:
        amount = round_rupiah(base * (reward.discount_percent or Decimal("0")) / 100)
    return min(amount, base)


def _order_base(order: Document) -> Decimal:
    lines = sum((to_decimal(line.net) for line in order.lines), Decimal("0"))
    return lines if lines > 0 else to_decimal(order.subtotal)


def _voucher_by_code(session: Session, member: Member, code: str) -> Redemption:
    wanted = code.strip().upper()
    voucher = None
    if wanted.isalnum() and len(wanted) <= 20:  # codes are short and alphanumeric
        voucher = session.scalar(
            sa.select(Redemption).where(Redemption.code == wanted, Redemption.kind == "voucher")
        )
    if voucher is None or voucher.member_id != member.id:
        raise Invalid(
            "Voucher {voucher} is not one of this customer's vouchers",
            voucher=code,
            fields={"voucher_code": ["Unknown voucher"]},
        )
    return voucher


def _usable_by(voucher: Redemption, order: Document) -> bool:
    return voucher.status == "available" or (
        voucher.status == "used" and voucher.order_reference == order.reference
    )


def checkout_adjustments(
    session: Session, order: Document, customer_id: int | None
) -> list[Adjustment]:
    """The voucher discount for ``order``: the voucher named by ``data["voucher_code"]``,
    or the member's oldest fitting one when ``loyalty.auto_apply_voucher`` is on."""
    if customer_id is None:
        return []
    code = str(order.data.get("voucher_code") or "")
    if not code and not settings.auto_apply_voucher(session):
        return []  # no voucher to find: the member is not looked up
    member = session.scalar(sa.select(Member).where(Member.customer_id == customer_id))
    if member is None:
        if code:
            raise Invalid("Voucher {voucher} is not one of this customer's vouchers", voucher=code)
        return []
    base = _order_base(order)
    if code:
        voucher = _voucher_by_code(session, member, code)
        if not _usable_by(voucher, order):
            raise Refused("Voucher {voucher} was already used", voucher=voucher.code)
        amount = discount_for(voucher.reward, base)
        if amount <= 0:
            raise Refused(
                "Voucher {voucher} needs an order of at least {minimum}",
                voucher=voucher.code,
                minimum=format_money(voucher.reward.min_order),
            )
    elif settings.auto_apply_voucher(session):
        found = [
            (v, discount_for(v.reward, base))
            for v in session.scalars(
                redemptions(session, member)
                .where(Redemption.kind == "voucher", Redemption.status == "available")
                .order_by(None)
                .order_by(Redemption.id)
            )
        ]
        fitting = [(v, amount) for v, amount in found if amount > 0]
        if not fitting:
            return []
        voucher, amount = fitting[0]
    else:
        return []
    return [
        Adjustment(
            code="loyalty_voucher",
            label=f"Voucher {voucher.reward.name} ({voucher.code})",
            amount=-amount,
            source="loyalty",
            reference=voucher.reference,
            data={"voucher_code": voucher.code},
        )
    ]


def _order_vouchers(order: Document) -> list[int]:
    ids = []
    for adjustment in order.data.get("adjustments") or []:
        reference = str(adjustment.get("reference") or "")
        ident = reference.removeprefix("loyalty.redemption:")
        if adjustment.get("source") == "loyalty" and ident != reference and ident.isdigit():
            ids.append(int(ident))
    return ids


def use_vouchers(session: Session, order: Document) -> int:
    """Mark the vouchers the confirmed ``order`` carries as used by it; refuses (and so
    rolls the confirmation back) when another order got there first."""
    used = 0
    for redemption_id in _order_vouchers(order):
        voucher = (
            session.get(Redemption, redemption_id, with_for_update=True, populate_existing=True)
            if plausible_id(redemption_id)
            else None
        )
        if voucher is None or voucher.kind != "voucher" or not _usable_by(voucher, order):
            raise Refused("A loyalty voucher on this order was already used")
        voucher.status, voucher.order_reference = "used", order.reference
        voucher.used_at = voucher.used_at or utcnow()
        used += 1
    session.flush()
    return used


def restore_vouchers(session: Session, order: Document) -> int:
    """Make the vouchers used by the cancelled ``order`` available again."""
    vouchers = session.scalars(
        sa.select(Redemption)
        .where(Redemption.order_reference == order.reference, Redemption.status == "used")
        .with_for_update()
    ).all()
    for voucher in vouchers:
        voucher.status, voucher.order_reference, voucher.used_at = "available", None, None
    session.flush()
    return len(vouchers)


def check_order(session: Session, order: Document, action: str) -> None:
    """Refuse to confirm an order whose loyalty voucher is used by another order."""
    if action != "confirm":
        return
    for redemption_id in _order_vouchers(order):
        voucher = session.get(Redemption, redemption_id) if plausible_id(redemption_id) else None
        if voucher is None or not _usable_by(voucher, order):
            raise Refused("A loyalty voucher on this order was already used")
