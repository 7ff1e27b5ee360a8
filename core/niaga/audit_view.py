"""The audit log as a shop owner reads it: who (by name), what changed (field labels, money
in rupiah, states in words: "Status: draf → dikonfirmasi"), when (shop time).

Rows keep their raw JSON; this only presents them. Labels come from the translation
catalogues (a column ``paid_amount`` reads "Paid amount", translated when a catalogue has
it); money columns are those mapped with two decimals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.actions import name_label
from niaga.clock import shop_tz
from niaga.db import Model
from niaga.i18n import gettext
from niaga.l10n import format_money
from niaga.models import AuditLog, User
from niaga.web import format_date

ACTIONS = {"create": "created", "update": "changed", "delete": "deleted"}
#: Columns nobody needs to read about in a history.
QUIET = {"id", "created_at", "updated_at", "password_hash", "session_version"}


@dataclass(frozen=True)
class Change:
    """One field of a row before and after, as words."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One audit row as words."""

    row: AuditLog
    who: str
    action: str
    changes: tuple[Change, ...]


def describe(session: Session, rows: Iterable[AuditLog]) -> list[Entry]:
    """``rows`` in words, with the people behind ``user:<id>`` actors named."""
    rows = list(rows)
    names = actor_names(session, (row.actor for row in rows))
    return [
        Entry(
            row=row,
            who=names.get(row.actor, row.actor),
            action=gettext(ACTIONS.get(row.action, row.action)),
            changes=tuple(changes(row)),
        )
        for row in rows
    ]


def changes(row: AuditLog) -> list[Change]:
    """The fields that differ between ``before`` and ``after`` (all of them on a create or
    delete), in the order of the row's columns."""
    before, after = row.before or {}, row.after or {}
    money = _money_columns(row.entity)
    found = []
    for field in dict.fromkeys([*before, *after]):
        if field in QUIET or before.get(field) == after.get(field):
            continue
        found.append(
            Change(
                label=name_label(field),
                before=_words(before.get(field), field in money),
                after=_words(after.get(field), field in money),
            )
        )
    return found


def day_bounds(session: Session, start: dt.date | None, end: dt.date | None) -> tuple[Any, ...]:
    """SQL conditions for rows on the shop's days ``start`` to ``end`` (either open)."""
    zone = shop_tz(session)
    conditions = []
    if start is not None:
        conditions.append(AuditLog.occurred_at >= dt.datetime.combine(start, dt.time(), zone))
    if end is not None:
        following = end + dt.timedelta(days=1)
        conditions.append(AuditLog.occurred_at < dt.datetime.combine(following, dt.time(), zone))
    return tuple(conditions)


def _words(value: Any, money: bool) -> str:
    if value is None or value == "":
        return "—"
    if money:
        try:
            return format_money(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        moment = _instant(value)
        if moment is not None:
            return format_date(moment, with_time=True)
        return gettext(value)  # states and kinds read in words ("draft" → "draf")
    return str(value)


def _instant(text: str) -> dt.datetime | None:
    """A stored timestamp (``2026-11-29T23:30:00+00:00``), or None for other text."""
    if len(text) < 19 or text[4] != "-" or text[10] != "T":
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _money_columns(table_name: str) -> set[str]:
    table = Model.metadata.tables.get(table_name)
    if table is None:
        return set()
    return {
        column.name
        for column in table.columns
        if isinstance(column.type, sa.Numeric) and column.type.scale == 2
    }


def actor_names(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """Actors as the audit log records them (``user:<id>:<login>``, ``token:<id>:<login>``)
    by the person's name, for any screen that shows who did something; other actors (the
    command line, a plugin) are left out."""
    logins = {
        actor: actor.split(":", 2)[2]
        for actor in actors
        if actor.count(":") >= 2 and actor.split(":", 1)[0] in ("user", "token")
    }
    if not logins:
        return {}
    wanted = set(logins.values())
    users = session.scalars(
        sa.select(User).where(sa.or_(User.email.in_(wanted), User.phone.in_(wanted)))
    )
    by_login = {}
    for user in users:
        for login in (user.email, user.phone):
            if login:
                by_login[login] = user.name or login
    named = {}
    for actor, login in logins.items():
        name = by_login.get(login, login)
        named[actor] = (
            gettext("{name} (API token)", name=name) if actor.startswith("token:") else name
        )
    return named
