"""Demo data: a points program, Silver/Gold/Platinum tiers, a Ramadan festival campaign,
a small reward catalogue (a gift item when inventory has products), and the points the
sales demo's paid invoices earn (sales loads its demo before loyalty has a program)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.runtime import hooks
from niaga_loyalty import earning, programs
from niaga_loyalty.models import Campaign, Program, Reward, Tier


def load(session: Session) -> None:
    """Create the demo set-up once (does nothing when a program exists)."""
    if session.scalar(sa.select(Program.id).limit(1)):
        return
    programs.save(
        session,
        Program(),
        {
            "name": "Poin Mitra Setia",
            "amount_per_step": Decimal("10000"),
            "points_per_step": 1,
            "min_order": Decimal("50000"),
            "category_multipliers": {"Minuman": "1.5"},
            "active": True,
        },
    )
    for name, spend, multiplier in (
        ("Silver", "0", "1"),
        ("Gold", "20000000", "1.25"),
        ("Platinum", "50000000", "1.5"),
    ):
        session.add(Tier(name=name, min_spend=Decimal(spend), multiplier=Decimal(multiplier)))
    today = shop_today(session)
    session.add(
        Campaign(
            name="Festival Belanja Ramadan",
            starts_on=today - dt.timedelta(days=7),
            ends_on=today + dt.timedelta(days=23),
            multiplier=Decimal("2"),
            bonus_points=10,
            scope="everyone",
        )
    )
    session.add_all(
        [
            Reward(
                name="Voucher Rp 25.000",
                kind="voucher",
                points_cost=250,
                discount_amount=Decimal("25000"),
                min_order=Decimal("200000"),
            ),
            Reward(
                name="Potongan 5%",
                kind="voucher",
                points_cost=400,
                discount_percent=Decimal("5"),
                min_order=Decimal("500000"),
            ),
        ]
    )
    products = hooks().inventory_search(session=session, query="", limit=1, offset=0) or []
    if products:
        session.add(
            Reward(
                name=f"Hadiah: {products[0].name}",
                kind="gift",
                points_cost=500,
                product_id=products[0].id,
                quantity=Decimal("1"),
            )
        )
    session.flush()
    _earn_for_paid_invoices(session)


def _earn_for_paid_invoices(session: Session) -> None:
    for invoice in hooks().sales_paid_invoices(session=session) or []:
        earning.on_invoice_paid(session, invoice)
