"""The financial statements SAK EMKM asks for, and the bookkeeper's working reports, for any
period: each is a :class:`Report` (title, columns, rows, totals) that the screen, print,
CSV, JSON and CLI outputs all render the same way.

Profit is never closed into equity by an entry: the statement of financial position shows
the profit of earlier periods (retained) and of the period itself, so that
assets = liabilities + equity + profit of the period. Receivables and payables are shown
party by party: a customer who paid too much is a liability and a supplier who owes the
shop (a return after payment) an asset, not a negative receivable or payable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import month_bounds
from niaga.l10n import format_day
from niaga.money import ZERO
from niaga_cashbank import ledger
from niaga_cashbank.chart import ensure_books
from niaga_cashbank.journal import rule_account
from niaga_cashbank.models import Account, JournalEntry, JournalLine

INCOME_TYPES = ("revenue", "cost", "expense")
TYPE_TITLES = {
    "asset": "Aset",
    "liability": "Liabilitas",
    "equity": "Ekuitas",
    "revenue": "Pendapatan",
    "cost": "Harga Pokok Penjualan",
    "expense": "Beban",
}
#: control accounts read party by party: (posting rule, party kind, the other side's label)
CONTROL_ACCOUNTS = (
    ("sales_invoice_issued", "receivable", "customer", "Utang lain-lain: lebih bayar pelanggan"),
    ("purchasing_bill_posted", "payable", "supplier", "Piutang lain-lain: pemasok"),
)
AGE_BUCKETS = ((30, "0-30 hari"), (60, "31-60 hari"), (90, "61-90 hari"), (None, "> 90 hari"))


@dataclass
class Row:
    """A line of a report: a heading, an account, a subtotal or a total."""

    label: str
    values: list[Decimal | str | None] = field(default_factory=list)
    code: str = ""
    style: str = ""  # "", "heading", "total", "grand"


@dataclass
class Report:
    """What every report is: ready for a table, a CSV file or JSON."""

    key: str
    title: str
    period: str
    columns: list[str]
    rows: list[Row]
    totals: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (money as strings, never floats)."""
        return {
            "report": self.key,
            "title": self.title,
            "period": self.period,
            "columns": self.columns,
            "rows": [
                {
                    "label": row.label,
                    "code": row.code,
                    "style": row.style,
                    "values": [_text(v) for v in row.values],
                }
                for row in self.rows
            ],
            "totals": {key: _text(value) for key, value in self.totals.items()},
        }


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Period:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    def previous(self) -> Period:
        """The period of the same length just before this one (whole months stay months)."""
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            start = add_months(self.start, -months)
            return Period(start, self.start - dt.timedelta(days=1))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end)

    def label(self) -> str:
        """``1 Desember 2026 – 31 Desember 2026`` (in the reader's language)."""
        return f"{format_day(self.start)} – {format_day(self.end)}"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_period(day: dt.date) -> Period:
    """The calendar month around ``day`` (reports default to that of the shop's today)."""
    return Period(*month_bounds(day))


# --- profit and loss ------------------------------------------------------------------------


def _income(session: Session, period: Period) -> dict[str, Any]:
    sums = ledger.net(session, period.start, period.end)
    accounts = ledger.accounts(session)
    lines: dict[str, list[tuple[Account, Decimal]]] = defaultdict(list)
    for account in accounts:
        if account.type in INCOME_TYPES and account.id in sums:
            lines[account.type].append((account, ledger.natural(account, sums[account.id])))
    total = {t: sum((v for _, v in lines[t]), ZERO) for t in INCOME_TYPES}
    return {
        "lines": lines,
        "revenue": total["revenue"],
        "cost": total["cost"],
        "expense": total["expense"],
        "gross_profit": total["revenue"] - total["cost"],
        "net_profit": total["revenue"] - total["cost"] - total["expense"],
    }


