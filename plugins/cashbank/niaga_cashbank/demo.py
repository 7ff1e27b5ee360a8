"""Demo data: opening balances and a month of everyday expenses and income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga_cashbank.chart import account_by_code, ensure_books
from niaga_cashbank.journal import Leg, post
from niaga_cashbank.models import VoucherCategory
from niaga_cashbank.vouchers import create_voucher

OPENING = (
    ("1-1100", Decimal("5000000")),
    ("1-1200", Decimal("45000000")),
    ("1-1210", Decimal("20000000")),
    ("1-2100", Decimal("15000000")),
)
#: day of the month, category name, account code, amount
MONTH = (
    (1, "Sewa tempat", "1-1200", Decimal("3500000")),
    (3, "Transportasi dan BBM", "1-1100", Decimal("250000")),
    (5, "Listrik dan air", "1-1200", Decimal("850000")),
    (8, "Telepon dan internet", "1-1210", Decimal("400000")),
    (10, "Transportasi dan BBM", "1-1100", Decimal("300000")),
    (15, "Pendapatan lain-lain", "1-1100", Decimal("150000")),
    (17, "Transportasi dan BBM", "1-1100", Decimal("275000")),
    (24, "Transportasi dan BBM", "1-1100", Decimal("325000")),
    (25, "Gaji karyawan", "1-1200", Decimal("6000000")),
    (28, "Biaya administrasi bank", "1-1200", Decimal("15000")),
)


def load(session: Session, today: dt.date | None = None) -> None:
    """Opening balances on the first day of last month, then that month's vouchers."""
    ensure_books(session)
    today = today or shop_today(session)
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    capital = account_by_code(session, "3-1000")
    legs = [Leg(account_by_code(session, code), debit=amount) for code, amount in OPENING]
    legs.append(Leg(capital, credit=sum(amount for _, amount in OPENING)))
    post(
        session,
        date=start,
        description="Saldo awal",
        legs=legs,
        reference="cashbank.opening",
        event="cashbank_opening",
        event_key="demo",
    )
    categories = {c.name: c for c in session.scalars(sa.select(VoucherCategory))}
    for day, name, code, amount in MONTH:
        category = categories[name]
        create_voucher(
            session,
            kind=category.kind,
            date=start.replace(day=day),
            account_id=account_by_code(session, code).id,
            amount=amount,
            category_id=category.id,
        )
    create_voucher(
        session,
        kind="transfer",
        date=start.replace(day=20),
        account_id=account_by_code(session, "1-1200").id,
        to_account_id=account_by_code(session, "1-1100").id,
        amount=Decimal("2000000"),
        description="Isi kas kecil",
    )
    create_voucher(
        session,
        kind="prive",
        date=start.replace(day=27),
        account_id=account_by_code(session, "1-1100").id,
        amount=Decimal("1000000"),
        description="Keperluan pribadi pemilik",
    )
