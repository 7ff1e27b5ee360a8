"""The points ledger: every change of a member's points is one append-only ``Entry``.

The member's ``balance`` is a cache of the ledger sum, changed in the same transaction by
an atomic ``UPDATE ... SET balance = balance + n``; spending adds ``WHERE balance >= n``,
so concurrent redemptions can never overspend (PostgreSQL re-checks the condition after
the row lock; SQLite writers are serialised). Points received form lots that are drawn
oldest first; a lot's remainder expires after ``loyalty.expiry_days``.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from niaga.audit import current_actor
from niaga.db import insert_unless_present, table_of, utcnow
from niaga.errors import Invalid, NotFound, Refused
from niaga.money import round_rupiah
from niaga.runtime import hooks
from niaga_loyalty import settings
from niaga_loyalty.contracts import PointsMovement
from niaga_loyalty.models import Entry, Lot, Member, plausible_id


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id) if plausible_id(member_id) else None
    if member is None:
        raise NotFound("Loyalty member {id} not found", id=member_id)
    return member


def member_for_customer(session: Session, customer_id: int, name: str = "") -> Member:
    """The member of sales customer ``customer_id``, created on first use (race-safe)."""
    query = sa.select(Member).where(Member.customer_id == customer_id)
    member = session.scalar(query)
    if member is None:
        try:
            with session.begin_nested():
                member = Member(customer_id=customer_id, name=name)
                session.add(member)
        except IntegrityError:
            member = session.scalars(query).one()
    if name and not member.name:
        member.name = name
    return member


def record(
    session: Session,
    member: Member,
    kind: str,
    points: int,
    reference: str,
    *,
    reason: str = "",
    order_reference: str = "",
    spend: Decimal = Decimal("0"),
    redeemed_for: str | None = None,
    draw_from: Lot | None = None,
) -> Entry | None:
    """Append a ledger row and move the balance and lots with it; returns ``None`` when
    this ``kind`` was already recorded for ``member`` and ``reference`` (exactly once).

    A ``redeem`` or a manual ``adjust`` is refused unless the balance covers it. Expiry
    and reversal may take the balance below zero: points spent before a return are owed
    back and come out of the next points received.
    """
    if points == 0:
        return None
    entry = session.scalars(
        insert_unless_present(session, Entry, "member_id", "kind", "reference"),
        {
            "member_id": member.id,
            "kind": kind,
            "points": points,
            "value": round_rupiah(points * settings.point_value(session)),
            "reference": reference,
            "order_reference": order_reference,
            "spend": spend,
            "reason": reason,
            "actor": current_actor()[:120],
            "occurred_at": utcnow(),
        },
    ).first()
    if entry is None:  # recorded before, by this transaction or another
        return None
    new_balance = _move_balance(session, member, points, guarded=kind in ("redeem", "adjust"))
    if points > 0:
        _add_lot(session, member, entry, owed=max(0, points - new_balance))
    else:
        _draw_lots(session, member, -points, draw_from)
    session.expire(member, ["balance"])
    hooks().loyalty_points_changed(
        session=session,
        movement=PointsMovement(
            id=entry.id,
            member_id=member.id,
            kind=kind,
            points=Decimal(points),
            value=entry.value,
            reference=reference,
            occurred_at=entry.occurred_at,
            redeemed_for=redeemed_for,
        ),
    )
    return entry


@functools.cache
def _balance_statement(guarded: bool) -> Any:
    """``balance + points`` of member ``of_member``, returning the new balance; when
    ``guarded``, only while the balance covers ``-points`` (built once)."""
    points = sa.bindparam("points", type_=Member.balance.type)
    statement = sa.update(Member).where(Member.id == sa.bindparam("of_member"))
    if guarded:
        statement = statement.where(Member.balance >= -points)
    return statement.values(balance=Member.balance + points).returning(Member.balance)


def _move_balance(session: Session, member: Member, points: int, guarded: bool) -> int:
    new_balance = session.execute(
        _balance_statement(guarded), {"of_member": member.id, "points": points}
    ).scalar()
    if new_balance is None:
        session.expire(member, ["balance"])
        raise Refused(
            "Not enough points: {needed} needed, {balance} available",
            code="insufficient_points",
            needed=-points,
            balance=member.balance,
        )
    return int(new_balance)


def _add_lot(session: Session, member: Member, entry: Entry, owed: int) -> None:
    expires = entry.occurred_at + dt.timedelta(days=settings.expiry_days(session))
    # one statement, without the unit of work: lots are read back by query when drawn
    session.execute(
        _INSERT_LOT,
        {
            "member_id": member.id,
            "entry_id": entry.id,
            "points": entry.points,
            "remaining": entry.points - owed,
            "expires_at": expires,
        },
    )


_INSERT_LOT = sa.insert(table_of(Lot))


def _draw_lots(session: Session, member: Member, points: int, first: Lot | None) -> None:
    lots = [first] if first is not None else []
    lots += session.scalars(
        sa.select(Lot)
        .where(Lot.member_id == member.id, Lot.remaining > 0)
        .order_by(Lot.expires_at, Lot.id)
        .with_for_update()
    ).all()
    for lot in lots:
        if points <= 0:
            break
        taken = min(points, lot.remaining)
        lot.remaining -= taken
        points -= taken
    session.flush()


def adjust(session: Session, member: Member, points: int, reason: str) -> Entry:
    """A manual correction by staff; the reason and who made it stay on the ledger."""
    if not reason.strip():
        raise Invalid("Give a reason for the adjustment", fields={"reason": ["Required"]})
    if points == 0:
        raise Invalid("Adjust by a non-zero number of points", fields={"points": ["Not 0"]})
    reference = f"loyalty.adjust:{uuid.uuid4().hex[:16]}"
    entry = record(session, member, "adjust", points, reference, reason=reason.strip())
    assert entry is not None
    return entry


def expire_due(session: Session, now: dt.datetime | None = None) -> list[Entry]:
    """Expire the remainder of every lot past its date, oldest first; returns the rows."""
    now = now or utcnow()
    due = session.scalars(
        sa.select(Lot)
        .where(Lot.remaining > 0, Lot.expires_at <= now)
        .order_by(Lot.expires_at, Lot.id)
    ).all()
    expired = []
    for lot in due:
        member = session.get(Member, lot.member_id)
        assert member is not None
        entry = record(
            session,
            member,
            "expire",
            -lot.remaining,
            f"loyalty.lot:{lot.id}",
            reason="Points expired",
            draw_from=lot,
        )
        if entry is not None:
            expired.append(entry)
    return expired


@dataclass(frozen=True)
class Expiring:
    """Points of a member that expire on one date."""

    expires_at: dt.datetime
    points: int


def expiring(session: Session, member: Member) -> list[Expiring]:
    """What expires when, soonest first."""
    rows = session.execute(
        sa.select(Lot.expires_at, sa.func.sum(Lot.remaining))
        .where(Lot.member_id == member.id, Lot.remaining > 0)
        .group_by(Lot.expires_at)
        .order_by(Lot.expires_at)
    ).all()
    return [Expiring(expires_at=when, points=int(points)) for when, points in rows]


def history(session: Session, member: Member) -> sa.Select[tuple[Entry]]:
    """The member's ledger, newest first."""
    return sa.select(Entry).where(Entry.member_id == member.id).order_by(Entry.id.desc())