def profit_and_loss(session: Session, period: Period, compare: bool = True) -> Report:
    """Laporan Laba Rugi for ``period``, beside the previous period."""
    ensure_books(session)
    periods = [period, period.previous()] if compare else [period]
    figures = [_income(session, p) for p in periods]
    rows: list[Row] = []
    names = {
        "revenue": ("Pendapatan", "Jumlah pendapatan"),
        "cost": ("Harga Pokok Penjualan", "Jumlah harga pokok penjualan"),
        "expense": ("Beban Usaha", "Jumlah beban usaha"),
    }
    for type_ in INCOME_TYPES:
        heading, total_label = names[type_]
        rows.append(Row(heading, style="heading"))
        rows.extend(_account_rows([f["lines"][type_] for f in figures]))
        rows.append(Row(total_label, [f[type_] for f in figures], style="total"))
        if type_ == "cost":
            rows.append(Row("Laba kotor", [f["gross_profit"] for f in figures], style="total"))
    rows.append(Row("Laba (rugi) bersih", [f["net_profit"] for f in figures], style="grand"))
    current = figures[0]
    return Report(
        key="laba-rugi",
        title="Laporan Laba Rugi",
        period=period.label(),
        columns=[p.label() for p in periods],
        rows=rows,
        totals={
            k: current[k] for k in ("revenue", "cost", "expense", "gross_profit", "net_profit")
        },
    )


def _account_rows(columns: list[list[tuple[Account, Decimal]]]) -> list[Row]:
    """One row per account found in any column, values side by side."""
    by_account: dict[int, tuple[Account, list[Decimal | None]]] = {}
    for index, pairs in enumerate(columns):
        for account, value in pairs:
            row = by_account.setdefault(account.id, (account, [ZERO] * len(columns)))
            row[1][index] = value
    ordered = sorted(by_account.values(), key=lambda item: item[0].code)
    return [Row(account.name, values, code=account.code) for account, values in ordered]


def _other_side_rows(columns: list[list[tuple[str, Decimal]]]) -> list[Row]:
    """Rows for balances of parties shown on the other side, values side by side."""
    labels = sorted({label for pairs in columns for label, _ in pairs})
    return [Row(label, [dict(pairs).get(label, ZERO) for pairs in columns]) for label in labels]


# --- statement of financial position ------------------------------------------------------------


def _wrong_side(session: Session, account: Account, party_kind: str, as_of: dt.date) -> Decimal:
    """The sum of the parties' balances on ``account`` that stand on its other side (the
    customers in credit on a receivable account, the suppliers in debit on a payable one)."""
    rows = session.execute(
        sa.select(sa.func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalEntry.posted.is_(True),
            JournalEntry.date <= as_of,
            JournalLine.account_id == account.id,
            JournalLine.party_kind == party_kind,
        )
        .group_by(JournalLine.party_id)
    )
    balances = [ledger.natural(account, Decimal(str(row[0] or 0))) for row in rows]
    return -sum((b for b in balances if b < 0), ZERO).quantize(ledger.CENT)


def _position(session: Session, as_of: dt.date, period_start: dt.date) -> dict[str, Any]:
    sums = ledger.net(session, None, as_of)
    lines: dict[str, list[tuple[Account, Decimal]]] = defaultdict(list)
    moved: dict[int, Decimal] = {}
    other_side: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for event, slot, party_kind, label in CONTROL_ACCOUNTS:
        account = rule_account(session, event, slot)
        amount = _wrong_side(session, account, party_kind, as_of)
        if amount:
            moved[account.id] = amount
            side = "liability" if account.type == "asset" else "asset"
            other_side[side].append((label, amount))
    for account in ledger.accounts(session):
        if account.type not in INCOME_TYPES and (sums.get(account.id) or account.id in moved):
            value = ledger.natural(account, sums.get(account.id, ZERO)) + moved.get(
                account.id, ZERO
            )
            lines[account.type].append((account, value))
    earlier = _income(session, Period(dt.date.min, period_start - dt.timedelta(days=1)))
    current = _income(session, Period(period_start, as_of))
    totals = {
        t: sum((v for _, v in lines[t]), ZERO) + sum((v for _, v in other_side[t]), ZERO)
        for t in ("asset", "liability", "equity")
    }
    return {
        "lines": lines,
        "other_side": other_side,
        "assets": totals["asset"],
        "liabilities": totals["liability"],
        "equity": totals["equity"],
        "retained_profit": earlier["net_profit"],
        "period_profit": current["net_profit"],
        "equity_total": totals["equity"] + earlier["net_profit"] + current["net_profit"],
    }


