"""An idempotency storm on the real order endpoints with every plugin enabled: the same
keys sent many times at once, again after completion, and with a changed body.
(Core's own tests cover the mechanism on a sample plugin; this is the order flow.)"""

from __future__ import annotations

import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import requests
from workload import ALL_PLUGINS, order_lines, seed_shop

pytestmark = pytest.mark.plugins(*ALL_PLUGINS)
KEYS = 10
COPIES = 6


def storm(url: str, token: str, sends: list[tuple[str, dict]]) -> list[requests.Response]:
    local = threading.local()

    def send(item: tuple[str, dict]) -> requests.Response:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        key, body = item
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        return local.session.post(url, json=body, headers=headers, timeout=120)

    with ThreadPoolExecutor(12) as pool:
        return list(pool.map(send, sends))


def total(api, url: str) -> int:
    return json.loads(api.get(url + "?page_size=1").headers["X-Pagination"])["total"]


def test_order_keys_sent_at_once_after_and_changed(api, post, live_server):
    shop = seed_shop(post, products=3, customers=1)
    body = {"customer_id": shop.customers[0], "lines": order_lines(shop.products)}
    sends = [(f"order-{k}", body) for k in range(KEYS) for _ in range(COPIES)]
    random.Random(10).shuffle(sends)
    url = f"{live_server}/api/sales/orders"

    answers = storm(url, api.token, sends)
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers][:3]
    first = {}
    for (key, _), answer in zip(sends, answers, strict=True):
        if answer.status_code == 201:
            assert first.setdefault(key, answer.content) == answer.content
    assert len(first) == KEYS
    assert total(api, "/api/sales/orders") == KEYS

    again = storm(url, api.token, sends)
    for (key, _), answer in zip(sends, again, strict=True):
        assert (answer.status_code, answer.content) == (201, first[key])
        assert answer.headers["Idempotent-Replayed"] == "true"
    assert total(api, "/api/sales/orders") == KEYS

    changed = {**body, "notes": "another body"}
    refused = storm(url, api.token, [(f"order-{k}", changed) for k in range(KEYS)])
    for answer in refused:
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "idempotency_key_reused"
    assert total(api, "/api/sales/orders") == KEYS


def test_confirm_retried_at_once_reserves_once(api, post, live_server):
    shop = seed_shop(post, products=1, stock=5, customers=1)
    status, order = post(
        "/api/sales/orders",
        {"customer_id": shop.customers[0], "lines": order_lines(shop.products, 2)},
        None,
    )
    assert status == 201
    url = f"{live_server}/api/sales/orders/{order['id']}/confirm"
    answers = storm(url, api.token, [("confirm-once", {})] * 24)
    assert {a.status_code for a in answers} <= {200, 409}
    assert any(a.status_code == 200 for a in answers)
    figures = api.get(f"/api/inventory/products/{shop.products[0]}/stock").get_json()
    assert Decimal(figures["reserved"]) == 2
    assert Decimal(figures["available"]) == 3
