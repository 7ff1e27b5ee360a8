"""Retailer onboarding in a real Chromium, in Bahasa Indonesia, on a desktop (1366 px) and a
phone (390 px): a shop signs up in the portal and staff approve it; staff invite an existing
shop and its owner sets a password from the link and lands in the portal; the activity and
sales analysis pages open. No page scrolls sideways."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga.testing import browser_login
from niaga.testing_pages import sideways

pytestmark = [pytest.mark.browser, pytest.mark.plugins("sales")]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "Warung-Palu-2026"


def fits(page) -> None:
    scroll, out = sideways(page)
    assert scroll == 0, out


@pytest.fixture(params=list(WIDTHS))
def screen(request, niaga_browser, live_server):
    """A function making Indonesian browser pages of one width, each with its own cookies."""
    contexts = []

    def new_page():
        context = niaga_browser.new_context(
            base_url=live_server, locale="id-ID", viewport=WIDTHS[request.param]
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def test_sign_up_approval_invitation_and_the_network_pages(screen, api, db, owner):
    from playwright.sync_api import expect

    from niaga_sales.models import Customer

    existing = api.post(
        "/api/sales/customers",
        json={"shop_name": "Toko Lama Tondo", "phone": "0813 5550 1234", "area": "Palu"},
    ).get_json()

    # a shop signs up on its phone or computer
    shop = screen()
    shop.goto("/portal/sales/register")
    expect(shop.get_by_role("heading", name="Daftarkan toko Anda")).to_be_visible()
    fits(shop)
    shop.fill("#shop_name", "Warung Bu Sari")
    shop.fill("#owner_name", "Sari")
    shop.fill("#phone", "+62 813-5557-7001")
    shop.fill("#area", "Palu Timur")
    shop.fill("#latitude", "-0,8917")
    shop.fill("#longitude", "119.8707")
    shop.fill("#password", PASSWORD)
    shop.fill("#password_again", PASSWORD)
    shop.get_by_role("button", name="Kirim pendaftaran saya").click()
    expect(shop.locator("#registered")).to_contain_text("Terima kasih")

    # staff approve it: a new customer, since no shop has that number
    staff = screen()
    browser_login(staff, owner)
    staff.goto("/admin/sales/registrations")
    card = staff.locator("section[data-registration]", has_text="Warung Bu Sari")
    expect(card).to_contain_text("081355577001")
    fits(staff)
    card.get_by_role("button", name="Setujui").click()
    expect(staff.locator(".flash.success")).to_contain_text("Pendaftaran disetujui")
    expect(staff.get_by_role("heading", name="Warung Bu Sari")).to_be_visible()
    expect(staff.get_by_role("link", name="Lokasi di peta")).to_be_visible()

    # the shop logs in with its number as it typed it in the login form
    shop.goto("/admin/login")
    shop.fill("input[name=login]", "081355577001")
    shop.fill("input[name=password]", PASSWORD)
    shop.press("input[name=password]", "Enter")
    shop.wait_for_url(lambda url: "/login" not in url)
    shop.goto("/portal/sales/")
    expect(shop.get_by_role("button", name="Keluar")).to_be_visible()
    expect(shop.locator("body")).not_to_contain_text("tidak terhubung")
    fits(shop)

    # staff invite the existing shop; its owner sets a password from the link
    staff.goto(f"/admin/sales/customers/{existing['id']}")
    expect(staff.locator("#invite_phone")).to_have_value("0813 5550 1234")
    staff.get_by_role("button", name="Buat tautan undangan").click()
    link = staff.get_by_label("Tautan undangan")
    expect(link).to_be_visible()
    fits(staff)
    url = link.input_value()
    assert "/portal/sales/invite/" in url

    owner_of_shop = screen()
    owner_of_shop.goto(url[url.index("/portal/") :])
    expect(owner_of_shop.locator("body")).to_contain_text("Toko Lama Tondo")
    fits(owner_of_shop)
    owner_of_shop.fill("#name", "Pak Tondo")
    owner_of_shop.fill("#password", PASSWORD)
    owner_of_shop.fill("#password_again", PASSWORD)
    owner_of_shop.get_by_role("button", name="Simpan kata sandi saya").click()
    expect(owner_of_shop.locator(".flash.success")).to_contain_text("Selamat datang")
    assert "/portal/sales/" in owner_of_shop.url

    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Customer)) == 2
    assert all(c.user_id for c in db.scalars(sa.select(Customer)))

    # the network pages open in Indonesian and fit the screen
    staff.goto("/admin/sales/retailers")
    expect(staff.get_by_role("heading", name="Aktivitas pengecer")).to_be_visible()
    expect(staff.locator("#thresholds")).to_contain_text("di bawah 50%")
    fits(staff)
    staff.goto("/admin/sales/analysis?by=area")
    expect(staff.get_by_role("heading", name="Analisis penjualan")).to_be_visible()
    fits(staff)