def balance_sheet(
    session: Session, as_of: dt.date, period_start: dt.date | None = None, compare: bool = True
) -> Report:
    """Laporan Posisi Keuangan at the end of ``as_of`` (profit of the period counted from
    ``period_start``, default 1 January), beside the end of the previous period."""
    ensure_books(session)
    period = Period(period_start or as_of.replace(month=1, day=1), as_of)
    periods = [period, period.previous()] if compare else [period]
    figures = [_position(session, p.end, p.start) for p in periods]
    rows: list[Row] = [Row("ASET", style="heading")]
    rows.extend(_account_rows([f["lines"]["asset"] for f in figures]))
    rows.extend(_other_side_rows([f["other_side"]["asset"] for f in figures]))
    rows.append(Row("Jumlah aset", [f["assets"] for f in figures], style="grand"))
    rows.append(Row("LIABILITAS", style="heading"))
    rows.extend(_account_rows([f["lines"]["liability"] for f in figures]))
    rows.extend(_other_side_rows([f["other_side"]["liability"] for f in figures]))
    rows.append(Row("Jumlah liabilitas", [f["liabilities"] for f in figures], style="total"))
    rows.append(Row("EKUITAS", style="heading"))
    rows.extend(_account_rows([f["lines"]["equity"] for f in figures]))
    rows.append(Row("Saldo laba periode lalu", [f["retained_profit"] for f in figures]))
    rows.append(Row("Laba (rugi) periode berjalan", [f["period_profit"] for f in figures]))
    rows.append(Row("Jumlah ekuitas", [f["equity_total"] for f in figures], style="total"))
    rows.append(
        Row(
            "Jumlah liabilitas dan ekuitas",
            [f["liabilities"] + f["equity_total"] for f in figures],
            style="grand",
        )
    )
    current = figures[0]
    return Report(
        key="neraca",
        title="Laporan Posisi Keuangan",
        period=f"per {format_day(as_of)}",
        columns=[format_day(p.end) for p in periods],
        rows=rows,
        totals={
            "assets": current["assets"],
            "liabilities": current["liabilities"],
            "equity": current["equity"],
            "retained_profit": current["retained_profit"],
            "period_profit": current["period_profit"],
            "balanced": current["assets"] == current["liabilities"] + current["equity_total"],
        },
    )


# --- trial balance and general ledger ------------------------------------------------------------


def trial_balance(session: Session, period: Period) -> Report:
    """Neraca Saldo: opening, debits, credits and closing per account; the closing
    balances sum to zero when the books are right."""
    ensure_books(session)
    opening = ledger.net(session, None, period.start - dt.timedelta(days=1))
    moved = ledger.movements(session, period.start, period.end)
    rows = []
    sums = {"opening": ZERO, "debit": ZERO, "credit": ZERO, "closing": ZERO}
    for account in ledger.accounts(session):
        start = opening.get(account.id, ZERO)
        debit, credit = moved.get(account.id, (ZERO, ZERO))
        if not (start or debit or credit):
            continue
        closing = start + debit - credit
        rows.append(Row(account.name, [start, debit, credit, closing], code=account.code))
        for key, value in zip(sums, (start, debit, credit, closing), strict=True):
            sums[key] += value
    rows.append(Row("Jumlah", list(sums.values()), style="grand"))
    return Report(
        key="trial-balance",
        title="Neraca Saldo",
        period=period.label(),
        columns=["Saldo awal (D-K)", "Debit", "Kredit", "Saldo akhir (D-K)"],
        rows=rows,
        totals={**sums, "balanced": sums["closing"] == 0 and sums["debit"] == sums["credit"]},
    )


