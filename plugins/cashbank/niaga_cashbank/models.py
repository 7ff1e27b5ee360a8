"""Tables of the cash/bank plugin: chart of accounts, journal, posting rules, vouchers and
bank statements.

Posted journal entries and their lines are append-only: triggers in the migration refuse to
change or delete them and refuse to post an entry whose lines do not balance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from niaga.db import Model, TimestampMixin, utcnow

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "cost", "expense")
CASH_KINDS = ("cash", "bank", "ewallet")
CASH_FLOW_CLASSES = ("operating", "investing", "financing")
VOUCHER_KINDS = ("in", "out", "transfer", "capital", "prive")


class Account(TimestampMixin, Model):
    """An account of the chart. ``cash_kind`` marks cash drawers, bank accounts and e-wallet
    balances (the accounts vouchers and reconciliation work on)."""

    __tablename__ = "cashbank_account"
    __config__ = True  # niaga.config_version: cached per process (journal.rule_account)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    type: Mapped[str] = mapped_column(sa.String(12))
    cash_kind: Mapped[str | None] = mapped_column(sa.String(12))
    cash_flow: Mapped[str] = mapped_column(sa.String(12), default="operating")
    description: Mapped[str] = mapped_column(sa.String(255), default="")
    archived: Mapped[bool] = mapped_column(default=False)

    @property
    def debit_normal(self) -> bool:
        """Whether a debit increases the account (assets, costs, expenses)."""
        return self.type in {"asset", "cost", "expense"}


class JournalEntry(Model):
    """A dated journal entry, posted with its lines in one transaction (the database checks
    that they balance, see :mod:`niaga_cashbank.journal`); posted entries never change.

    ``event``/``event_key`` make automatic postings idempotent; ``reference`` names the
    document that caused the entry (``sales.invoice:12``).
    """

    __tablename__ = "cashbank_journal_entry"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("event", "event_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    description: Mapped[str] = mapped_column(sa.String(255), default="")
    reference: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    event: Mapped[str | None] = mapped_column(sa.String(60))
    event_key: Mapped[str | None] = mapped_column(sa.String(200))
    posted: Mapped[bool] = mapped_column(default=False)
    reverses_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cashbank_journal_entry.id"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(120), default="")

    lines: Mapped[list[JournalLine]] = relationship(
        back_populates="entry", order_by="JournalLine.id"
    )


class JournalLine(Model):
    """One debit or credit of an entry. ``party_*`` name the customer or supplier and
    ``document`` the invoice or bill the line belongs to, for aged balances."""

    __tablename__ = "cashbank_journal_line"
    __audit__ = False
    __table_args__ = (
        sa.CheckConstraint("debit >= 0 AND credit >= 0", name="non_negative"),
        sa.CheckConstraint("debit = 0 OR credit = 0", name="one_side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_journal_entry.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"), index=True)
    debit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    credit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    memo: Mapped[str] = mapped_column(sa.String(255), default="")
    party_kind: Mapped[str | None] = mapped_column(sa.String(20))
    party_id: Mapped[int | None]
    party_name: Mapped[str] = mapped_column(sa.String(120), default="")
    document: Mapped[str] = mapped_column(sa.String(80), default="", index=True)

    entry: Mapped[JournalEntry] = relationship(back_populates="lines")
    account: Mapped[Account] = relationship()

    @property
    def account_code(self) -> str:
        return self.account.code


class PostingRule(TimestampMixin, Model):
    """Which account a slot of an automatic posting uses (``sales_invoice_issued`` /
    ``revenue`` -> 4-1000 Penjualan). Editable; defaults are created on first use."""

    __tablename__ = "cashbank_posting_rule"
    __config__ = True  # niaga.config_version: cached per process (journal.rule_account)
    __table_args__ = (sa.UniqueConstraint("event", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(sa.String(60))
    slot: Mapped[str] = mapped_column(sa.String(40))
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"))

    account: Mapped[Account] = relationship()


class VoucherCategory(TimestampMixin, Model):
    """A category of everyday income or expense (rent, electricity, wages) and its account."""

    __tablename__ = "cashbank_voucher_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(4))
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"))
    archived: Mapped[bool] = mapped_column(default=False)

    account: Mapped[Account] = relationship()


class Voucher(Model):
    """Money in or out of a cash/bank account, a transfer, owner's capital or prive; its
    journal entry is posted when it is saved."""

    __tablename__ = "cashbank_voucher"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(30), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    cash_account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"))
    counter_account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cashbank_voucher_category.id"))
    amount: Mapped[Decimal]
    description: Mapped[str] = mapped_column(sa.String(255), default="")
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cashbank_journal_entry.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    cash_account: Mapped[Account] = relationship(foreign_keys=[cash_account_id])
    counter_account: Mapped[Account] = relationship(foreign_keys=[counter_account_id])
    category: Mapped[VoucherCategory | None] = relationship()


class StatementMapping(TimestampMixin, Model):
    """How to read one bank's statement CSV: column names, date format, separators."""

    __tablename__ = "cashbank_statement_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"), unique=True)
    columns: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class StatementLine(Model):
    """A line of an imported bank statement; ``amount`` is + for money in, - for money out.
    ``matched_line_id`` is the journal line on the bank account it was reconciled with."""

    __tablename__ = "cashbank_statement_line"
    __table_args__ = (sa.UniqueConstraint("account_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("cashbank_account.id"), index=True)
    date: Mapped[dt.date] = mapped_column(sa.Date)
    description: Mapped[str] = mapped_column(sa.String(255), default="")
    amount: Mapped[Decimal]
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    matched_line_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cashbank_journal_line.id"), unique=True
    )
    matched_by: Mapped[str] = mapped_column(sa.String(10), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
