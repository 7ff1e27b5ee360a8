"""The journal exported for an accountant: beancount (one ``open`` per account, one
transaction per entry, checkable with ``bean-check``) and CSV (one row per line), and report
tables as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.money import CURRENCY
from niaga_cashbank import ledger
from niaga_cashbank.models import Account
from niaga_cashbank.reports import Report

BEANCOUNT_ROOTS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "revenue": "Income",
    "cost": "Expenses",
    "expense": "Expenses",
}


def beancount_name(account: Account) -> str:
    """``Assets:1-1100-Kas``: the type as root, then code and name in CamelCase (beancount
    allows letters, digits and dashes in a component)."""
    words = re.findall(r"[A-Za-z0-9]+", account.name)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return f"{BEANCOUNT_ROOTS[account.type]}:{account.code.replace('.', '-')}-{name}".rstrip("-")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def beancount(session: Session, start: dt.date | None = None, end: dt.date | None = None) -> str:
    """The posted journal in beancount syntax."""
    lines_by_entry = ledger.period_lines(session, start, end)
    chart = {a.id: a for a in ledger.accounts(session)}
    first = min((entry.date for entry, _ in lines_by_entry), default=shop_today(session))
    out = [
        'option "title" "Niaga: jurnal umum"',
        f'option "operating_currency" "{CURRENCY}"',
        "",
    ]
    for account in chart.values():
        out.append(f"{first.isoformat()} open {beancount_name(account)} {CURRENCY}")
    current = None
    for entry, line in lines_by_entry:
        if entry.id != current:
            current = entry.id
            out.append("")
            out.append(
                f"{entry.date.isoformat()} * {_quote(entry.reference)} {_quote(entry.description)}"
            )
            out.append(f"  niaga_entry: {entry.id}")
        amount = line.debit - line.credit
        out.append(f"  {beancount_name(chart[line.account_id])}  {amount:.2f} {CURRENCY}")
    out.append("")
    return "\n".join(out)


def journal_csv(session: Session, start: dt.date | None = None, end: dt.date | None = None) -> str:
    """One row per posted journal line."""
    chart = {a.id: a for a in ledger.accounts(session)}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "entry",
            "date",
            "reference",
            "description",
            "account_code",
            "account_name",
            "debit",
            "credit",
            "memo",
            "party",
            "document",
        ]
    )
    for entry, line in ledger.period_lines(session, start, end):
        account = chart[line.account_id]
        writer.writerow(
            [
                entry.id,
                entry.date.isoformat(),
                entry.reference,
                entry.description,
                account.code,
                account.name,
                f"{line.debit:.2f}",
                f"{line.credit:.2f}",
                line.memo,
                line.party_name,
                line.document,
            ]
        )
    return buffer.getvalue()


def report_csv(report: Report) -> str:
    """A report table as CSV (numbers with a dot, so spreadsheets read them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([report.title, report.period])
    writer.writerow(["kode", "keterangan", *report.columns])
    for row in report.rows:
        writer.writerow([row.code, row.label, *("" if v is None else str(v) for v in row.values)])
    return buffer.getvalue()
