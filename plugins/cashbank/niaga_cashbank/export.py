"""The journal exported for an accountant: beancount (one ``open`` per account, the
balances carried in when the period starts after the first entry, one transaction per
entry, checkable with ``bean-check``) and CSV (one row per line), and report tables as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.money import CURRENCY
from niaga_cashbank import ledger
from niaga_cashbank.models import Account
from niaga_cashbank.reports import INCOME_TYPES, Report

#: the account earlier periods' profit is carried into when a period's export opens
RETAINED_EARNINGS = "3-3000"

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
    """The posted journal in beancount syntax; a period that starts after the first entry
    opens with the balances carried in (earlier profit as retained earnings)."""
    lines_by_entry = ledger.period_lines(session, start, end)
    chart = {a.id: a for a in ledger.accounts(session)}
    first = min((entry.date for entry, _ in lines_by_entry), default=shop_today(session))
    carried = _carried_in(session, chart, start)
    opening = start - dt.timedelta(days=1) if start is not None and carried else None
    if opening is not None:
        first = min(first, opening)
    out = [
        'option "title" "Niaga: jurnal umum"',
        f'option "operating_currency" "{CURRENCY}"',
        "",
    ]
    for account in chart.values():
        out.append(f"{first.isoformat()} open {beancount_name(account)} {CURRENCY}")
    if opening is not None:
        out.append("")
        out.append(f'{opening.isoformat()} * "" {_quote("Saldo awal")}')
        for account, amount in carried:
            out.append(f"  {beancount_name(account)}  {amount:.2f} {CURRENCY}")
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


def _carried_in(
    session: Session, chart: dict[int, Account], start: dt.date | None
) -> list[tuple[Account, Decimal]]:
    """Debit-minus-credit balances before ``start``: balance-sheet accounts as they stand,
    the profit of earlier periods on retained earnings (3-3000, when the chart has it)."""
    if start is None:
        return []
    before = ledger.net(session, None, start - dt.timedelta(days=1))
    retained = next((a for a in chart.values() if a.code == RETAINED_EARNINGS), None)
    carried: dict[int, Decimal] = defaultdict(Decimal)
    for account_id, amount in before.items():
        if retained is not None and chart[account_id].type in INCOME_TYPES:
            account_id = retained.id
        carried[account_id] += amount
    return [(chart[i], amount) for i, amount in sorted(carried.items()) if amount]


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
