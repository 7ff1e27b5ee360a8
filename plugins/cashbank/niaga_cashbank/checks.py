"""Consistency checks of the books: every posted entry balances, no entry is left as a draft,
the trial balance sums to zero, and the sub-ledgers of the other plugins agree with their
control accounts (receivables invoice by invoice, payables bill by bill, the stock value,
the points liability), each difference named with the documents behind it."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.l10n import format_money
from niaga.money import ZERO
from niaga.runtime import hooks
from niaga_cashbank import ledger
from niaga_cashbank.models import Account, JournalEntry, JournalLine, PostingRule

CENT = Decimal("0.01")


def problems(session: Session) -> list[str]:
    """What is wrong with the books (empty when all is well)."""
    found = [f"journal entry {i} does not balance" for i in ledger.unbalanced_entries(session)]
    drafts = session.scalar(
        sa.select(sa.func.count()).select_from(JournalEntry).where(JournalEntry.posted.is_(False))
    )
    if drafts:
        found.append(f"{drafts} journal entries were never posted")
    total = sum(ledger.net(session).values(), ZERO)
    if total != 0:
        found.append(f"the trial balance does not sum to zero (off by {total})")
    return (
        found
        + receivables_problems(session)
        + payables_problems(session)
        + stock_problems(session)
        + points_problems(session)
    )


def _rule(session: Session, event: str, slot: str) -> Account | None:
    """The account of a posting rule, read only: a check never sets up the books (no rule
    yet means nothing was ever posted), and writing from a check would hold SQLite's lock
    while other checks read."""
    return session.scalar(
        sa.select(Account)
        .join(PostingRule, PostingRule.account_id == Account.id)
        .where(PostingRule.event == event, PostingRule.slot == slot)
    )


def _label(account: Account) -> str:
    return f"{account.code} {account.name}"


def receivables_problems(session: Session) -> list[str]:
    """Invoices whose balance on the receivable account differs from what sales says is
    owed on them (skipped when sales is not enabled)."""
    owed = hooks().sales_receivables(session=session)
    if owed is None:
        return []
    account = _rule(session, "sales_invoice_issued", "receivable")
    return [] if account is None else _per_document(session, account, owed, "sales")


def payables_problems(session: Session) -> list[str]:
    """Bills whose balance on the payable account differs from what purchasing says is
    owed on them (skipped when purchasing is not enabled)."""
    owed = hooks().purchasing_payables(session=session)
    if owed is None:
        return []
    account = _rule(session, "purchasing_bill_posted", "payable")
    return [] if account is None else _per_document(session, account, owed, "purchasing")


def _per_document(
    session: Session, account: Account, owed: dict[str, Decimal], source: str
) -> list[str]:
    """Each document whose balance on ``account`` (on its own side) differs from ``owed``."""
    rows = session.execute(
        sa.select(JournalLine.document, sa.func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.posted.is_(True), JournalLine.account_id == account.id)
        .group_by(JournalLine.document)
    )
    # SQLite sums NUMERIC as floating point; amounts have two decimals, so this is exact
    books = {
        document: ledger.natural(account, Decimal(str(amount or 0))).quantize(CENT)
        for document, amount in rows
    }
    found = []
    for document in sorted(set(owed) | {d for d, amount in books.items() if amount}):
        in_books, in_source = books.get(document, ZERO), owed.get(document, ZERO)
        if in_books != in_source:
            found.append(
                f"{_label(account)} {document or '(no document)'}: books "
                f"{format_money(in_books)}, {source} {format_money(in_source)} "
                f"(difference {format_money(in_books - in_source)})"
            )
    return found


def stock_problems(session: Session) -> list[str]:
    """The inventory account against the value of the stock inventory holds (skipped when
    inventory is not enabled)."""
    value = hooks().inventory_stock_value(session=session)
    return _control_problems(
        session, value, ("inventory_stock_moved.receipt", "debit"), "inventory stock value"
    )


def points_problems(session: Session) -> list[str]:
    """The points liability account against the value of the points members hold
    (skipped when loyalty is not enabled)."""
    value = hooks().loyalty_liability(session=session)
    return _control_problems(
        session, value, ("loyalty_points_changed.earn", "liability"), "loyalty points"
    )


def _control_problems(
    session: Session, value: Decimal | None, rule: tuple[str, str], what: str
) -> list[str]:
    """The account a posting ``rule`` (event, slot) books to against ``value``, the figure
    the owning plugin holds; nothing when the plugin is not enabled (``None``)."""
    if value is None:
        return []
    account = _rule(session, *rule)
    if account is None:
        return []
    in_books = ledger.balance(session, account)
    if in_books == value:
        return []
    return [
        f"{_label(account)}: books {format_money(in_books)}, {what} "
        f"{format_money(value)} (difference {format_money(in_books - value)})"
    ]
