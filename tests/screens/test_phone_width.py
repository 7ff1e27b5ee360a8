"""Every admin and portal page fits a phone: at 390 px wide, in Bahasa Indonesia, with the
demo month loaded, no page scrolls sideways (a table may scroll inside its own box).
"Every" is checked: each page address the app has is visited by the crawl, signed out, or
listed in NOT_PAGES with the reason it is not a page."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.db import session
from niaga.demo import load_demo_data
from niaga.plugins import CORE
from niaga.runtime import forget_enabled_plugins
from niaga.testing import browser_login, login
from niaga.testing_pages import crawl, sideways

pytestmark = [
    pytest.mark.browser,
    pytest.mark.plugins(
        "inventory", "purchasing", "sales", "payments", "loyalty", "cashbank", "notifications"
    ),
]

PHONE = {"width": 390, "height": 844}


#: GET addresses under /admin and /portal that are not pages to look at on a phone, and why
NOT_PAGES = {
    "/admin/cashbank/export": "a file download",
    "/admin/sales/tax-invoices.csv": "a file download",
    "/admin/sales/tax-invoices.xml": "a file download",
    "/admin/sales/tax-returns.xml": "a file download",
    "/admin/payments/<int:payment_id>/proofs/<int:proof_id>": "an uploaded file",
    "/portal/inventory/pictures/<int:product_id>/<version>/<size>.webp": "a product picture",
    "/admin/purchasing/orders/<int:order_id>/print": "a sheet for the printer",
    "/portal/payments/pay": "opened by the Bayar button's form, with the document",
    "/portal/sales/invite/<secret>": "a one-time link from the shop",
    "/portal/sales/quote": "JSON for the order form's running total",
}
#: pages of someone not logged in, loaded signed out
SIGNED_OUT = ("/admin/login", "/portal/sales/register")


def too_wide(browser: Any, base_url: str, user: Any, paths: list[str]) -> list[str]:
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    if user is not None:
        browser_login(page, user)
    problems = []
    for path in paths:
        page.goto(path)
        scroll, out = sideways(page)
        if scroll > 0:
            problems.append(f"{path}: {scroll} px too wide: {', '.join(out)}")
    context.close()
    return problems


def unvisited(app: Any, visited: list[str]) -> list[str]:
    """Addresses of pages (GET routes under /admin and /portal of core and the enabled
    plugins) that no visited path matches and that are not listed as something other than
    a page."""
    from niaga.runtime import enabled_plugins

    with app.app_context():
        enabled = enabled_plugins()
    owners = app.extensions["niaga"].blueprint_owner
    paths = [path.split("?")[0] for path in visited]
    missing = []
    for rule in app.url_map.iter_rules():
        address = rule.rule
        owner = owners.get(rule.endpoint.split(".")[0])
        if (
            (owner is not None and owner != CORE and owner not in enabled)
            or "GET" not in (rule.methods or ())
            or rule.endpoint.endswith("static")
            or not address.startswith(("/admin", "/portal"))
            or address in NOT_PAGES
            or address in SIGNED_OUT
        ):
            continue
        shape = re.compile("^" + re.sub(r"<[^>]+>", "[^/]+", address) + "$")
        if not any(shape.match(path) for path in paths):
            missing.append(address)
    return sorted(missing)


def stage_a_payment(db: Any) -> None:
    """A bank transfer started for an open invoice, so the payment pages have something
    to show."""
    from niaga_payments import payments
    from niaga_sales.models import Invoice

    invoices = db.scalars(sa.select(Invoice).order_by(Invoice.id))
    invoice = next(i for i in invoices if i.open_amount > 0)
    payments.start(db, f"sales.invoice:{invoice.id}", "bank_transfer")


def test_every_admin_and_portal_page_fits_390_px(
    app, client, owner, make_user, niaga_browser, live_server
):
    from niaga_sales.models import Customer, Invoice, Order

    retailer = make_user("retailer", phone="081355599999", name="Bu Sri")
    # no app context stays pushed: two test clients must not share Flask's `g` (and with it
    # one CSRF token)
    with app.app_context():
        forget_enabled_plugins()
        load_demo_data(session())
        busiest = (
            sa.select(Customer)
            .join(Order, Order.customer_id == Customer.id)
            .join(Invoice, Invoice.customer_id == Customer.id)
            .group_by(Customer.id)
            .order_by(sa.func.count(Order.id).desc(), Customer.id)
        )
        customer = session().scalars(busiest).first()  # their orders are pages to see
        customer.user_id = retailer.id
        stage_a_payment(session())
        session().commit()

    login(client, owner)
    admin = sorted(crawl(client, "/admin/"))
    portal_client = app.test_client()
    login(portal_client, retailer)
    portal = sorted(crawl(portal_client, "/portal/"))
    assert not unvisited(app, admin + portal), unvisited(app, admin + portal)
    signed_out = [path for path in SIGNED_OUT if app.test_client().get(path).status_code == 200]

    problems = too_wide(niaga_browser, live_server, owner, admin)
    problems += too_wide(niaga_browser, live_server, retailer, portal)
    problems += too_wide(niaga_browser, live_server, None, signed_out)
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
