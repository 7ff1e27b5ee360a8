"""Money-in and money-out vouchers, transfers between cash/bank accounts, owner's capital and
withdrawals (prive). Each voucher posts its journal entry at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import numbering, settings
from niaga.errors import Invalid, NotFound, Refused
from niaga.money import to_decimal
from niaga_cashbank.chart import ensure_books, get_account
from niaga_cashbank.journal import Leg, post, rule_account
from niaga_cashbank.models import VOUCHER_KINDS, Account, Voucher, VoucherCategory

PREFIX = {"in": "BKM", "out": "BKK", "transfer": "TRF", "capital": "MDL", "prive": "PRV"}
#: The number pattern of each kind until the owner sets another (``BKK-00001``, as before
#: numbering moved to :mod:`niaga.numbering`): setting ``cashbank.number_pattern_<kind>``.
DEFAULT_PATTERN = {kind: f"{prefix}-{{seq:05}}" for kind, prefix in PREFIX.items()}
DESCRIPTION = {
    "in": "Kas masuk",
    "out": "Kas keluar",
    "transfer": "Pindah dana",
    "capital": "Setoran modal pemilik",
    "prive": "Pengambilan pribadi (prive)",
}


def cash_account(session: Session, account_id: int) -> Account:
    """A cash, bank or e-wallet account that is not archived."""
    account = get_account(session, account_id)
    if not account.cash_kind:
        raise Invalid("Account {account} is not a cash or bank account", account=account.code)
    if account.archived:
        raise Refused("Account {account} is archived", account=account.code)
    return account


def _counter_account(
    session: Session,
    kind: str,
    category_id: int | None,
    to_account_id: int | None,
    cash: Account,
) -> tuple[Account, VoucherCategory | None]:
    if kind in {"in", "out"}:
        if category_id is None:
            raise Invalid("Choose a category", fields={"category_id": ["Required."]})
        category = session.get(VoucherCategory, category_id)
        if category is None:
            raise NotFound("No category {id}", id=category_id)
        if category.kind != kind:
            raise Invalid("Category {name} is not for money {kind}", name=category.name, kind=kind)
        return category.account, category
    if kind == "transfer":
        if to_account_id is None:
            raise Invalid(
                "Choose the account to move money to", fields={"to_account_id": ["Required."]}
            )
        target = cash_account(session, to_account_id)
        if target.id == cash.id:
            raise Invalid("A transfer needs two different accounts")
        return target, None
    return rule_account(session, "cashbank_voucher", kind), None


def create_voucher(
    session: Session,
    *,
    kind: str,
    date: dt.date,
    account_id: int,
    amount: Decimal,
    description: str = "",
    category_id: int | None = None,
    to_account_id: int | None = None,
) -> Voucher:
    """Record a voucher and post it: money in/capital debit the cash account, money
    out/prive/transfer credit it."""
    ensure_books(session)
    if kind not in VOUCHER_KINDS:
        raise Invalid("Unknown voucher kind {kind}", kind=kind)
    amount = to_decimal(amount)
    if amount <= 0:
        raise Invalid("The amount must be more than zero", fields={"amount": ["Must be > 0."]})
    cash = cash_account(session, account_id)
    counter, category = _counter_account(session, kind, category_id, to_account_id, cash)
    text = description or (category.name if category else DESCRIPTION[kind])
    incoming = kind in {"in", "capital"}
    legs = [
        Leg(cash, debit=amount if incoming else 0, credit=0 if incoming else amount, memo=text),
        Leg(counter, debit=0 if incoming else amount, credit=amount if incoming else 0, memo=text),
    ]
    voucher = Voucher(
        number=next_number(session, kind, date),
        kind=kind,
        date=date,
        cash_account_id=cash.id,
        counter_account_id=counter.id,
        category_id=category.id if category else None,
        amount=amount,
        description=text,
    )
    session.add(voucher)
    session.flush()
    entry = post(
        session,
        date=date,
        description=f"{DESCRIPTION[kind]} {voucher.number}: {text}",
        legs=legs,
        reference=f"cashbank.voucher:{voucher.id}",
        event="cashbank_voucher",
        event_key=f"cashbank.voucher:{voucher.id}",
    )
    assert entry is not None
    voucher.entry_id = entry.id
    session.flush()
    return voucher


def series(kind: str) -> str:
    """The :mod:`niaga.numbering` series of a voucher kind: ``cashbank.voucher.out``."""
    return f"cashbank.voucher.{kind}"


def pattern(session: Session, kind: str) -> str:
    """How numbers of ``kind`` look: the owner's setting, else ``BKK-{seq:05}`` and so on."""
    chosen = settings.get_stored(session, f"cashbank.number_pattern_{kind}", "")
    return chosen or DEFAULT_PATTERN[kind]


def next_number(session: Session, kind: str, day: dt.date) -> str:
    """The next voucher number of ``kind`` for a voucher dated ``day``. Vouchers are not
    gap-free documents: the number is drawn without holding the series (a rolled-back
    voucher leaves a gap), so simultaneous vouchers never wait for or collide with each
    other."""
    return numbering.next_number(session, series(kind), pattern(session, kind), day)


def create_category(
    session: Session, *, name: str, kind: str, account_code: str
) -> VoucherCategory:
    """A new income (``in``) or expense (``out``) category posting to ``account_code``."""
    from niaga_cashbank.chart import account_by_code

    ensure_books(session)
    if kind not in {"in", "out"}:
        raise Invalid("A category is for money in or money out")
    if session.scalar(sa.select(VoucherCategory.id).where(VoucherCategory.name == name)):
        raise Invalid("A category named {name} already exists", name=name)
    account = account_by_code(session, account_code)
    if account.cash_kind:
        raise Invalid("A category cannot post to a cash or bank account; use a transfer")
    category = VoucherCategory(name=name, kind=kind, account_id=account.id)
    session.add(category)
    session.flush()
    return category
