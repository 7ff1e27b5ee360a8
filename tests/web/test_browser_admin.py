"""The admin UI in a real headless Chromium: log in, switch a module on and off on the
Plugins page and watch the menu follow, save a module's settings (secret masked), and
change the language."""

from __future__ import annotations

import pytest

from niaga.testing import browser_login

pytestmark = pytest.mark.browser


def menu_text(page) -> str:
    return page.locator("nav.menu").inner_text()


def test_enable_and_disable_a_module_changes_the_menu(browser_page, owner):
    page = browser_page
    browser_login(page, owner)
    page.goto("/admin/plugins")
    assert "Catatan" not in menu_text(page)
    row = page.locator("#plugin-sample")
    assert row.get_attribute("data-state") == "disabled"
    row.get_by_role("button", name="Aktifkan").click()
    page.wait_for_selector("#plugin-sample[data-state=enabled]")
    assert "Diaktifkan: Contoh" in page.locator(".flash").inner_text()
    assert "Catatan" in menu_text(page)
    page.locator("#plugin-sample").get_by_role("button", name="Nonaktifkan").click()
    page.get_by_role("link", name="Batal").click()  # asked first; changed their mind
    assert page.locator("#plugin-sample").get_attribute("data-state") == "enabled"
    page.locator("#plugin-sample").get_by_role("button", name="Nonaktifkan").click()
    assert "Datanya tetap disimpan" in page.locator("main").inner_text()
    page.get_by_role("button", name="Ya, nonaktifkan Contoh").click()
    page.wait_for_selector("#plugin-sample[data-state=disabled]")
    assert "Dinonaktifkan: Contoh" in page.locator(".flash").inner_text()
    assert "Catatan" not in menu_text(page)


def test_a_refused_disable_is_explained(browser_page, owner, app):
    from niaga.testing import enable_plugins

    host = app.extensions["niaga"].host
    dependents = [n for n in host.loaded_names() if host.dependents(n)]
    if not dependents:
        pytest.skip("no installed plugin has dependents")
    needed = dependents[0]
    enable_plugins(app, [host.dependents(needed)[0]])
    page = browser_page
    browser_login(page, owner)
    page.goto("/admin/plugins")
    assert "Dibutuhkan oleh" in page.locator(f"#plugin-{needed}").inner_text()
    page.locator(f"#plugin-{needed}").get_by_role("button", name="Nonaktifkan").click()
    assert "tidak dapat dinonaktifkan" in page.locator(".flash.error").inner_text()
    assert page.locator(f"#plugin-{needed}").get_attribute("data-state") == "enabled"


@pytest.mark.plugins("sample")
def test_save_a_module_setting_with_a_masked_secret(browser_page, owner, db):
    from niaga import settings

    page = browser_page
    browser_login(page, owner)
    page.goto("/admin/plugins")
    page.locator("#plugin-sample").get_by_role("link", name="Pengaturan").click()
    page.fill("#f-greeting", "")
    page.get_by_role("button", name="Simpan").click()
    assert page.locator(".field.invalid").count() == 1  # validated on save, nothing stored
    page.fill("#f-greeting", "Selamat pagi")
    page.fill("#f-api_key", "kunci-rahasia-42")
    page.get_by_role("button", name="Simpan").click()
    assert "Pengaturan disimpan." in page.locator(".flash").inner_text()
    assert page.input_value("#f-greeting") == "Selamat pagi"
    assert page.input_value("#f-api_key") == ""
    assert "kunci-rahasia-42" not in page.content()
    db.rollback()
    assert settings.get(db, "sample.greeting") == "Selamat pagi"
    assert settings.get(db, "sample.api_key") == "kunci-rahasia-42"
    db.rollback()
    page.fill("#f-greeting", "Halo lagi")  # secret left empty: kept
    page.get_by_role("button", name="Simpan").click()
    db.rollback()
    assert settings.get(db, "sample.api_key") == "kunci-rahasia-42"
    db.rollback()


def test_change_the_language(browser_page, owner):
    page = browser_page
    browser_login(page, owner)
    page.goto("/admin/plugins")
    assert page.locator("h1").inner_text() == "Modul"
    # The address does not change, so wait for the reload itself, not for the URL.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text() == "Modules"
    assert "Dashboard" in menu_text(page)
    page.goto("/admin/")  # the choice is the user's, kept across pages
    assert page.locator("h1").inner_text() == "Dashboard"
    with page.expect_navigation():
        page.select_option("#language-select", "id")
    assert page.locator("h1").inner_text() == "Dasbor"