def general_ledger(session: Session, account: Account, period: Period) -> Report:
    """Buku Besar of one account: opening balance, each posted line, running balance."""
    opening = ledger.natural(
        account,
        ledger.net(session, None, period.start - dt.timedelta(days=1)).get(account.id, ZERO),
    )
    rows = [Row("Saldo awal", ["", "", "", "", opening], style="heading")]
    running = opening
    for entry, line in ledger.account_lines(session, account, period.start, period.end):
        running += ledger.natural(account, line.debit - line.credit)
        label = line.memo or entry.description
        rows.append(
            Row(
                label,
                [entry.date, f"#{entry.id} {entry.reference}", line.debit, line.credit, running],
            )
        )
    rows.append(Row("Saldo akhir", ["", "", "", "", running], style="grand"))
    return Report(
        key="buku-besar",
        title=f"Buku Besar {account.code} {account.name}",
        period=period.label(),
        columns=["Tanggal", "Jurnal", "Debit", "Kredit", "Saldo"],
        rows=rows,
        totals={"opening": opening, "closing": running},
    )


# --- cash flow ---------------------------------------------------------------------------------


#: what a cash movement is called by the role of the account on its other side, for money
#: in and for money out (direct method, the lines an accountant expects)
FLOW_LABELS = {
    "customers": ("Penerimaan dari pelanggan", "Pengembalian dana kepada pelanggan"),
    "suppliers": ("Pengembalian dana dari pemasok", "Pembayaran kepada pemasok"),
    "taxes": ("Penerimaan restitusi pajak", "Pembayaran pajak"),
    "expense": ("Penerimaan lain-lain", "Pembayaran beban usaha"),
    "equity": ("Setoran modal pemilik", "Pengambilan prive pemilik"),
}


def _flow_roles(session: Session) -> dict[int, str]:
    """The role of the accounts a cash flow is named after: customers (receivable and
    sales accounts), suppliers (payable and goods received not billed), taxes (PPN)."""
    roles = {}
    for event, slot, role in (
        ("sales_invoice_issued", "receivable", "customers"),
        ("sales_invoice_issued", "revenue", "customers"),
        ("sales_return_posted", "returns", "customers"),
        ("purchasing_bill_posted", "payable", "suppliers"),
        ("purchasing_bill_posted", "received_not_billed", "suppliers"),
        ("sales_invoice_issued", "output_vat", "taxes"),
        ("purchasing_bill_posted", "input_vat", "taxes"),
    ):
        roles[rule_account(session, event, slot).id] = role
    return roles


def _flow_label(account: Account, change: Decimal, roles: dict[int, str]) -> str:
    """A cash movement's line: by its other side's role, else the account's type for
    expenses and owner's equity, else the account's name."""
    role = roles.get(account.id)
    if role is None and account.type in ("expense", "cost"):
        role = "expense"
    if role is None and account.type == "equity":
        role = "equity"
    if role is None:
        return account.name
    money_in, money_out = FLOW_LABELS[role]
    return money_in if change > 0 else money_out


def cash_flow(session: Session, period: Period) -> Report:
    """Laporan Arus Kas (direct method): each entry's cash movement classified by the
    cash-flow class of its other accounts (financing beats investing beats operating) and
    named by what the money was for (received from customers, paid to suppliers, operating
    expenses, taxes, owner's capital and prive; other accounts by their name); transfers
    between cash accounts cancel out."""
    ensure_books(session)
    cash_ids = {a.id for a in ledger.accounts(session) if a.cash_kind}
    flows: dict[str, dict[str, Decimal]] = {
        c: defaultdict(lambda: ZERO) for c in ("operating", "investing", "financing")
    }
    opening = sum(
        (
            v
            for k, v in ledger.net(session, None, period.start - dt.timedelta(days=1)).items()
            if k in cash_ids
        ),
        ZERO,
    )
    chart = {a.id: a for a in ledger.accounts(session)}
    roles = _flow_roles(session)
    entries: dict[int, list[Any]] = defaultdict(list)
    for entry, line in ledger.period_lines(session, period.start, period.end):
        entries[entry.id].append((chart[line.account_id], line))
    for lines in entries.values():
        change = sum((line.debit - line.credit for a, line in lines if a.id in cash_ids), ZERO)
        others = [(a, line) for a, line in lines if a.id not in cash_ids]
        if not change or not others:
            continue
        classes = {a.cash_flow for a, _ in others}
        flow_class = next((c for c in ("financing", "investing") if c in classes), "operating")
        main = max(others, key=lambda pair: pair[1].debit + pair[1].credit)[0]
        flows[flow_class][_flow_label(main, change, roles)] += change
    rows = [Row("Kas dan setara kas awal periode", [opening], style="total")]
    titles = {
        "operating": "Arus kas dari aktivitas operasi",
        "investing": "Arus kas dari aktivitas investasi",
        "financing": "Arus kas dari aktivitas pendanaan",
    }
    totals: dict[str, Any] = {"opening": opening}
    for flow_class, title in titles.items():
        rows.append(Row(title, style="heading"))
        rows.extend(Row(name, [value]) for name, value in sorted(flows[flow_class].items()))
        subtotal = sum(flows[flow_class].values(), ZERO)
        rows.append(
            Row(f"Kas bersih {title.lower().removeprefix('arus kas ')}", [subtotal], style="total")
        )
        totals[flow_class] = subtotal
    closing = opening + totals["operating"] + totals["investing"] + totals["financing"]
    rows.append(Row("Kas dan setara kas akhir periode", [closing], style="grand"))
    totals["closing"] = closing
    return Report(
        key="arus-kas",
        title="Laporan Arus Kas",
        period=period.label(),
        columns=["Jumlah"],
        rows=rows,
        totals=totals,
    )


