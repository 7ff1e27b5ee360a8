"""A purchase and a sale made just after midnight, and just before it, in WIB.

With every plugin enabled and the shop's clock frozen at 00:30 WIB on the 1st of a month
(17:30 UTC the day before) and at 23:30 WIB on the last day, a purchase order, its receipt,
bill and payment, and a sales order, its delivery, invoice, payment and points all carry
that WIB day: every document date, every journal entry and the business date of every
instant recorded. The month's books then show no negative payable or receivable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.clock import shop_date
from niaga.db import Model

SIX = ("inventory", "purchasing", "sales", "payments", "loyalty", "cashbank")
PLUGIN_TABLES = tuple(f"{name}_" for name in SIX)
#: Dates and instants that are not "when it happened": due dates, plans, expiry, leases.
NOT_WHEN = ("due", "expected", "expire", "starts", "ends", "until", "available", "lease")

MOMENTS = {
    "00:30 WIB on 1 December": (
        dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC),
        dt.date(2026, 12, 1),
    ),
    "23:30 WIB on 31 December": (
        dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC),
        dt.date(2026, 12, 31),
    ),
}


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def buy(api: Any, product_id: int) -> None:
    supplier = ok(api.post("/api/purchasing/suppliers", json={"name": "PT Sumber Pangan"}))
    order = ok(
        api.post(
            "/api/purchasing/orders",
            json={
                "supplier_id": supplier["id"],
                "lines": [{"product_id": product_id, "quantity": "100", "unit_price": "20000"}],
            },
        )
    )
    for action in ("send", "confirm"):
        ok(api.post(f"/api/purchasing/orders/{order['id']}/{action}"), 200)
    line = order["lines"][0]
    ok(
        api.post(
            "/api/purchasing/receipts",
            json={
                "order_id": order["id"],
                "lines": [{"order_line_id": line["id"], "quantity": "100"}],
            },
        )
    )
    bill = ok(api.post("/api/purchasing/bills", json={"order_id": order["id"]}))
    ok(api.post(f"/api/purchasing/bills/{bill['id']}/post"), 200)
    ok(
        api.post(
            f"/api/purchasing/bills/{bill['id']}/payments",
            json={"amount": bill["total"], "method": "bank_transfer"},
        )
    )


def sell(api: Any, product_id: int) -> None:
    ok(api.post("/api/loyalty/programs", json={"name": "Poin Mitra"}))
    customer = ok(
        api.post(
            "/api/sales/customers",
            json={"shop_name": "Toko Sinar Palu", "owner_name": "Pak Rahman", "phone": "0812777"},
        )
    )
    order = ok(
        api.post(
            "/api/sales/orders",
            json={
                "customer_id": customer["id"],
                "lines": [{"product_id": product_id, "quantity": "10"}],
            },
        )
    )
    ok(api.post(f"/api/sales/orders/{order['id']}/confirm", json={}), 200)
    ok(api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True}))
    invoice = ok(api.post(f"/api/sales/orders/{order['id']}/invoice"))
    ok(api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": invoice["total"]}))


def when_columns() -> list[tuple[str, str, bool]]:
    """``(table, column, is_instant)`` of every plugin column saying when something happened."""
    found = []
    for table in Model.metadata.tables.values():
        if not table.name.startswith(PLUGIN_TABLES):
            continue
        for column in table.columns:
            if any(word in column.name for word in NOT_WHEN):
                continue
            kind = getattr(column.type, "impl", column.type)  # UTCDateTime decorates DateTime
            if isinstance(kind, sa.DateTime):
                found.append((table.name, column.name, True))
            elif isinstance(kind, sa.Date):
                found.append((table.name, column.name, False))
    return found


@pytest.mark.plugins(*SIX)
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_every_document_and_entry_carries_the_shops_day(api, db, shop_clock, moment):
    instant, day = MOMENTS[moment]
    shop_clock(instant)
    product = ok(
        api.post(
            "/api/inventory/products",
            json={"sku": "BRS-5", "name": "Beras 5 kg", "base_unit": "karung", "price": "25000"},
        )
    )
    buy(api, product["id"])
    sell(api, product["id"])

    db.expire_all()
    seen: dict[str, int] = {}
    wrong = []
    for table, column, is_instant in when_columns():
        values = db.execute(sa.text(f"SELECT {column} FROM {table}")).scalars().all()
        for value in values:
            if value is None:
                continue
            if is_instant:
                if isinstance(value, str):  # SQLite hands back text to a raw query
                    value = dt.datetime.fromisoformat(value)
                value = shop_date(value.replace(tzinfo=value.tzinfo or dt.UTC), db)
            elif isinstance(value, str):
                value = dt.date.fromisoformat(value)
            seen[table] = seen.get(table, 0) + 1
            if value != day:
                wrong.append(f"{table}.{column} = {value}")
    assert not wrong, f"not on {day}: {wrong}"
    for table in (
        "purchasing_order",
        "purchasing_receipt",
        "purchasing_bill",
        "purchasing_payment",
        "sales_order",
        "sales_delivery",
        "sales_invoice",
        "cashbank_journal_entry",
        "inventory_stock_move",
        "loyalty_entry",
    ):
        assert seen.get(table), f"{table} recorded nothing in this flow"

    balances = dict(
        db.execute(
            sa.text(
                "SELECT a.code, SUM(l.debit - l.credit) FROM cashbank_journal_line l "
                "JOIN cashbank_account a ON a.id = l.account_id "
                "JOIN cashbank_journal_entry e ON e.id = l.entry_id "
                "WHERE e.date <= :day GROUP BY a.code"
            ),
            {"day": day},
        ).all()
    )
    assert Decimal(balances.get("2-1100", 0)) == 0  # Utang Usaha: billed and paid that day
    assert Decimal(balances.get("1-1300", 0)) == 0  # Piutang Usaha: invoiced and paid
    assert sum(Decimal(v) for v in balances.values()) == 0
