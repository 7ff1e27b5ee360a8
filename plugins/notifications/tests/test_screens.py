"""The notifications screens in a real Chromium, in Bahasa Indonesia: at 390 px none
scrolls sideways (a table may scroll in its own box) with a full log and delivery log,
and the owner switches sharing on from the phone, seeing the exact fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from niaga.contracts import Document
from niaga.jobs import run_round
from niaga.runtime import hooks
from niaga.testing import browser_login
from niaga.testing_pages import sideways
from niaga_notifications.models import Preference

from .conftest import SECRET, configure

pytestmark = [pytest.mark.browser, pytest.mark.plugins("notifications", "sales")]

PHONE = {"width": 390, "height": 844}
PAGES = (
    "/admin/notifications/",
    "/admin/notifications/templates",
    "/admin/notifications/templates/invoice_due/id",
    "/admin/notifications/preferences",
    "/admin/notifications/principal",
)


def fill_the_logs(api, db, whatsapp, receiver) -> None:
    configure(db, whatsapp=whatsapp)
    from niaga_notifications.admin import save_principal

    save_principal(
        db,
        {
            "enabled": "on",
            "principal_url": receiver.url,
            "principal_secret": SECRET,
            "principal_distributor_code": "DIST-PALU-01",
        },
    )
    for n in range(3):
        customer = api.post(
            "/api/sales/customers", json={"shop_name": f"Toko Panjang Sekali Namanya {n}"}
        ).get_json()
        db.add(
            Preference(customer_id=customer["id"], channel="whatsapp", phone=f"0812345678{n:02d}")
        )
        db.commit()
        hooks().sales_order_confirmed(
            session=db,
            order=Document(
                kind="sales.order",
                id=100 + n,
                number=f"SO-2026-12-{n:05d}",
                date=dt.date(2026, 12, 1),
                party_id=customer["id"],
                party_name="x",
                lines=(),
                subtotal=Decimal("1250000"),
                tax=Decimal(0),
                total=Decimal("1250000"),
            ),
        )
        db.commit()
    whatsapp.failures_to_give = 1
    receiver.failures_to_give = 1
    line = {"description": "Beras Premium 5 kg karung", "quantity": "10", "unit_price": "70000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    api.post(f"/api/sales/orders/{order['id']}/invoice")
    while run_round()[0]:
        pass
    db.close()


def test_every_notifications_page_fits_390_px_in_indonesian(
    app, api, db, owner, whatsapp, receiver, niaga_browser, live_server
):
    fill_the_logs(api, db, whatsapp, receiver)
    context = niaga_browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, owner)
    problems = []
    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        scroll, out = sideways(page)
        if scroll > 0:
            problems.append(f"{path}: {scroll} px too wide: {', '.join(out)}")
    assert not problems, "\n".join(problems)
    page.goto("/admin/notifications/")
    expect(page.locator("#log")).to_contain_text("terkirim")
    expect(page.locator("#log")).to_contain_text("Pesanan dikonfirmasi")
    page.goto("/admin/notifications/principal")
    expect(page.locator("#sell-out-fields")).to_contain_text("tanpa nama, nomor HP, atau alamat")
    expect(page.locator("#deliveries")).to_contain_text("503")
    page.screenshot(path=str(app.instance_path) + "/principal-390.png", full_page=True)
    context.close()


def test_the_owner_switches_sharing_off_on_a_phone(
    api, db, owner, receiver, niaga_browser, live_server
):
    from niaga import settings
    from niaga_notifications.admin import save_principal

    save_principal(db, {"enabled": "on", "principal_url": receiver.url, "principal_secret": SECRET})
    db.commit()
    db.close()
    context = niaga_browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    page = context.new_page()
    browser_login(page, owner)
    page.goto("/admin/notifications/principal")
    page.locator("input[name=enabled]").uncheck()
    page.locator("#principal-form button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Pengaturan berbagi data disimpan")
    db.expire_all()
    assert settings.get(db, "notifications.principal_enabled") is False
    context.close()
