"""Loyalty reports: points issued, redeemed, expired and reversed over a period, the
outstanding liability, and the members who earn most."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.money import round_rupiah
from niaga_loyalty import settings
from niaga_loyalty.models import Entry, Member


def _period(statement: sa.Select[Any], start: dt.datetime | None, end: dt.datetime | None) -> Any:
    if start is not None:
        statement = statement.where(Entry.occurred_at >= start)
    if end is not None:
        statement = statement.where(Entry.occurred_at < end)
    return statement


def summary(
    session: Session, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> dict[str, Any]:
    """Points and their rupiah value by movement, and what is outstanding now."""
    rows = session.execute(
        _period(
            sa.select(
                Entry.kind,
                sa.func.sum(sa.case((Entry.points > 0, Entry.points), else_=0)),
                sa.func.sum(sa.case((Entry.points < 0, -Entry.points), else_=0)),
            ).group_by(Entry.kind),
            start,
            end,
        )
    ).all()
    by_kind = {kind: (int(plus or 0), int(minus or 0)) for kind, plus, minus in rows}
    value = settings.point_value(session)
    outstanding = int(
        session.scalar(sa.select(sa.func.sum(Member.balance)).where(Member.balance > 0)) or 0
    )
    figures = {
        "issued": by_kind.get("earn", (0, 0))[0] + by_kind.get("adjust", (0, 0))[0],
        "redeemed": by_kind.get("redeem", (0, 0))[1],
        "expired": by_kind.get("expire", (0, 0))[1],
        "reversed": by_kind.get("reverse", (0, 0))[1],
        "adjusted_down": by_kind.get("adjust", (0, 0))[1],
        "outstanding": outstanding,
    }
    return {
        "points": figures,
        "value": {name: round_rupiah(points * value) for name, points in figures.items()},
        "point_value": value,
        "members": int(session.scalar(sa.select(sa.func.count()).select_from(Member)) or 0),
    }


def top_members(
    session: Session,
    limit: int = 10,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Members by points earned (less reversals) in the period, with their spend."""
    earned = sa.func.sum(Entry.points).label("earned")
    rows = session.execute(
        _period(
            sa.select(Member.id, Member.name, Member.customer_id, earned, sa.func.sum(Entry.spend))
            .join(Member, Member.id == Entry.member_id)
            .where(Entry.kind.in_(("earn", "reverse")))
            .group_by(Member.id, Member.name, Member.customer_id)
            .order_by(earned.desc(), Member.id)
            .limit(limit),
            start,
            end,
        )
    ).all()
    return [
        {
            "member_id": member_id,
            "name": name,
            "customer_id": customer_id,
            "points": int(points or 0),
            "spend": Decimal(spend or 0),
        }
        for member_id, name, customer_id, points, spend in rows
    ]
