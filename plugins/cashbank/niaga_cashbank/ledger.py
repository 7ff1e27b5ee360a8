"""Balances read from the posted journal: per account over a period, and line by line for the
general ledger. Everything in the reports is derived from here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.money import ZERO
from niaga_cashbank.models import Account, JournalEntry, JournalLine

CENT = Decimal("0.01")


def _posted_lines(start: dt.date | None, end: dt.date | None) -> sa.Select:
    statement = (
        sa.select(JournalLine.account_id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.posted.is_(True))
    )
    if start is not None:
        statement = statement.where(JournalEntry.date >= start)
    if end is not None:
        statement = statement.where(JournalEntry.date <= end)
    return statement


def _exact(value: object) -> Decimal:
    # SQLite sums NUMERIC as floating point; amounts have two decimals, so this is exact.
    return Decimal(str(value or 0)).quantize(CENT)


def movements(
    session: Session, start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, tuple[Decimal, Decimal]]:
    """``{account_id: (debits, credits)}`` of posted entries dated within [start, end]."""
    statement = (
        _posted_lines(start, end)
        .add_columns(sa.func.sum(JournalLine.debit), sa.func.sum(JournalLine.credit))
        .group_by(JournalLine.account_id)
    )
    return {row[0]: (_exact(row[1]), _exact(row[2])) for row in session.execute(statement)}


def net(
    session: Session, start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, Decimal]:
    """``{account_id: debits - credits}`` over [start, end]."""
    return {key: debit - credit for key, (debit, credit) in movements(session, start, end).items()}


def accounts(session: Session, include_archived: bool = True) -> list[Account]:
    """The chart, by code."""
    statement = sa.select(Account).order_by(Account.code)
    if not include_archived:
        statement = statement.where(Account.archived.is_(False))
    return list(session.scalars(statement))


def natural(account: Account, debit_minus_credit: Decimal) -> Decimal:
    """A balance shown the way the account's type reads it (credits positive for
    liabilities, equity and revenue)."""
    return debit_minus_credit if account.debit_normal else -debit_minus_credit


def balance(session: Session, account: Account, end: dt.date | None = None) -> Decimal:
    """The natural balance of ``account`` at the end of ``end`` (all time when ``None``)."""
    return natural(account, net(session, None, end).get(account.id, ZERO))


def period_lines(
    session: Session, start: dt.date | None, end: dt.date | None
) -> list[tuple[JournalEntry, JournalLine]]:
    """All posted lines in [start, end], in date order."""
    return _lines(session, start, end)


def account_lines(
    session: Session, account: Account, start: dt.date | None, end: dt.date | None
) -> list[tuple[JournalEntry, JournalLine]]:
    """Posted lines of ``account`` in [start, end], in date order."""
    return _lines(session, start, end, account.id)


def _lines(
    session: Session, start: dt.date | None, end: dt.date | None, account_id: int | None = None
) -> list[tuple[JournalEntry, JournalLine]]:
    statement = (
        sa.select(JournalEntry, JournalLine)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .where(JournalEntry.posted.is_(True))
        .order_by(JournalEntry.date, JournalEntry.id, JournalLine.id)
    )
    if account_id is not None:
        statement = statement.where(JournalLine.account_id == account_id)
    if start is not None:
        statement = statement.where(JournalEntry.date >= start)
    if end is not None:
        statement = statement.where(JournalEntry.date <= end)
    return [(entry, line) for entry, line in session.execute(statement)]


def unbalanced_entries(session: Session) -> list[int]:
    """Ids of posted entries whose debits and credits differ (the database should make this
    impossible; the check proves it)."""
    statement = (
        sa.select(JournalEntry.id, sa.func.sum(JournalLine.debit), sa.func.sum(JournalLine.credit))
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id, isouter=True)
        .where(JournalEntry.posted.is_(True))
        .group_by(JournalEntry.id)
    )
    return [
        row[0]
        for row in session.execute(statement)
        if _exact(row[1]) != _exact(row[2]) or _exact(row[1]) == 0
    ]
