"""A retailer walks its own dashboard in the portal (issue 22), in Chromium, in Bahasa
Indonesia, at 1366 and 390 px: it logs in typing its phone number another way than it was
stored, sees its purchases, what it has to pay, its points and the way to the next tier,
orders an earlier order again — and no page scrolls sideways."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from niaga.testing import PASSWORD
from niaga.testing_pages import sideways

pytestmark = [pytest.mark.browser, pytest.mark.plugins("sales", "loyalty")]

DESK, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def rupiah(amount: int | Decimal) -> str:
    return "Rp " + f"{int(amount):,}".replace(",", ".")


@pytest.fixture
def retailer(app, api, make_user):
    """Warung Bu Sri: an order of 10 × 15.000 delivered and invoiced (open), a counter
    sale of 2 × 60.000 (paid), 1.000 points; tiers Silver (from 0) and Gold (from
    500.000). Another shop bought 999.000."""
    from niaga.db import session
    from niaga_loyalty import ledger, tiers
    from niaga_loyalty.models import Tier
    from niaga_sales.models import Customer

    ids = {}
    for name in ("Warung Bu Sri", "Toko Lain"):
        answer = api.post(
            "/api/sales/customers", json={"shop_name": name, "payment_terms_days": 14}
        )
        ids[name] = answer.get_json()["id"]

    def invoiced(who: str, quantity: str, price: str) -> None:
        made = api.post(
            "/api/sales/orders",
            json={
                "customer_id": ids[who],
                "lines": [{"description": "Gula 1 kg", "quantity": quantity, "unit_price": price}],
            },
        ).get_json()
        assert api.post(f"/api/sales/orders/{made['id']}/confirm", json={}).status_code == 200
        sent = api.post(f"/api/sales/orders/{made['id']}/deliveries", json={"deliver": True})
        assert sent.status_code == 201, sent.get_json()
        assert api.post(f"/api/sales/orders/{made['id']}/invoice", json={}).status_code == 201

    invoiced("Warung Bu Sri", "10", "15000")
    invoiced("Toko Lain", "1", "999000")
    assert api.post("/api/sales/pos/sessions", json={"opening_cash": "0"}).status_code in (200, 201)
    sold = api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": uuid.uuid4().hex,
            "customer_id": ids["Warung Bu Sri"],
            "lines": [{"description": "Kopi", "quantity": "2", "unit_price": "60000"}],
        },
    )
    assert sold.status_code == 201, sold.get_json()
    user = make_user("retailer", phone="0813 5559 9999", name="Bu Sri")
    with app.app_context():
        db = session()
        db.get(Customer, ids["Warung Bu Sri"]).user_id = user.id
        db.add_all(
            [
                Tier(name="Silver", min_spend=Decimal(0)),
                Tier(name="Gold", min_spend=Decimal(500000)),
            ]
        )
        member = ledger.member_for_customer(db, ids["Warung Bu Sri"], "Warung Bu Sri")
        db.flush()
        ledger.adjust(db, member, 1000, "Opening balance")
        tiers.refresh(db, member)
        spend = tiers.rolling_spend(db, member)
        db.commit()
    return user, spend


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1366", "390"])
def test_a_retailer_walks_its_dashboard(niaga_browser, live_server, app, retailer, viewport):
    from playwright.sync_api import expect

    user, spend = retailer
    context = niaga_browser.new_context(base_url=live_server, viewport=viewport, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/admin/login")
    expect(page.get_by_role("link", name="Daftar sebagai toko")).to_be_visible()
    assert sideways(page)[0] <= 0, sideways(page)
    page.get_by_label("E-mail atau nomor telepon").fill("+62 813-5559-9999")  # stored 081355599999
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Kata sandi").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto("/portal/")
    page.get_by_role("link", name="Ringkasan saya").first.click()
    expect(page.locator("h1")).to_have_text("Ringkasan saya")
    expect(page.locator("#purchases-month")).to_contain_text(rupiah(150000 + 120000))
    expect(page.locator("#my-status")).to_have_text("baru")
    expect(page.locator("#owed")).to_contain_text(rupiah(150000))
    expect(page.locator("#invoices-due")).to_contain_text(rupiah(150000))
    expect(page.locator("#my-figures")).to_contain_text("1.000")  # points
    expect(page.locator("#my-figures")).to_contain_text("Silver")
    expect(page.locator("#my-figures")).to_contain_text(
        f"{rupiah(500000 - spend)} lagi menuju Gold"
    )
    expect(page.locator("main")).not_to_contain_text("999.000")
    page.wait_for_load_state("load")
    assert sideways(page)[0] <= 0, sideways(page)

    page.locator("#last-orders").get_by_role("button", name="Pesan lagi").first.click()
    expect(page.locator("#order-state")).to_have_text("Terkirim, menunggu konfirmasi")
    expect(page.locator("main")).to_contain_text(rupiah(150000))
    assert sideways(page)[0] <= 0, sideways(page)
    context.close()
