"""An order page offers only what can still be done: no "deliver the rest" once every
item is on a delivery, nothing but viewing once the order is cancelled."""

from __future__ import annotations

import pytest

from niaga.testing import csrf_token

pytestmark = pytest.mark.plugins("sales")

DELIVER_REST = "Kirim sisanya"


def buttons(logged_in, order_id: int) -> str:
    return logged_in.get(f"/admin/sales/orders/{order_id}").get_data(as_text=True)


def test_deliver_the_rest_disappears_when_nothing_is_left(api, logged_in, customer, line):
    order = api.post(
        "/api/sales/orders",
        json={"customer_id": customer["id"], "lines": [line("Gula 1 kg", "10", "17000")]},
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert DELIVER_REST in buttons(logged_in, order["id"])
    delivered = api.post(f"/api/sales/orders/{order['id']}/deliveries", json={})
    assert delivered.status_code == 201, delivered.get_json()
    page = buttons(logged_in, order["id"])
    assert DELIVER_REST not in page  # all 10 are on the open delivery
    stale = logged_in.post(
        f"/admin/sales/orders/{order['id']}/deliver",
        data={"csrf_token": csrf_token(logged_in, f"/admin/sales/orders/{order['id']}")},
        follow_redirects=True,
    )  # a button on a page opened before: refused with a message, not a crash
    assert stale.status_code == 200 and "flash error" in stale.get_data(as_text=True)


def test_a_cancelled_order_offers_no_actions(api, logged_in, customer, line):
    order = api.post(
        "/api/sales/orders",
        json={"customer_id": customer["id"], "lines": [line("Kopi", "1", "10000")]},
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/cancel", json={}).status_code == 200
    page = buttons(logged_in, order["id"])
    for label in ("Konfirmasi", "Batalkan pesanan", DELIVER_REST, "Terbitkan faktur"):
        assert label not in page
