"""The default chart of accounts of an Indonesian trading SME (SAK EMKM), the default posting
rules and voucher categories; created on first use, never by the migration, so an owner
can edit them and a re-run never overwrites their changes."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Conflict, Invalid, NotFound, Refused
from niaga.memo import forget
from niaga_cashbank.models import (
    ACCOUNT_TYPES,
    CASH_FLOW_CLASSES,
    CASH_KINDS,
    Account,
    JournalLine,
    PostingRule,
    VoucherCategory,
)

#: code, name, type, cash kind, cash-flow class
DEFAULT_ACCOUNTS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("1-1100", "Kas", "asset", "cash", "operating"),
    ("1-1200", "Bank BRI", "asset", "bank", "operating"),
    ("1-1210", "Bank BCA", "asset", "bank", "operating"),
    ("1-1220", "Bank Mandiri", "asset", "bank", "operating"),
    ("1-1250", "Saldo Payment Gateway", "asset", "ewallet", "operating"),
    ("1-1260", "Saldo E-Wallet", "asset", "ewallet", "operating"),
    ("1-1300", "Piutang Usaha", "asset", None, "operating"),
    ("1-1400", "Persediaan Barang Dagang", "asset", None, "operating"),
    ("1-1500", "PPN Masukan", "asset", None, "operating"),
    ("1-1550", "PPN Lebih Bayar", "asset", None, "operating"),
    ("1-1600", "Uang Muka Pembelian", "asset", None, "operating"),
    ("1-2100", "Peralatan", "asset", None, "investing"),
    ("1-2190", "Akumulasi Penyusutan Peralatan", "asset", None, "investing"),
    ("2-1100", "Utang Usaha", "liability", None, "operating"),
    ("2-1150", "Barang Diterima Belum Ditagih", "liability", None, "operating"),
    ("2-1200", "PPN Keluaran", "liability", None, "operating"),
    ("2-1250", "Utang PPN", "liability", None, "operating"),
    ("2-1300", "Liabilitas Poin Loyalitas", "liability", None, "operating"),
    ("2-1400", "Uang Muka Pelanggan", "liability", None, "operating"),
    ("2-2100", "Utang Bank", "liability", None, "financing"),
    ("3-1000", "Modal Pemilik", "equity", None, "financing"),
    ("3-2000", "Prive", "equity", None, "financing"),
    ("3-3000", "Laba Ditahan", "equity", None, "financing"),
    ("4-1000", "Penjualan", "revenue", None, "operating"),
    ("4-1100", "Retur dan Potongan Penjualan", "revenue", None, "operating"),
    ("4-9000", "Pendapatan Lain-lain", "revenue", None, "operating"),
    ("5-1000", "Harga Pokok Penjualan", "cost", None, "operating"),
    ("5-1100", "Selisih Persediaan", "cost", None, "operating"),
    ("6-1000", "Beban Gaji", "expense", None, "operating"),
    ("6-1100", "Beban Sewa", "expense", None, "operating"),
    ("6-1200", "Beban Listrik dan Air", "expense", None, "operating"),
    ("6-1300", "Beban Transportasi dan BBM", "expense", None, "operating"),
    ("6-1400", "Beban Promosi dan Loyalitas", "expense", None, "operating"),
    ("6-1500", "Beban Administrasi Bank", "expense", None, "operating"),
    ("6-1600", "Beban Biaya Payment Gateway", "expense", None, "operating"),
    ("6-1700", "Beban Penyusutan", "expense", None, "operating"),
    ("6-1800", "Beban Telepon dan Internet", "expense", None, "operating"),
    ("6-2000", "Beban PPh Final", "expense", None, "operating"),
    ("6-9000", "Beban Lain-lain", "expense", None, "operating"),
)

#: the tax plugin's events (issue 23): a month's PPN closing and PPh final paid; books
#: made before them get these accounts and rules on first use (:func:`ensure_rules`)
TAX_RULES: dict[str, dict[str, str]] = {
    "tax_ppn_closed": {
        "output_vat": "2-1200",
        "input_vat": "1-1500",
        "carried": "1-1550",
        "payable": "2-1250",
    },
    "tax_pph_paid": {"expense": "6-2000"},
}

#: event -> slot -> account code. The table in the plugin's README documents these.
DEFAULT_RULES: dict[str, dict[str, str]] = {
    "inventory_stock_moved.receipt": {"debit": "1-1400", "credit": "2-1150"},
    "inventory_stock_moved.issue": {"debit": "5-1000", "credit": "1-1400"},
    "inventory_stock_moved.return_in": {"debit": "1-1400", "credit": "5-1000"},
    "inventory_stock_moved.return_out": {"debit": "2-1150", "credit": "1-1400"},
    "inventory_stock_moved.adjustment": {"difference": "5-1100", "inventory": "1-1400"},
    "inventory_stock_moved.opening": {"difference": "3-1000", "inventory": "1-1400"},
    "inventory_stock_moved.gift": {"debit": "6-1400", "credit": "1-1400"},
    "sales_invoice_issued": {"receivable": "1-1300", "revenue": "4-1000", "output_vat": "2-1200"},
    "sales_invoice_paid": {"receivable": "1-1300", "fee": "6-1600"},
    "sales_return_posted": {"returns": "4-1100", "output_vat": "2-1200", "receivable": "1-1300"},
    "purchasing_bill_posted": {
        "received_not_billed": "2-1150",
        "input_vat": "1-1500",
        "payable": "2-1100",
    },
    "purchasing_bill_paid": {"payable": "2-1100"},
    "purchasing_supplier_returned": {
        "payable": "2-1100",
        "received_not_billed": "2-1150",
        "input_vat": "1-1500",
    },
    "loyalty_points_changed.earn": {"expense": "6-1400", "liability": "2-1300"},
    "loyalty_points_changed.redeem_discount": {"liability": "2-1300", "discounts": "4-1100"},
    "loyalty_points_changed.expire": {"liability": "2-1300", "expense": "6-1400"},
    "payments_refunded": {"returns": "4-1100"},
    "payment_method": {
        "cash": "1-1100",
        "bank_transfer": "1-1200",
        "virtual_account": "1-1250",
        "ewallet": "1-1250",
        "qris": "1-1250",
        "card": "1-1250",
        "cod": "1-1100",
    },
    "cashbank_voucher": {"capital": "3-1000", "prive": "3-2000"},
    **TAX_RULES,
}

#: name, kind (in/out), account code
DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("Gaji karyawan", "out", "6-1000"),
    ("Sewa tempat", "out", "6-1100"),
    ("Listrik dan air", "out", "6-1200"),
    ("Transportasi dan BBM", "out", "6-1300"),
    ("Telepon dan internet", "out", "6-1800"),
    ("Biaya administrasi bank", "out", "6-1500"),
    ("Pengeluaran lain-lain", "out", "6-9000"),
    ("Pendapatan lain-lain", "in", "4-9000"),
)


def ensure_books(session: Session) -> None:
    """Create the default chart, posting rules and categories if the books are empty
    (first use). Never touches what exists."""
    if session.scalar(sa.select(Account.id).limit(1)) is not None:
        return
    by_code = {}
    for code, name, type_, cash_kind, cash_flow in DEFAULT_ACCOUNTS:
        account = Account(
            code=code, name=name, type=type_, cash_kind=cash_kind, cash_flow=cash_flow
        )
        session.add(account)
        by_code[code] = account
    session.flush()
    for event, slots in DEFAULT_RULES.items():
        for slot, code in slots.items():
            session.add(PostingRule(event=event, slot=slot, account_id=by_code[code].id))
    for name, kind, code in DEFAULT_CATEGORIES:
        session.add(VoucherCategory(name=name, kind=kind, account_id=by_code[code].id))
    session.flush()


def ensure_rules(session: Session, rules: dict[str, dict[str, str]]) -> None:
    """Add the posting ``rules`` missing from books made before they existed, with their
    default accounts (an account already there under the code is used as it is)."""
    ensure_books(session)
    have = {
        (row[0], row[1]) for row in session.execute(sa.select(PostingRule.event, PostingRule.slot))
    }
    missing = [
        (event, slot, code)
        for event, slots in rules.items()
        for slot, code in slots.items()
        if (event, slot) not in have
    ]
    if not missing:
        return
    defaults = {row[0]: row for row in DEFAULT_ACCOUNTS}
    for event, slot, code in missing:
        account = session.scalar(sa.select(Account).where(Account.code == code))
        if account is None:
            _, name, type_, cash_kind, cash_flow = defaults[code]
            account = Account(
                code=code, name=name, type=type_, cash_kind=cash_kind, cash_flow=cash_flow
            )
            session.add(account)
            session.flush()
        session.add(PostingRule(event=event, slot=slot, account_id=account.id))
    session.flush()
    forget(session, "cashbank_rules")


def account_by_code(session: Session, code: str) -> Account:
    """The account with ``code``; NotFound otherwise."""
    ensure_books(session)
    account = session.scalar(sa.select(Account).where(Account.code == code))
    if account is None:
        raise NotFound("No account with code {account}", account=code)
    return account


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("No account {id}", id=account_id)
    return account


def _validate(data: dict) -> None:
    if "type" in data and data["type"] not in ACCOUNT_TYPES:
        raise Invalid("Unknown account type {type}", type=data["type"])
    if data.get("cash_kind") not in (None, *CASH_KINDS):
        raise Invalid("Unknown cash kind {kind}", kind=data["cash_kind"])
    if "cash_flow" in data and data["cash_flow"] not in CASH_FLOW_CLASSES:
        raise Invalid("Unknown cash-flow class {value}", value=data["cash_flow"])
    if data.get("cash_kind") and data.get("type", "asset") != "asset":
        raise Invalid("Cash and bank accounts must be assets")


def create_account(session: Session, **data: object) -> Account:
    """Add an account to the chart; codes are unique."""
    ensure_books(session)
    _validate(data)
    code = str(data["code"])
    if session.scalar(sa.select(Account.id).where(Account.code == code)) is not None:
        raise Conflict("An account with code {account} already exists", account=code)
    account = Account(**data)
    session.add(account)
    session.flush()
    return account


def is_used(session: Session, account: Account) -> bool:
    """Whether any journal line uses ``account`` (then it may be archived, not deleted)."""
    used = sa.select(JournalLine.id).where(JournalLine.account_id == account.id).limit(1)
    return session.scalar(used) is not None


def update_account(session: Session, account: Account, **data: object) -> Account:
    """Change name, code, description, cash kind, cash-flow class or archived flag. The type
    of a used account cannot change (it would rewrite past statements)."""
    _validate({"type": account.type, **data})
    if "type" in data and data["type"] != account.type and is_used(session, account):
        raise Refused(
            "Account {account} has postings; its type cannot change. Create a new account instead.",
            account=account.code,
        )
    if "code" in data and data["code"] != account.code:
        clash = session.scalar(sa.select(Account.id).where(Account.code == data["code"]))
        if clash is not None:
            raise Conflict("An account with code {account} already exists", account=data["code"])
    for key, value in data.items():
        setattr(account, key, value)
    session.flush()
    return account


def delete_account(session: Session, account: Account) -> None:
    """Delete an unused account; a used one is refused (archive it instead)."""
    if is_used(session, account):
        raise Refused(
            "Account {account} has postings and cannot be deleted; archive it instead",
            account=account.code,
        )
    for model in (PostingRule, VoucherCategory):
        in_use = sa.select(model.id).where(model.account_id == account.id).limit(1)
        if session.scalar(in_use) is not None:
            raise Refused(
                "Account {account} is used by a posting rule or category; change that first",
                account=account.code,
            )
    session.delete(account)
    session.flush()
