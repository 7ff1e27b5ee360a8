"""Demo data: three suppliers, their usual prices for inventory's products (when enabled),
an order part received and billed, and one sent order waiting for goods."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from niaga.runtime import hooks
from niaga_purchasing import bills, orders, receipts, suppliers

SUPPLIERS = [
    {
        "code": "SUP-IDF",
        "name": "PT Sumber Pangan Nusantara",
        "contact_person": "Bapak Hendra",
        "phone": "021-5550123",
        "email": "order@sumberpangan.co.id",
        "address": "Jl. Industri Raya No. 8",
        "city": "Bekasi",
        "npwp": "01.234.567.8-431.000",
        "payment_terms_days": 30,
    },
    {
        "code": "SUP-MJY",
        "name": "CV Maju Jaya Distribusi",
        "contact_person": "Ibu Sari",
        "phone": "0812-3456-7890",
        "address": "Jl. Pasar Baru 21",
        "city": "Bandung",
        "npwp": "02.345.678.9-423.000",
        "payment_terms_days": 14,
    },
    {
        "code": "SUP-TANI",
        "name": "UD Tani Makmur",
        "contact_person": "Pak Slamet",
        "phone": "0813-1111-2222",
        "city": "Karawang",
        "pkp": False,
        "payment_terms_days": 7,
    },
]


def load(session: Session) -> None:
    """Create the demo suppliers and documents (called once by ``niaga demo``)."""
    created = [suppliers.create_supplier(session, dict(data)) for data in SUPPLIERS]
    products = hooks().inventory_search(session=session, query="", limit=6, offset=0) or []
    for i, product in enumerate(products):
        supplier = created[i % 2]
        suppliers.set_price(
            session, supplier, product.id, product.cost or Decimal("1000"), preferred=True
        )
    lines: list[dict[str, Any]]
    if products:
        lines = [{"product_id": p.id, "quantity": Decimal("24")} for p in products[:3]]
    else:
        lines = [
            {
                "description": "Beras premium 5 kg",
                "quantity": Decimal("20"),
                "unit": "karung",
                "unit_price": Decimal("68000"),
            },
            {
                "description": "Minyak goreng 2 L",
                "quantity": Decimal("24"),
                "unit": "botol",
                "unit_price": Decimal("34000"),
            },
        ]
    first = orders.create_order(session, {"supplier_id": created[0].id, "lines": lines})
    orders.transition(session, first, "send")
    orders.transition(session, first, "confirm")
    receipt = receipts.receive(
        session,
        {
            "order_id": first.id,
            "lines": [
                {"order_line_id": line.id, "quantity": line.quantity / 2} for line in first.lines
            ],
        },
    )
    bills.create_bill(
        session, {"receipt_ids": [receipt.id], "supplier_reference": "INV/SPN/0917", "post": True}
    )
    second = orders.create_order(session, {"supplier_id": created[1].id, "lines": lines[:1]})
    orders.transition(session, second, "send")
    session.flush()
