"""The first-run setup in a real headless Chromium, by keyboard: from the dashboard's link
through a refused NPWP to the page with the new cashier's temporary password."""

from __future__ import annotations

import pytest

from niaga.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_the_owner_completes_the_setup(browser_page, owner, app, db):
    from niaga import settings

    page = browser_page
    page.goto("/admin/login")
    page.fill("#login", owner.email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url("**/admin/")
    page.focus("#start-setup")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/setup/")
    assert page.locator("h1").inner_text() == "Persiapan toko Anda"

    page.fill("#f-shop_name", "Toko Makmur")
    page.fill("#f-npwp", "12.345")
    page.select_option("#f-timezone", "WIT")
    page.check("#m-inventory")
    page.fill("#f-staff-0-name", "Sari")
    page.fill("#f-staff-0-email", "sari@toko.id")
    page.select_option("#f-staff-0-role", "cashier")
    page.press("#f-staff-0-email", "Enter")  # submits the form from the keyboard
    page.wait_for_selector("#e-npwp")
    assert "NPWP terdiri dari 15 atau 16 digit" in page.locator("#e-npwp").inner_text()
    assert page.input_value("#f-staff-0-email") == "sari@toko.id"  # nothing typed is lost
    assert page.is_checked("#m-inventory")

    page.fill("#f-npwp", "01.234.567.8-901.000")
    page.check("#f-vat_registered")
    page.click("#finish")
    page.wait_for_selector("#invited")
    assert page.locator("h1").inner_text() == "Toko Anda sudah siap"
    password = page.locator("#invited code.password").inner_text()
    assert len(password) >= 8
    assert page.get_by_role("link", name="Gudang dan produk (Persediaan)").count() == 1

    db.expire_all()
    assert settings.get(db, "core.shop_name") == "Toko Makmur"
    assert settings.get(db, "core.timezone") == "WIT"
    assert settings.get(db, "core.vat_registered") is True
    assert "inventory" in app.extensions["niaga"].host.enabled_names(db)
    db.rollback()
    page.click("#to-dashboard")
    page.wait_for_url("**/admin/")
    assert page.locator("#start-setup").inner_text() == "Tinjau persiapan"
