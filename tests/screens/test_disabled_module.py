"""A switched-off module's address tells a person what happened, in Chromium, in Bahasa
Indonesia: which module it is, that it is off, and who can switch it on; never a bare 404."""

from __future__ import annotations

import pytest

from niaga.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.plugins("inventory", "purchasing", "sales")]


@pytest.fixture
def purchasing_off(app):
    from niaga import lifecycle
    from niaga.db import session

    with app.app_context():
        lifecycle.disable(session(), app.extensions["niaga"].host, "purchasing")
        session().commit()


def visit(niaga_browser, live_server, user, path):
    context = niaga_browser.new_context(base_url=live_server, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, user)
    answer = page.goto(path)
    return context, page, answer


def test_the_owner_is_told_which_module_is_off_and_where_to_switch_it_on(
    niaga_browser, live_server, owner, purchasing_off
):
    from playwright.sync_api import expect

    context, page, answer = visit(niaga_browser, live_server, owner, "/admin/purchasing/")
    assert answer.status == 404  # the address still does not exist for the API or a bot
    expect(page.locator("h1")).to_have_text("Modul Pembelian sedang dinonaktifkan")
    page.get_by_role("link", name="Aktifkan di halaman Modul").click()
    expect(page.locator("#plugin-purchasing")).to_be_visible()
    context.close()


def test_a_cashier_is_told_who_can_switch_it_on(
    niaga_browser, live_server, make_user, purchasing_off
):
    from playwright.sync_api import expect

    cashier = make_user("cashier", email="kasir@toko.id", name="Dewi")
    context, page, _ = visit(niaga_browser, live_server, cashier, "/admin/purchasing/orders/new")
    expect(page.locator("#module-off")).to_contain_text(
        "Pemilik toko dapat mengaktifkannya di halaman Modul."
    )
    expect(page.get_by_role("link", name="Aktifkan di halaman Modul")).to_have_count(0)
    context.close()