def liability(session: Session) -> Decimal:
    """The rupiah value of the points members hold: every movement at the value it was
    recorded with (the points liability the books carry)."""
    total = session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Entry.value), 0)))
    return Decimal(str(total)).quantize(Decimal("0.01"))


def problems(session: Session) -> list[str]:
    """Members whose cached balance or lots disagree with the ledger."""
    found = []
    sums = dict(
        session.execute(
            sa.select(Entry.member_id, sa.func.sum(Entry.points)).group_by(Entry.member_id)
        ).all()
    )
    lots = dict(
        session.execute(
            sa.select(Lot.member_id, sa.func.sum(Lot.remaining)).group_by(Lot.member_id)
        ).all()
    )
    for member in session.scalars(sa.select(Member).order_by(Member.id)):
        ledger = int(sums.get(member.id) or 0)
        if member.balance != ledger:
            found.append(
                f"loyalty member {member.id}: balance {member.balance} but ledger says {ledger}"
            )
        open_lots = int(lots.get(member.id) or 0)
        if open_lots != max(ledger, 0):
            found.append(
                f"loyalty member {member.id}: unexpired lots hold {open_lots} points, "
                f"ledger balance is {ledger}"
            )
    negative = session.scalar(sa.select(sa.func.count()).select_from(Lot).where(Lot.remaining < 0))
    if negative:
        found.append(f"loyalty: {negative} lots have a negative remainder")
    return found


def merge_members(session: Session, kept_customer: int, merged_customer: int) -> Member | None:
    """The points of a merged customer join the kept customer's: the member moves over when
    the kept customer has none; otherwise each open lot moves with its expiry date (a
    ``merge`` entry out of one member and into the other), and points owed move too. The
    points' total, and so the liability in the books, does not change."""
    merged = session.scalar(sa.select(Member).where(Member.customer_id == merged_customer))
    if merged is None:
        return None
    kept = session.scalar(sa.select(Member).where(Member.customer_id == kept_customer))
    if kept is None:
        merged.customer_id = kept_customer
        return merged
    reference = f"loyalty.merge:{merged.id}"
    lots = session.scalars(
        sa.select(Lot).where(Lot.member_id == merged.id, Lot.remaining > 0).order_by(Lot.id)
    ).all()
    for lot in lots:
        _merge_entry(session, merged, -lot.remaining, f"{reference}-{lot.id}")
        arrived = _merge_entry(session, kept, lot.remaining, f"{reference}-{lot.id}")
        session.add(
            Lot(
                member_id=kept.id,
                entry_id=arrived.id,
                points=lot.remaining,
                remaining=lot.remaining,
                expires_at=lot.expires_at,
            )
        )
        lot.remaining = 0
    session.flush()
    session.refresh(merged, ["balance"])
    if merged.balance < 0:  # points spent before a return, owed back: the debt moves too
        owed = -merged.balance
        _merge_entry(session, merged, owed, f"{reference}-owed")
        _merge_entry(session, kept, -owed, f"{reference}-owed")
        _draw_lots(session, kept, owed, None)
    session.expire(kept, ["balance"])
    return kept


def _merge_entry(session: Session, member: Member, points: int, reference: str) -> Entry:
    entry = Entry(
        member_id=member.id,
        kind="merge",
        points=points,
        value=round_rupiah(points * settings.point_value(session)),
        reference=reference,
        reason="customers merged",
        actor=current_actor()[:120],
        occurred_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    _move_balance(session, member, points, guarded=False)
    return entry
