"""Every admin and portal page fits a phone: at 390 px wide, in Bahasa Indonesia, with the
demo month loaded, no page scrolls sideways (a table may scroll inside its own box)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from niaga.db import session
from niaga.demo import load_demo_data
from niaga.runtime import forget_enabled_plugins
from niaga.testing import browser_login, login
from niaga.testing_pages import crawl, sideways

pytestmark = [
    pytest.mark.browser,
    pytest.mark.plugins("inventory", "purchasing", "sales", "payments", "loyalty", "cashbank"),
]

PHONE = {"width": 390, "height": 844}


def too_wide(browser: Any, base_url: str, user: Any, paths: list[str]) -> list[str]:
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, user)
    problems = []
    for path in paths:
        page.goto(path)
        scroll, out = sideways(page)
        if scroll > 0:
            problems.append(f"{path}: {scroll} px too wide: {', '.join(out)}")
    context.close()
    return problems


def test_every_admin_and_portal_page_fits_390_px(
    app, client, owner, make_user, niaga_browser, live_server
):
    from niaga_sales.models import Customer

    retailer = make_user("retailer", phone="081355599999", name="Bu Sri")
    # no app context stays pushed: two test clients must not share Flask's `g` (and with it
    # one CSRF token)
    with app.app_context():
        forget_enabled_plugins()
        load_demo_data(session())
        customer = session().scalars(sa.select(Customer).order_by(Customer.id)).first()
        customer.user_id = retailer.id
        session().commit()

    login(client, owner)
    admin = sorted(crawl(client, "/admin/"))
    portal_client = app.test_client()
    login(portal_client, retailer)
    portal = sorted(crawl(portal_client, "/portal/"))
    assert len(admin) > 30 and len(portal) >= 3, (admin, portal)

    problems = too_wide(niaga_browser, live_server, owner, admin)
    problems += too_wide(niaga_browser, live_server, retailer, portal)
    assert not problems, "\n".join(problems)


def test_the_menu_folds_behind_a_button_on_a_phone(browser_page, owner):
    page = browser_page
    browser_login(page, owner)
    menu, button = page.locator("nav.menu"), page.locator("label.menu-button")
    assert menu.is_visible() and not button.is_visible()  # a desk screen shows it all
    page.set_viewport_size(PHONE)
    assert button.is_visible() and not menu.is_visible()  # content first on a phone
    button.click()
    assert menu.is_visible()
    assert menu.locator("a").first.bounding_box()["y"] > button.bounding_box()["y"]