# --- aged receivables and payables -------------------------------------------------------------


def aged(session: Session, kind: str, as_of: dt.date) -> Report:
    """Umur piutang (``receivables``) or umur utang (``payables``) per party and document,
    from the journal lines on the receivable / payable account."""
    ensure_books(session)
    if kind == "receivables":
        account = rule_account(session, "sales_invoice_issued", "receivable")
    else:
        account = rule_account(session, "purchasing_bill_posted", "payable")
    open_items: dict[tuple[str, str], dict[str, Any]] = {}
    for entry, line in ledger.account_lines(session, account, None, as_of):
        key = (line.party_name or "-", line.document or entry.reference)
        item = open_items.setdefault(key, {"date": entry.date, "balance": ZERO})
        item["date"] = min(item["date"], entry.date)
        item["balance"] += ledger.natural(account, line.debit - line.credit)
    rows = []
    bucket_totals = [ZERO] * len(AGE_BUCKETS)
    for (party, document), item in sorted(open_items.items()):
        if not item["balance"]:
            continue
        age = (as_of - item["date"]).days
        values: list[Decimal | str | None] = [document, item["date"], age]
        index = next(i for i, (limit, _) in enumerate(AGE_BUCKETS) if limit is None or age <= limit)
        buckets = [ZERO] * len(AGE_BUCKETS)
        buckets[index] = item["balance"]
        bucket_totals[index] += item["balance"]
        rows.append(Row(party, values + buckets))
    total = sum(bucket_totals, ZERO)
    rows.append(Row("Jumlah", ["", "", "", *bucket_totals], style="grand"))
    title = "Umur Piutang Usaha" if kind == "receivables" else "Umur Utang Usaha"
    return Report(
        key=f"umur-{'piutang' if kind == 'receivables' else 'utang'}",
        title=title,
        period=f"per {format_day(as_of)}",
        columns=["Dokumen", "Tanggal", "Umur (hari)", *(label for _, label in AGE_BUCKETS)],
        rows=rows,
        totals={"total": total, "account_balance": ledger.balance(session, account, as_of)},
    )


REPORTS = {
    "laba-rugi": "Laporan Laba Rugi",
    "neraca": "Laporan Posisi Keuangan",
    "arus-kas": "Laporan Arus Kas",
    "trial-balance": "Neraca Saldo",
    "umur-piutang": "Umur Piutang Usaha",
    "umur-utang": "Umur Utang Usaha",
}


def build(session: Session, name: str, period: Period, compare: bool = True) -> Report:
    """The report called ``name`` (a key of :data:`REPORTS`) for ``period``."""
    from niaga.errors import NotFound

    if name == "laba-rugi":
        return profit_and_loss(session, period, compare)
    if name == "neraca":
        return balance_sheet(session, period.end, period.start, compare)
    if name == "arus-kas":
        return cash_flow(session, period)
    if name == "trial-balance":
        return trial_balance(session, period)
    if name in {"umur-piutang", "umur-utang"}:
        return aged(session, "receivables" if name == "umur-piutang" else "payables", period.end)
    raise NotFound("No report {name}; known: {known}", name=name, known=", ".join(REPORTS))
