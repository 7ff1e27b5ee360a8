"""Demo data: retailers in Palu, two customer groups with a grosir price list, two
salespeople who look after them (with this month's targets), and a month of orders in every
state (with inventory's products when inventory is enabled, else free-text lines); the
orders taken at the office are the retailer's salesperson's."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.errors import NiagaError
from niaga.runtime import hooks
from niaga_sales import customers, deliveries, invoices, orders, salespeople
from niaga_sales.models import Customer

RETAILERS = [
    ("Toko Sinar Tatura", "Hj. Nurhayati", "Jl. Emmy Saelan 12", "Palu Selatan"),
    ("Kios Berkah Talise", "Pak Andi Lasaka", "Jl. Soekarno Hatta 45", "Mantikulore"),
    ("Warung Bu Ratna", "Ratna Lamadjido", "Jl. Cut Mutia 7", "Palu Timur"),
    ("Toko Harapan Baru", "Pak Yusuf Pakamundi", "Jl. Diponegoro 88", "Palu Barat"),
    ("Kios Tatanga Jaya", "Ibu Fatmawati", "Jl. Padanjakaya 3", "Tatanga"),
    ("Toko Anugerah Tawaeli", "Pak Muhlis", "Jl. Trans Sulawesi km 14", "Tawaeli"),
    ("Warung Ulujadi Makmur", "Ibu Sitti Rahma", "Jl. Malonda 21", "Ulujadi"),
    ("Toko Besusu Sejahtera", "Pak Hendra Lim", "Jl. Hasanuddin 5", "Palu Timur"),
]
SALESPEOPLE = [("RUDI", "Rudi Salim", "085241009001"), ("WULAN", "Wulan Sari", "085241009002")]
FREE_ITEMS = [
    ("Beras Premium 5 kg", "72000"),
    ("Minyak Goreng 1 L", "18500"),
    ("Gula Pasir 1 kg", "16000"),
    ("Indomie Goreng (dus 40)", "115000"),
    ("Aqua 600 ml (dus 24)", "52000"),
    ("Kopi Kapal Api 165 g", "14500"),
]


def load(session: Session) -> None:
    """Create the demo retailers and a month of orders (skipped if customers exist)."""
    if session.scalar(sa.select(sa.func.count()).select_from(Customer)):
        return
    rng = random.Random(2026)
    retail = customers.create_group(session, "RETAIL", "Retail", None)
    products = hooks().inventory_search(session=session, query="", limit=12, offset=0) or []
    grosir_items = [
        {
            "product_id": p.id,
            "unit": p.base_unit,
            "min_quantity": "10",
            "price": p.price * Decimal("0.95"),
        }
        for p in products
    ]
    price_list = customers.create_price_list(session, "Grosir", grosir_items)
    grosir = customers.create_group(session, "GROSIR", "Grosir", price_list.id)
    customers.walk_in(session)
    created = []
    for index, (shop, owner, address, area) in enumerate(RETAILERS, start=1):
        created.append(
            customers.create_customer(
                session,
                {
                    "shop_name": shop,
                    "owner_name": owner,
                    "phone": f"08524100{index:04d}",
                    "address": f"{address}, Palu",
                    "area": area,
                    "group_id": (grosir if index % 2 else retail).id,
                    "credit_limit": Decimal(rng.choice([5, 10, 15, 25])) * Decimal("1000000"),
                    "payment_terms_days": rng.choice([7, 14, 30]),
                },
            )
        )
    today = shop_today(session)
    team = [
        salespeople.save_salesperson(session, {"code": code, "name": name, "phone": phone})
        for code, name, phone in SALESPEOPLE
    ]
    for index, customer in enumerate(created):
        customer.salesperson_id = team[index % len(team)].id
        salespeople.set_target(session, team[index % len(team)].id, today, Decimal(25_000_000))
    for day_back in range(30, -1, -1):
        for _ in range(rng.randint(1, 3)):
            _demo_order(
                session,
                rng,
                rng.choice(created),
                products,
                today - dt.timedelta(days=day_back),
                day_back,
            )
    session.flush()


def _demo_order(
    session: Session,
    rng: random.Random,
    customer: Customer,
    products: list[Any],
    day: dt.date,
    age: int,
) -> None:
    if products:
        lines = [
            {"product_id": p.id, "quantity": str(rng.randint(2, 24))}
            for p in rng.sample(products, k=min(len(products), rng.randint(1, 4)))
        ]
    else:
        lines = [
            {"description": name, "unit_price": price, "quantity": str(rng.randint(1, 10))}
            for name, price in rng.sample(FREE_ITEMS, k=rng.randint(1, 4))
        ]
    source = rng.choice(["portal", "admin"])
    order = orders.create_order(
        session,
        customer.id,
        lines,
        source=source,
        order_date=day,
        salesperson_id=customer.salesperson_id if source == "admin" else None,
    )
    # older orders went further along: most are paid, recent ones still open
    steps = 5 if age > 10 else rng.randint(0, 5)
    try:
        if steps >= 1:
            orders.confirm_order(session, order.id, approve_over_limit=True)
        if steps >= 2:
            deliveries.deliver_created(session, deliveries.create_delivery(session, order.id))
        if steps >= 3:
            invoice = invoices.invoice_order(session, order.id)
            invoice.invoice_date = day
            invoice.due_date = day + dt.timedelta(days=customer.payment_terms_days)
            if steps >= 4 and rng.random() < 0.8:
                invoices.record_payment(
                    session, invoice.id, invoice.open_amount, rng.choice(["cash", "bank_transfer"])
                )
    except NiagaError:  # not enough demo stock: the order stays where it got to
        pass
