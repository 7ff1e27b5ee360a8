"""The API: the log of messages with filters, and each customer's preference set by an
onboarding tool; bad input answers 422 in the error envelope, a missing right 403."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.plugins("notifications", "sales")


def test_a_preference_is_set_read_and_used_and_the_log_lists_the_message(api, db, channels):
    whatsapp, _ = channels
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko API"}).get_json()
    url = f"/api/notifications/preferences/{customer['id']}"
    assert api.get(url).status_code == 404
    put = api.put(url, json={"channel": "whatsapp", "phone": "0812-3456-7890"})
    assert put.status_code == 200, put.get_json()
    assert put.get_json() == {
        "customer_id": customer["id"],
        "channel": "whatsapp",
        "email": "",
        "phone": "081234567890",
        "language": "id",
    }
    assert api.get(url).get_json()["phone"] == "081234567890"
    line = {"description": "Kopi", "quantity": "1", "unit_price": "10000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    from niaga.jobs import run_round

    assert run_round()[0] == 1
    listed = api.get("/api/notifications/messages?state=sent&event=order_confirmed").get_json()
    assert [m["recipient"] for m in listed] == ["081234567890"]
    assert listed[0]["reference"] == f"sales.order:{order['id']}"
    assert api.get("/api/notifications/messages?state=failed").get_json() == []


def test_bad_preferences_are_refused_in_the_envelope(api):
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Salah"}).get_json()
    url = f"/api/notifications/preferences/{customer['id']}"
    for body, field in (
        ({"channel": "sms"}, "channel"),
        ({"channel": "email", "email": "bukan"}, "email"),
        ({"channel": "whatsapp", "phone": "12ab"}, "phone"),
        ({"channel": "email", "language": "fr"}, "language"),
        ({"channel": "email", "surprise": 1}, "surprise"),
    ):
        answer = api.put(url, json=body)
        assert answer.status_code == 422, body
        assert field in answer.get_json()["error"]["fields"], answer.get_json()
    unknown = api.put("/api/notifications/preferences/424242", json={"channel": "none"})
    assert unknown.status_code == 422
    assert "customer_id" in unknown.get_json()["error"]["fields"]
    assert api.get("/api/notifications/preferences/99999999999").status_code == 404
    assert api.get("/api/notifications/messages?state=lost").status_code == 422


def test_a_cashier_may_not_read_the_log(api_as, make_user):
    cashier = make_user("cashier", email="kasir@toko.example")
    assert api_as(cashier, ["*"]).get("/api/notifications/messages").status_code == 403
