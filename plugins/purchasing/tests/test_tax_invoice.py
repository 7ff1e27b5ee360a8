"""The supplier's Faktur Pajak on a bill (issue 23): recorded with the bill or later,
through the API and on the bill page; a bad number or date is refused in Indonesian and
stores nothing. Supplier NPWPs follow the one rule of niaga.tax_ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from niaga.clock import shop_today
from niaga.testing import csrf_token
from niaga_purchasing.models import Bill

pytestmark = pytest.mark.plugins("purchasing")

FAKTUR = "04002500012345678"


def received(api: Any, order: dict[str, Any]) -> dict[str, Any]:
    receipt = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "lines": [
                {"order_line_id": line["id"], "quantity": line["quantity"]}
                for line in order["lines"]
            ],
        },
    )
    assert receipt.status_code == 201, receipt.get_json()
    return receipt.get_json()


def test_a_bill_records_the_supplier_faktur(api: Any, db: Any, free_text_order: dict) -> None:
    receipt = received(api, free_text_order)
    today = shop_today(db)
    db.commit()
    bill = api.post(
        "/api/purchasing/bills",
        json={
            "receipt_ids": [receipt["id"]],
            "tax_invoice_number": "040.025-00.012345678",
            "tax_invoice_date": today.isoformat(),
            "post": True,
        },
    )
    assert bill.status_code == 201, bill.get_json()
    body = bill.get_json()
    assert (body["tax_invoice_number"], body["tax_invoice_date"]) == (FAKTUR, today.isoformat())

    # corrected later, then a wrong number is refused and the right one stays
    url = f"/api/purchasing/bills/{body['id']}/tax-invoice"
    fixed = api.put(
        url, json={"tax_invoice_number": "04002500012345679", "tax_invoice_date": today.isoformat()}
    )
    assert fixed.status_code == 200 and fixed.get_json()["tax_invoice_number"].endswith("679")
    bad = api.put(
        url,
        json={"tax_invoice_number": "12345", "tax_invoice_date": today.isoformat()},
        headers={"Accept-Language": "id"},
    )
    assert bad.status_code == 422
    assert "Nomor faktur pajak 12345 tidak sah" in bad.get_json()["error"]["message"]
    assert "tax_invoice_number" in bad.get_json()["error"]["fields"]
    future = api.put(
        url,
        json={
            "tax_invoice_number": FAKTUR,
            "tax_invoice_date": (today + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert future.status_code == 422 and "tax_invoice_date" in future.get_json()["error"]["fields"]
    undated = api.put(url, json={"tax_invoice_number": FAKTUR})
    assert undated.status_code == 422
    db.expire_all()
    assert db.get(Bill, body["id"]).tax_invoice_number == "04002500012345679"


def test_the_bill_page_takes_the_faktur(
    api: Any, db: Any, logged_in: Any, free_text_order: dict
) -> None:
    receipt = received(api, free_text_order)
    bill = api.post("/api/purchasing/bills", json={"receipt_ids": [receipt["id"]], "post": True})
    bill_id = bill.get_json()["id"]
    today = shop_today(db)
    db.commit()
    page = f"/admin/purchasing/bills/{bill_id}"
    text = logged_in.get(page).get_data(as_text=True)
    assert 'id="tax-invoice"' in text
    answer = logged_in.post(
        f"{page}/tax-invoice",
        data={
            "csrf_token": csrf_token(logged_in, page),
            "tax_invoice_number": "abc",
            "tax_invoice_date": today.isoformat(),
        },
    )
    assert answer.status_code == 302
    db.expire_all()
    assert db.get(Bill, bill_id).tax_invoice_number == ""
    answer = logged_in.post(
        f"{page}/tax-invoice",
        data={
            "csrf_token": csrf_token(logged_in, page),
            "tax_invoice_number": FAKTUR,
            "tax_invoice_date": today.isoformat(),
        },
    )
    assert answer.status_code == 302
    db.expire_all()
    found = db.get(Bill, bill_id)
    assert (found.tax_invoice_number, found.tax_invoice_date) == (FAKTUR, today)
    assert FAKTUR in logged_in.get(page).get_data(as_text=True)


def test_a_supplier_npwp_follows_the_tax_id_rule(api: Any) -> None:
    answer = api.post(
        "/api/purchasing/suppliers", json={"name": "CV Y", "npwp": "0012.3456.7890.1000"}
    )
    assert answer.status_code == 201
    assert answer.get_json()["npwp"] == "0012345678901000"
    bad = api.post(
        "/api/purchasing/suppliers",
        json={"name": "CV Z", "npwp": "0012 3456 789"},
        headers={"Accept-Language": "id"},
    )
    assert bad.status_code == 422 and "NPWP" in bad.get_json()["error"]["message"]
