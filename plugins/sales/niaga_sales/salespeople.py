"""Salespeople: who takes orders at the retailers' shops, the retailers each looks after,
and their monthly targets against what they achieved.

A salesperson is a record of its own, optionally linked to a login: retailers and targets
can be given to someone before they have a login, and stay theirs if the login changes.
A login linked to a salesperson that has ``sales.take_orders`` takes orders as them.

Achievement is the salesperson's row of the sales analysis
(:func:`niaga_sales.analysis.analyse` by ``salesperson``) for the month: net sales before
PPN, invoiced less returned, each document on its own date, for orders they took.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import month_bounds
from niaga.errors import Invalid, NotFound
from niaga.models import User
from niaga.money import ZERO, to_decimal
from niaga_sales import analysis
from niaga_sales.customers import get_customer
from niaga_sales.models import Customer, Salesperson, SalesTarget


def get_salesperson(session: Session, salesperson_id: int) -> Salesperson:
    found = session.get(Salesperson, salesperson_id)
    if found is None:
        raise NotFound("Salesperson {id} not found", id=salesperson_id)
    return found


def list_salespeople(session: Session, active_only: bool = False) -> list[Salesperson]:
    statement = sa.select(Salesperson).order_by(Salesperson.name, Salesperson.id)
    if active_only:
        statement = statement.where(Salesperson.active.is_(True))
    return list(session.scalars(statement))


def of_user(session: Session, user_id: int) -> Salesperson | None:
    """The active salesperson a login takes orders as, if any."""
    return session.scalar(
        sa.select(Salesperson).where(Salesperson.user_id == user_id, Salesperson.active.is_(True))
    )


def save_salesperson(
    session: Session, data: dict[str, Any], salesperson: Salesperson | None = None
) -> Salesperson:
    """Create or change a salesperson (``code``, ``name``, ``phone``, ``user_id``,
    ``active``); a code or a login belongs to one salesperson only."""
    target = salesperson or Salesperson(phone="", active=True)
    if "code" in data or salesperson is None:
        code = str(data.get("code") or "").strip().upper()
        clash = session.scalar(sa.select(Salesperson).where(Salesperson.code == code))
        if not code or len(code) > 20 or (clash is not None and clash is not target):
            raise Invalid(
                "Salesperson code {value} is empty, too long or already used",
                code="salesperson_code_taken",
                value=code,
                fields={"code": ["Already used or empty."]},
            )
        target.code = code
    if "name" in data or salesperson is None:
        name = str(data.get("name") or "").strip()
        if not name or len(name) > 120:
            raise Invalid("A salesperson needs a name", fields={"name": ["Required."]})
        target.name = name
    if "phone" in data:
        target.phone = str(data["phone"] or "").strip()[:30]
    if "active" in data:
        target.active = bool(data["active"])
    if "user_id" in data:
        user_id = data["user_id"]
        if user_id is not None:
            if session.get(User, user_id) is None:
                raise Invalid("Login {id} does not exist", id=user_id, fields={"user_id": ["?"]})
            clash = session.scalar(sa.select(Salesperson).where(Salesperson.user_id == user_id))
            if clash is not None and clash is not target:
                raise Invalid(
                    "That login already belongs to salesperson {name}",
                    name=clash.name,
                    fields={"user_id": ["Already linked."]},
                )
        target.user_id = user_id
    if salesperson is None:
        session.add(target)
    session.flush()
    return target


def assign(session: Session, customer_id: int, salesperson_id: int | None) -> Customer:
    """Give retailer ``customer_id`` to a salesperson (None: to nobody)."""
    customer = get_customer(session, customer_id)
    if salesperson_id is not None:
        found = get_salesperson(session, salesperson_id)
        if not found.active:
            raise Invalid("Salesperson {name} is not active", name=found.name)
    customer.salesperson_id = salesperson_id
    session.flush()
    return customer


def retailers(session: Session, salesperson_id: int) -> list[Customer]:
    """The active retailers a salesperson looks after, by shop name."""
    return list(
        session.scalars(
            sa.select(Customer)
            .where(Customer.salesperson_id == salesperson_id, Customer.active.is_(True))
            .order_by(Customer.shop_name)
        )
    )


def month_of(value: dt.date) -> dt.date:
    """The first day of ``value``'s month (how targets are keyed)."""
    return month_bounds(value)[0]


def set_target(session: Session, salesperson_id: int, month: dt.date, amount: Any) -> SalesTarget:
    """The salesperson's target for ``month`` (any day of it), replacing an earlier one."""
    get_salesperson(session, salesperson_id)
    value = to_decimal(amount)
    if value < 0:
        raise Invalid("A target cannot be negative", fields={"amount": [">= 0"]})
    first = month_of(month)
    found = session.scalar(
        sa.select(SalesTarget).where(
            SalesTarget.salesperson_id == salesperson_id, SalesTarget.month == first
        )
    )
    if found is None:
        found = SalesTarget(salesperson_id=salesperson_id, month=first, amount=value)
        session.add(found)
    else:
        found.amount = value
    session.flush()
    return found


@dataclass(frozen=True)
class Achievement:
    """A salesperson's target and net sales of one month."""

    salesperson: Salesperson
    month: dt.date
    target: Decimal | None
    achieved: Decimal
    retailers: int

    @property
    def percent(self) -> Decimal | None:
        """Achieved as a percentage of the target (None without a positive target)."""
        if not self.target:
            return None
        return (self.achieved * 100 / self.target).quantize(Decimal("0.1"))


def achievements(
    session: Session, month: dt.date, salesperson_id: int | None = None
) -> list[Achievement]:
    """Targets against achievement of ``month`` for every active salesperson (and any
    inactive one with a target or sales that month), or only ``salesperson_id``."""
    start, end = month_bounds(month)
    found = analysis.analyse(session, start, end, "salesperson")
    achieved = {row.key: row.sales for row in found.rows}
    targets = {
        t.salesperson_id: t.amount
        for t in session.scalars(sa.select(SalesTarget).where(SalesTarget.month == start))
    }
    counts = dict(
        session.execute(
            sa.select(Customer.salesperson_id, sa.func.count())
            .where(Customer.salesperson_id.is_not(None), Customer.active.is_(True))
            .group_by(Customer.salesperson_id)
        ).all()
    )
    people = (
        [get_salesperson(session, salesperson_id)]
        if salesperson_id is not None
        else list_salespeople(session)
    )
    return [
        Achievement(
            person,
            start,
            targets.get(person.id),
            achieved.get(str(person.id), ZERO),
            counts.get(person.id, 0),
        )
        for person in people
        if salesperson_id is not None
        or person.active
        or person.id in targets
        or str(person.id) in achieved
    ]
