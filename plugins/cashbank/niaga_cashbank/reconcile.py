"""Bank reconciliation: import a bank statement CSV with a column mapping saved per bank
account, match statement lines to the journal lines of that account (automatically when the
amount agrees and the dates are close, by hand otherwise), and list what is unreconciled."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Conflict, Invalid, NotFound
from niaga.l10n import parse_number
from niaga.money import ZERO
from niaga_cashbank import ledger
from niaga_cashbank.models import (
    Account,
    JournalEntry,
    JournalLine,
    StatementLine,
    StatementMapping,
)
from niaga_cashbank.vouchers import cash_account

DEFAULT_MAPPING: dict[str, Any] = {
    "date": "Tanggal",
    "description": "Keterangan",
    "amount": "Jumlah",  # signed; or leave empty and give "debit"/"credit" columns
    "debit": "",
    "credit": "",
    "date_format": "%d/%m/%Y",
    "delimiter": ",",
    "decimal_comma": False,
}
MATCH_DAYS = 3


def get_mapping(session: Session, account: Account) -> dict[str, Any]:
    """The saved column mapping of ``account``'s statements (defaults until saved)."""
    row = session.scalar(
        sa.select(StatementMapping).where(StatementMapping.account_id == account.id)
    )
    return {**DEFAULT_MAPPING, **(row.columns if row else {})}


def save_mapping(session: Session, account: Account, mapping: dict[str, Any]) -> dict[str, Any]:
    """Remember how this bank's CSV reads."""
    unknown = set(mapping) - set(DEFAULT_MAPPING)
    if unknown:
        raise Invalid("Unknown mapping keys: {keys}", keys=", ".join(sorted(unknown)))
    merged = {**get_mapping(session, account), **mapping}
    if not merged["date"] or not (merged["amount"] or (merged["debit"] and merged["credit"])):
        raise Invalid("The mapping needs a date column and an amount (or debit and credit) column")
    row = session.scalar(
        sa.select(StatementMapping).where(StatementMapping.account_id == account.id)
    )
    if row is None:
        session.add(StatementMapping(account_id=account.id, columns=merged))
    else:
        row.columns = merged
    session.flush()
    return merged


