"""Unhappy paths answer clear 4xx errors in the one envelope, and nothing is half-saved."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.plugins("purchasing")


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


@pytest.mark.parametrize(
    "npwp", ["12.345", "01.234.567.8-431.00X", "000000000000000", "1234567890123456789"]
)
def test_bad_npwp_is_refused(api: Any, npwp: str) -> None:
    body = error(api.post("/api/purchasing/suppliers", json={"name": "CV X", "npwp": npwp}), 422)
    assert "NPWP" in body["message"]
    assert body["fields"] == {"npwp": body["fields"]["npwp"]}


def test_npwp_forms_are_normalised_and_unique(api: Any) -> None:
    old = api.post("/api/purchasing/suppliers", json={"name": "A", "npwp": "01.234.567.8-431.000"})
    assert old.get_json()["npwp"] == "012345678431000"
    assert old.get_json()["npwp_formatted"] == "01.234.567.8-431.000"
    new = api.post("/api/purchasing/suppliers", json={"name": "B", "npwp": "3171012345678901"})
    assert new.status_code == 201
    again = api.post("/api/purchasing/suppliers", json={"name": "C", "npwp": "012345678431000"})
    assert error(again, 409)["code"] == "conflict"


def test_over_receipt_is_refused_unless_allowed(api: Any, free_text_order: dict) -> None:
    line = free_text_order["lines"][0]
    url = "/api/purchasing/receipts"
    body = {
        "order_id": free_text_order["id"],
        "lines": [{"order_line_id": line["id"], "quantity": "11"}],
    }
    refused = error(api.post(url, json=body), 422)
    assert refused["code"] == "over_receipt"
    assert "more than ordered" in refused["message"]
    order = api.get(f"/api/purchasing/orders/{free_text_order['id']}").get_json()
    assert order["lines"][0]["received_quantity"] == "0.0000"
    assert api.get("/api/purchasing/receipts").get_json() == []
    allowed = api.post(url, json={**body, "allow_over_receipt": True})
    assert allowed.status_code == 201
    assert (
        api.get(f"/api/purchasing/orders/{free_text_order['id']}").get_json()["lines"][0][
            "received_quantity"
        ]
        == "11.0000"
    )


def test_overpayment_is_refused(api: Any, free_text_order: dict) -> None:
    line = free_text_order["lines"][0]
    receipt = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": free_text_order["id"],
            "lines": [{"order_line_id": line["id"], "quantity": "10"}],
        },
    ).get_json()
    bill = api.post("/api/purchasing/bills", json={"receipt_ids": [receipt["id"]]}).get_json()
    url = f"/api/purchasing/bills/{bill['id']}/payments"
    assert "Post bill" in error(api.post(url, json={"amount": "1000"}), 422)["message"]
    api.post(f"/api/purchasing/bills/{bill['id']}/post")
    refused = error(api.post(url, json={"amount": "721501"}), 422)
    assert refused["code"] == "overpayment"
    assert "Rp 721,500" in refused["message"]  # the API answers in English here
    assert error(api.post(url, json={"amount": "0"}), 422)["code"] == "invalid"
    assert error(api.post(url, json={"amount": "10", "method": "qris"}), 422)["fields"]
    assert api.post(url, json={"amount": "721500"}).status_code == 201
    assert "already paid" in error(api.post(url, json={"amount": "1"}), 422)["message"]


def test_bill_before_receipt_is_refused(api: Any, free_text_order: dict) -> None:
    body = error(api.post("/api/purchasing/bills", json={"order_id": free_text_order["id"]}), 422)
    assert "Nothing has been received" in body["message"]
    assert error(api.post("/api/purchasing/bills", json={"receipt_ids": [999]}), 404)
    assert error(api.post("/api/purchasing/bills", json={}), 422)


def test_billing_twice_is_refused(api: Any, free_text_order: dict) -> None:
    line = free_text_order["lines"][0]
    api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": free_text_order["id"],
            "lines": [{"order_line_id": line["id"], "quantity": "2"}],
        },
    )
    assert (
        api.post("/api/purchasing/bills", json={"order_id": free_text_order["id"]}).status_code
        == 201
    )
    again = error(api.post("/api/purchasing/bills", json={"order_id": free_text_order["id"]}), 422)
    assert "billed already" in again["message"]


def test_cancel_after_receipt_is_refused(api: Any, free_text_order: dict) -> None:
    line = free_text_order["lines"][0]
    api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": free_text_order["id"],
            "lines": [{"order_line_id": line["id"], "quantity": "1"}],
        },
    )
    body = error(api.post(f"/api/purchasing/orders/{free_text_order['id']}/cancel"), 422)
    assert "already received" in body["message"]


def test_draft_orders_only_change_and_cancelled_orders_take_no_goods(
    api: Any, supplier: dict
) -> None:
    order = api.post(
        "/api/purchasing/orders",
        json={
            "supplier_id": supplier["id"],
            "lines": [{"description": "Teh", "quantity": "2", "unit_price": "5000"}],
        },
    ).get_json()
    changed = api.patch(
        f"/api/purchasing/orders/{order['id']}",
        json={"lines": [{"description": "Teh", "quantity": "3", "unit_price": "5000"}]},
    )
    assert changed.status_code == 200 and changed.get_json()["subtotal"] == "15000.00"
    assert (
        api.post(f"/api/purchasing/orders/{order['id']}/cancel").get_json()["status"] == "cancelled"
    )
    receipt = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": "1"}],
        },
    )
    assert "cannot be received" in error(receipt, 422)["message"]
    assert error(api.patch(f"/api/purchasing/orders/{order['id']}", json={"notes": "x"}), 422)


def test_bad_input_is_422_not_500(api: Any, supplier: dict) -> None:
    url = "/api/purchasing/orders"
    assert error(api.post(url, json={"supplier_id": supplier["id"], "lines": []}), 422)
    assert error(
        api.post(
            url,
            json={
                "supplier_id": 999,
                "lines": [{"description": "x", "quantity": "1", "unit_price": "1"}],
            },
        ),
        404,
    )
    no_price = {"supplier_id": supplier["id"], "lines": [{"description": "x", "quantity": "1"}]}
    assert "needs a unit price" in error(api.post(url, json=no_price), 422)["message"]
    negative = {
        "supplier_id": supplier["id"],
        "lines": [{"description": "x", "quantity": "-1", "unit_price": "1"}],
    }
    assert error(api.post(url, json=negative), 422)["fields"]
    product = {"supplier_id": supplier["id"], "lines": [{"product_id": 1, "quantity": "1"}]}
    assert "inventory plugin" in error(api.post(url, json=product), 422)["message"]
    bad_tax = {
        "supplier_id": supplier["id"],
        "lines": [{"description": "x", "quantity": "1", "unit_price": "1", "tax_base": "13/12"}],
    }
    assert error(api.post(url, json=bad_tax), 422)
    assert error(
        api.post(
            url,
            json={
                "supplier_id": supplier["id"],
                "lines": [{"description": "x", "quantity": "1", "unit_price": "1"}],
                "bogus": 1,
            },
        ),
        422,
    )


def test_permissions(app: Any, api_as: Any, make_user: Any, free_text_order: dict) -> None:
    clerk = api_as(make_user("warehouse"))
    line = free_text_order["lines"][0]
    assert clerk.get("/api/purchasing/orders").status_code == 200
    assert (
        clerk.post("/api/purchasing/orders", json={"supplier_id": 1, "lines": []}).status_code
        == 403
    )
    received = clerk.post(
        "/api/purchasing/receipts",
        json={
            "order_id": free_text_order["id"],
            "lines": [{"order_line_id": line["id"], "quantity": "1"}],
        },
    )
    assert received.status_code == 201
    assert clerk.post("/api/purchasing/bills/1/payments", json={"amount": "1"}).status_code == 403
    cashier = api_as(make_user("cashier"))
    assert cashier.get("/api/purchasing/orders").status_code == 403
    assert app.test_client().get("/api/purchasing/orders").status_code == 401


@pytest.mark.plugins()
def test_disabled_plugin_answers_404(api: Any) -> None:
    assert api.get("/api/purchasing/orders").status_code == 404


def test_number_pattern_is_a_setting(api: Any, db: Any, supplier: dict) -> None:
    from niaga import settings

    settings.put(db, "purchasing.order_number_pattern", "PB-{yy}{month}-{seq:03d}")
    db.commit()
    order = api.post(
        "/api/purchasing/orders",
        json={
            "supplier_id": supplier["id"],
            "lines": [{"description": "x", "quantity": "1", "unit_price": "1"}],
        },
    ).get_json()
    assert order["number"].startswith("PB-") and order["number"].endswith("-001")
    with pytest.raises(Exception, match="seq"):
        settings.put(db, "purchasing.order_number_pattern", "PO/{year}")
