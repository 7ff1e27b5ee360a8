"""Two ``niaga serve`` processes on one database behave as one: a plugin enabled through
one is enabled in the other, a setting changed through one is seen by the other, and an
Idempotency-Key and a stock limit hold across both."""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from harness import NiagaProcess
from workload import confirm, http_post, order_lines, seed_shop

from niaga.testing import PASSWORD

pytestmark = pytest.mark.plugins("inventory", "sales")


@pytest.fixture
def servers(database_url, tmp_path):
    env = dict(
        os.environ,
        NIAGA_HOME=str(tmp_path / "servers"),
        NIAGA_DATABASE_URL=database_url,
        NIAGA_SECRET_KEY="test",
        NIAGA_EMBEDDED_WORKER="false",
    )
    started = [NiagaProcess(env, threads=8).start() for _ in range(2)]
    yield [server.base for server in started]
    for server in started:
        server.stop()


def admin_session(base: str, owner) -> requests.Session:
    """A browser-like session logged in to ``base`` through the login form."""
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"

    def token(url: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', browser.get(url).text).group(1)

    browser.csrf = token  # type: ignore[attr-defined]
    answer = browser.post(
        f"{base}/admin/login",
        data={
            "login": owner.email,
            "password": PASSWORD,
            "csrf_token": token(f"{base}/admin/login"),
        },
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:300]
    return browser


def test_plugins_and_settings_changed_through_one_are_seen_by_the_other(servers, owner, api):
    one, other = servers
    bearer = {"Authorization": f"Bearer {api.token}"}
    assert requests.get(f"{other}/api/loyalty/programs", headers=bearer).status_code == 404
    browser = admin_session(one, owner)
    enabled = browser.post(
        f"{one}/admin/plugins/loyalty/enable",
        data={"csrf_token": browser.csrf(f"{one}/admin/plugins")},
    )
    assert enabled.status_code == 200
    assert requests.get(f"{other}/api/loyalty/programs", headers=bearer).status_code == 200

    saved = browser.post(
        f"{one}/admin/plugins/sales/settings",
        data={
            "csrf_token": browser.csrf(f"{one}/admin/plugins/sales/settings"),
            "order_prefix": "DUA",
            "charge_ppn": "on",
        },
    )
    assert saved.status_code == 200 and saved.history, saved.text[:300]  # redirected: saved
    post = http_post(requests.Session(), other, api.token)
    shop = seed_shop(post, products=1, customers=1)
    status, order = post(
        "/api/sales/orders",
        {"customer_id": shop.customers[0], "lines": order_lines(shop.products)},
        None,
    )
    assert status == 201 and order["number"].startswith("DUA"), order


def test_an_idempotency_key_and_a_stock_limit_hold_across_both(servers, api):
    posts = [http_post(requests.Session(), base, api.token) for base in servers]
    shop = seed_shop(posts[0], products=1, stock=5, customers=2)
    body = {"customer_id": shop.customers[0], "lines": order_lines(shop.products)}

    def send(n: int) -> tuple[int, object]:
        post = http_post(requests.Session(), servers[n % 2], api.token)
        return post("/api/sales/orders", body, "one-order-for-both")

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(send, range(24)))
    assert {status for status, _ in answers} <= {201, 409}
    created = {json.dumps(body, sort_keys=True) for status, body in answers if status == 201}
    assert len(created) == 1
    listed = requests.get(
        f"{servers[1]}/api/sales/orders", headers={"Authorization": f"Bearer {api.token}"}
    )
    assert len(listed.json()) == 1

    drafts = [
        posts[n % 2]("/api/sales/orders", {**body, "customer_id": shop.customers[n % 2]}, None)
        for n in range(20)
    ]
    ids = [order["id"] for status, order in drafts if status == 201]
    assert len(ids) == 20

    def buy(n: int) -> int:
        post = http_post(requests.Session(), servers[n % 2], api.token)
        return confirm(post, ids[n])[0]

    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(buy, range(20)))
    assert sorted(statuses) == [200] * 5 + [409] * 15