def decode_upload(content: bytes) -> str:
    """The text of an uploaded statement file (UTF-8, with or without a byte order mark)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("The file is not a UTF-8 CSV file", fields={"file": ["UTF-8"]}) from None


def _number(text: str, decimal_comma: bool) -> Decimal:
    """An amount as the bank writes it, read with the same rule as every form
    (:func:`niaga.l10n.parse_number`): Indonesian (``1.234.567,89``) when the mapping says
    the bank uses a decimal comma, English (``1,234,567.89``) otherwise. Ambiguous amounts
    are refused, never guessed; an empty cell is zero."""
    value = parse_number(text, places=2, language="id" if decimal_comma else "en")
    return ZERO if value is None else value


def parse_statement(text: str, mapping: dict[str, Any]) -> list[tuple[dt.date, str, Decimal]]:
    """Rows of a statement CSV as (date, description, signed amount)."""
    reader = csv.DictReader(
        io.StringIO(text.lstrip("\ufeff")), delimiter=mapping["delimiter"] or ","
    )
    needed = [mapping["date"]] + (
        [mapping["amount"]] if mapping["amount"] else [mapping["debit"], mapping["credit"]]
    )
    missing = [name for name in needed if name not in (reader.fieldnames or [])]
    if missing:
        raise Invalid("The CSV has no column {columns}", columns=", ".join(missing))
    rows = []
    for number, record in enumerate(reader, start=2):
        if not any((value or "").strip() for value in record.values()):
            continue
        try:
            date = dt.datetime.strptime(
                record[mapping["date"]].strip(), mapping["date_format"]
            ).date()
        except ValueError:
            raise Invalid(
                "Line {line}: {value} is not a date like {format}",
                line=number,
                value=record[mapping["date"]],
                format=mapping["date_format"],
            ) from None
        if mapping["amount"]:
            amount = _number(record[mapping["amount"]], mapping["decimal_comma"])
        else:
            amount = _number(record[mapping["credit"]] or "", mapping["decimal_comma"]) - _number(
                record[mapping["debit"]] or "", mapping["decimal_comma"]
            )
        description = (record.get(mapping["description"]) or "").strip()[:255]
        rows.append((date, description, amount))
    return rows


def import_statement(session: Session, account_id: int, text: str) -> list[StatementLine]:
    """Import a statement CSV for the account; lines already imported are skipped, so the
    same file (or an overlapping one) can be imported twice."""
    account = cash_account(session, account_id)
    mapping = get_mapping(session, account)
    added = []
    seen: dict[str, int] = {}
    for date, description, amount in parse_statement(text, mapping):
        base = f"{date}|{description}|{amount}"
        seen[base] = seen.get(base, 0) + 1
        fingerprint = hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()
        exists = session.scalar(
            sa.select(StatementLine.id).where(
                StatementLine.account_id == account.id, StatementLine.fingerprint == fingerprint
            )
        )
        if exists is None:
            line = StatementLine(
                account_id=account.id,
                date=date,
                description=description,
                amount=amount,
                fingerprint=fingerprint,
            )
            session.add(line)
            added.append(line)
    session.flush()
    return added


def _matched_line_ids(session: Session) -> set[int]:
    statement = sa.select(StatementLine.matched_line_id).where(
        StatementLine.matched_line_id.is_not(None)
    )
    return set(session.scalars(statement))


def unmatched_journal_lines(
    session: Session, account: Account
) -> list[tuple[JournalEntry, JournalLine]]:
    """Journal lines on ``account`` that no statement line matches yet."""
    matched = _matched_line_ids(session)
    return [
        pair
        for pair in ledger.account_lines(session, account, None, None)
        if pair[1].id not in matched
    ]


def unmatched_statement_lines(session: Session, account: Account) -> list[StatementLine]:
    statement = (
        sa.select(StatementLine)
        .where(StatementLine.account_id == account.id, StatementLine.matched_line_id.is_(None))
        .order_by(StatementLine.date, StatementLine.id)
    )
    return list(session.scalars(statement))


def auto_match(session: Session, account_id: int, days: int = MATCH_DAYS) -> int:
    """Match each open statement line to an open journal line of the same amount within
    ``days`` days (closest date first); returns how many were matched."""
    account = cash_account(session, account_id)
    candidates = unmatched_journal_lines(session, account)
    count = 0
    for statement_line in unmatched_statement_lines(session, account):
        best = None
        for entry, line in candidates:
            if line.debit - line.credit != statement_line.amount:
                continue
            distance = abs((entry.date - statement_line.date).days)
            if distance <= days and (best is None or distance < best[0]):
                best = (distance, entry, line)
        if best is not None:
            statement_line.matched_line_id = best[2].id
            statement_line.matched_by = "auto"
            candidates = [pair for pair in candidates if pair[1].id != best[2].id]
            count += 1
    session.flush()
    return count


def match(session: Session, statement_line_id: int, journal_line_id: int) -> StatementLine:
    """Match by hand: the journal line must be on the same account and not matched yet."""
    statement_line = session.get(StatementLine, statement_line_id)
    if statement_line is None:
        raise NotFound("No statement line {id}", id=statement_line_id)
    line = session.get(JournalLine, journal_line_id)
    if line is None or not line.entry.posted:
        raise NotFound("No posted journal line {id}", id=journal_line_id)
    if line.account_id != statement_line.account_id:
        raise Invalid("The journal line is on another account")
    if statement_line.matched_line_id is not None:
        raise Conflict("Statement line {id} is already matched", id=statement_line.id)
    if journal_line_id in _matched_line_ids(session):
        raise Conflict("Journal line {id} is already matched", id=journal_line_id)
    statement_line.matched_line_id = line.id
    statement_line.matched_by = "manual"
    session.flush()
    return statement_line


def unmatch(session: Session, statement_line_id: int) -> StatementLine:
    statement_line = session.get(StatementLine, statement_line_id)
    if statement_line is None:
        raise NotFound("No statement line {id}", id=statement_line_id)
    statement_line.matched_line_id = None
    statement_line.matched_by = ""
    session.flush()
    return statement_line
