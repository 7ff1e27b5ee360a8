"""Issue 18 item 6 with the real plugins: a supplier who owes the shop (goods returned after
the bill was paid) and a customer in credit (goods returned after paying) are shown on the
side they belong to, and their refunds can be recorded (API), after which nothing is left on
either side. Refusals store nothing. Figures are worked out here (PPN 11 % of the net)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from niaga import settings
from niaga.clock import shop_today
from niaga.runtime import collect
from niaga_cashbank import ledger, reports
from niaga_cashbank.chart import account_by_code

pytestmark = pytest.mark.plugins("purchasing", "sales", "cashbank")


def rows_of(db: Any) -> dict[str, Decimal]:
    db.expire_all()
    today = shop_today(db)
    sheet = reports.balance_sheet(db, today, today.replace(day=1), compare=False)
    return {row.label: row.values[0] for row in sheet.rows if row.values}


def balance(db: Any, code: str) -> Decimal:
    db.expire_all()
    return ledger.balance(db, account_by_code(db, code))


def supplier_owing(api: Any) -> dict[str, Any]:
    """A bill of 1.000.000 + PPN paid in full, then 200.000 + PPN of goods sent back."""
    supplier = api.post(
        "/api/purchasing/suppliers", json={"name": "PT Sumber", "pkp": True}
    ).get_json()
    line = {"description": "Beras", "quantity": "10", "unit": "karung", "unit_price": "100000"}
    order = api.post(
        "/api/purchasing/orders", json={"supplier_id": supplier["id"], "lines": [line]}
    ).get_json()
    for action in ("send", "confirm"):
        assert api.post(f"/api/purchasing/orders/{order['id']}/{action}").status_code == 200
    api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": "10"}],
        },
    )
    bill = api.post("/api/purchasing/bills", json={"order_id": order["id"], "post": True})
    assert bill.status_code == 201, bill.get_json()
    bill = bill.get_json()
    assert Decimal(bill["total"]) == 1000000 + 110000
    paid = api.post(
        f"/api/purchasing/bills/{bill['id']}/payments",
        json={"amount": bill["total"], "method": "bank_transfer"},
    )
    assert paid.status_code == 201, paid.get_json()
    back = api.post(
        "/api/purchasing/returns",
        json={
            "bill_id": bill["id"],
            "lines": [{"bill_line_id": bill["lines"][0]["id"], "quantity": "2"}],
        },
    )
    assert back.status_code == 201, back.get_json()
    return bill


def test_a_supplier_who_owes_the_shop_is_an_asset_until_the_refund(api, db):
    bill = supplier_owing(api)
    owed = Decimal(200000 + 22000)
    figures = rows_of(db)
    assert figures["Piutang lain-lain: pemasok"] == owed
    assert "Utang Usaha" not in figures or figures["Utang Usaha"] == 0
    url = f"/api/purchasing/bills/{bill['id']}/refunds"
    too_much = api.post(
        url,
        json={"amount": str(owed + 1), "method": "bank_transfer"},
        headers={"Accept-Language": "id"},
    )
    assert too_much.status_code == 422, too_much.get_json()  # as paying too much is
    assert too_much.get_json()["error"]["message"] == (
        f"Pengembalian dana Rp 222.001 melebihi Rp 222.000 yang menjadi utang pemasok pada "
        f"tagihan {bill['number']}"
    )
    assert balance(db, "1-1200") == -(1000000 + 110000)  # nothing stored
    part = api.post(url, json={"amount": "22000", "method": "cash"})
    assert part.status_code == 201, part.get_json()
    assert Decimal(part.get_json()["amount"]) == -22000
    rest = api.post(url, json={"amount": "200000", "method": "bank_transfer"})
    assert rest.status_code == 201, rest.get_json()
    assert balance(db, "1-1100") == 22000
    assert balance(db, "1-1200") == -(1000000 + 110000) + 200000
    assert balance(db, "2-1100") == 0
    figures = rows_of(db)
    assert "Piutang lain-lain: pemasok" not in figures
    after = api.get(f"/api/purchasing/bills/{bill['id']}").get_json()
    assert (Decimal(after["amount_open"]), after["status"]) == (0, "paid")
    nothing = api.post(url, json={"amount": "1000", "method": "cash"})
    assert nothing.status_code == 422
    assert nothing.get_json()["error"]["code"] == "nothing_to_refund"
    problems = dict(collect("niaga_check", session=db))
    assert problems.get("purchasing") == [] and problems.get("cashbank") == [], problems


def test_a_customer_in_credit_is_a_liability_until_the_refund(api, db):
    settings.put(db, "core.vat_registered", True)
    db.commit()
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Jaya"}).get_json()
    line = {"description": "Kopi", "quantity": "10", "unit_price": "50000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    assert Decimal(invoice["total"]) == 500000 + 55000
    api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": invoice["total"]})
    note = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": invoice["lines"][0]["id"], "quantity": "2"}]},
    )
    assert note.status_code == 201, note.get_json()
    credit = Decimal(100000 + 11000)
    figures = rows_of(db)
    assert figures["Utang lain-lain: lebih bayar pelanggan"] == credit
    assert "Piutang Usaha" not in figures or figures["Piutang Usaha"] == 0
    url = f"/api/sales/invoices/{invoice['id']}/refunds"
    too_much = api.post(
        url, json={"amount": "111001", "method": "cash"}, headers={"Accept-Language": "id"}
    )
    assert too_much.status_code == 409, too_much.get_json()
    assert too_much.get_json()["error"]["message"] == (
        f"Pengembalian dana Rp 111.001 melebihi kelebihan bayar Rp 111.000 pada faktur "
        f"{invoice['number']}"
    )
    assert balance(db, "1-1100") == 555000  # nothing stored
    refunded = api.post(url, json={"amount": "111000", "method": "cash"})
    assert refunded.status_code == 201, refunded.get_json()
    assert Decimal(refunded.get_json()["amount"]) == -111000
    assert balance(db, "1-1100") == 555000 - 111000
    assert balance(db, "1-1300") == 0
    assert "Utang lain-lain: lebih bayar pelanggan" not in rows_of(db)
    after = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    assert (Decimal(after["open_amount"]), after["state"]) == (0, "paid")
    assert api.post(url, json={"amount": "1", "method": "cash"}).status_code == 409
    problems = dict(collect("niaga_check", session=db))
    assert problems.get("sales") == [] and problems.get("cashbank") == [], problems


def test_refunds_are_recorded_on_the_pages_in_indonesian(api, db, logged_in):
    """The bill and the invoice pages offer the refund in Indonesian, pre-filled with what
    is owed; the forms, posted as rendered, record it."""
    from niaga.testing_pages import form_values

    client = logged_in
    bill = supplier_owing(api)
    page = f"/admin/purchasing/bills/{bill['id']}"
    html = client.get(page, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Pengembalian dana dari pemasok" in html
    assert "Pemasok berutang Rp 222.000 pada tagihan ini" in html
    action = f"/admin/purchasing/bills/{bill['id']}/refund"
    values = form_values(html, action=action)
    assert values["amount"] == "222.000"
    assert client.post(action, data=values).status_code == 302
    assert balance(db, "2-1100") == 0
    assert "Pengembalian dana dari pemasok" not in client.get(page).get_data(as_text=True)

    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Jaya"}).get_json()
    line = {"description": "Kopi", "quantity": "4", "unit_price": "25000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": invoice["total"]})
    api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": invoice["lines"][0]["id"], "quantity": "1"}]},
    )
    page = f"/admin/sales/invoices/{invoice['id']}"
    html = client.get(page, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Kembalikan dana pelanggan" in html
    assert "Pelanggan kelebihan bayar Rp 25.000 pada faktur ini." in html
    action = f"/admin/sales/invoices/{invoice['id']}/refund"
    values = form_values(html, action=action)
    assert values["amount"] == "25.000"
    done = client.post(action, data=values, headers={"Accept-Language": "id"})
    assert done.status_code in (302, 303)
    assert balance(db, "1-1300") == 0
    # the supplier's 222.000 came into the till too (cash is the form's first choice)
    assert balance(db, "1-1100") == 222000 + 100000 - 25000
