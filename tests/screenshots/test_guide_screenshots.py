"""The user guides' screenshots, taken from the demo data in a real headless Chromium.

Every page in the table at the end of ``docs/user-guide.en.md`` is visited in Bahasa
Indonesia and in English and must answer without an error. The PNGs in
``docs/screenshots/<language>/`` are (re)written only with ``NIAGA_SCREENSHOTS=1``::

    NIAGA_SCREENSHOTS=1 .venv/bin/pytest tests/screenshots -m browser

so that ordinary runs check the pages without touching tracked files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from niaga.testing import PASSWORD, shop_today

SIX = ("inventory", "purchasing", "sales", "payments", "loyalty", "cashbank")
ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "docs" / "screenshots"
GUIDE = ROOT / "docs" / "user-guide.en.md"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
RETAILER_PHONE = "081299990001"


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page (a path, or a function of the staged ids), who looks at it,
    at which size, and what to do on the page before taking it."""

    file: str
    path: str | Callable[[dict[str, Any]], str]
    who: str = "owner"  # owner, retailer or anonymous
    viewport: dict[str, int] | None = None
    act: Callable[[Any], Any] | None = None


def demo_month() -> tuple[str, str]:
    """The month the cash/bank demo fills: last month."""
    first_this = shop_today().replace(day=1)
    last = first_this - dt.timedelta(days=1)
    return last.replace(day=1).isoformat(), last.isoformat()


def sell_three_items(page: Any) -> Any:
    if page.locator("#pos-open").is_visible():
        page.fill("#pos-open-cash", "200000")
        page.click("#pos-open")
    search = page.locator("#pos-search")
    search.wait_for(state="visible")
    for barcode in ("8999056285009", "8998221695384", "8992192810937"):
        search.fill(barcode)
        search.press("Enter")
        expect(search).to_have_value("")  # the page's CSP forbids evaluating strings
    page.locator("#pos-cart tbody tr").nth(2).wait_for()
    page.fill("#pos-received", "20000")
    page.locator("#pos-change").filter(has_text=re.compile(r"Rp [1-9]")).wait_for()
    return None


def pay_and_show_receipt(page: Any) -> Any:
    sell_three_items(page)
    page.press("#pos-received", "Enter")
    page.locator("#pos-receipt.shown").wait_for()
    return page.locator("#pos-receipt")  # the receipt alone, 58 mm wide


def search_a_product(page: Any) -> Any:
    """The first line's product box with "kopi" typed and the matching products listed."""
    page.locator("[data-product-picker]").first.press_sequentially("kopi")
    expect(page.locator("[data-picker-results] button").first).to_be_visible()
    return None


def order_two_karton(page: Any) -> Any:
    """Two of the first product's biggest unit chosen, and the running total following."""
    card = page.locator("article.product").first
    card.locator("input[name^=qty_]").fill("2")
    unit = card.locator("select[name^=unit_]")
    unit.select_option(index=unit.locator("option").count() - 1)
    expect(page.locator("#order-sum")).not_to_have_text(re.compile(r"^Rp 0$"))
    return None


def dated(name: str) -> str:
    start, end = demo_month()
    return f"/admin/cashbank/reports/{name}?from={start}&to={end}"


SHOTS = [
    Shot("login.png", "/admin/login", who="anonymous"),
    Shot("shop-settings.png", "/admin/plugins/core/settings"),
    Shot("admin-modules.png", "/admin/plugins"),
    Shot("inventory-products.png", "/admin/inventory/?q=kopi"),
    Shot("inventory-product-detail.png", lambda ids: f"/admin/inventory/products/{ids['product']}"),
    Shot(
        "inventory-product-form.png",
        lambda ids: f"/admin/inventory/products/{ids['product']}/edit",
    ),
    Shot("inventory-stock-count.png", lambda ids: f"/admin/inventory/counts/{ids['count']}"),
    Shot("purchasing-order-new.png", "/admin/purchasing/orders/new", act=search_a_product),
    Shot("purchasing-order.png", lambda ids: f"/admin/purchasing/orders/{ids['purchase']}"),
    Shot(
        "purchasing-receive.png",
        lambda ids: f"/admin/purchasing/receive/{ids['to_receive']}",
        viewport=PHONE,
    ),
    Shot("pos-sale.png", "/admin/sales/pos", act=sell_three_items),
    Shot("pos-receipt.png", "/admin/sales/pos", act=pay_and_show_receipt),
    Shot("sales-order.png", lambda ids: f"/admin/sales/orders/{ids['order']}"),
    Shot("sales-delivery-note.png", lambda ids: f"/admin/sales/deliveries/{ids['delivery']}"),
    Shot(
        "portal-catalogue.png",
        "/portal/sales/",
        who="retailer",
        viewport=PHONE,
        act=order_two_karton,
    ),
    Shot(
        "portal-order-status.png",
        lambda ids: f"/portal/sales/orders/{ids['portal_order']}",
        who="retailer",
        viewport=PHONE,
    ),
    Shot("payments-list.png", "/admin/payments/"),
    Shot("loyalty-member.png", lambda ids: f"/admin/loyalty/members/{ids['member']}"),
    Shot("portal-points.png", "/portal/loyalty/", who="retailer", viewport=PHONE),
    Shot("cashbank-voucher.png", "/admin/cashbank/"),
    Shot("cashbank-balance-sheet.png", lambda ids: dated("neraca")),
    Shot("cashbank-profit-loss.png", lambda ids: dated("laba-rugi")),
]


def test_the_table_in_the_guide_lists_these_screenshots():
    listed = re.findall(r"^\| `([a-z0-9-]+\.png)` \|", GUIDE.read_text(encoding="utf-8"), re.M)
    assert sorted(listed) == sorted(shot.file for shot in SHOTS)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_image_in_the_guide_is_committed(language):
    text = (ROOT / "docs" / f"user-guide.{language}.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\((screenshots/[^)]+\.png)\)", text)
    assert sorted(Path(i).name for i in images) == sorted(shot.file for shot in SHOTS)
    assert all(i.startswith(f"screenshots/{language}/") for i in images)
    missing = [i for i in images if not (ROOT / "docs" / i).is_file()]
    assert not missing, missing


def load_demo(app: Any, db: Any) -> None:
    """What ``niaga demo`` loads: every enabled plugin's demo data, dependencies first."""
    from niaga.demo import load_demo_data
    from niaga.runtime import forget_enabled_plugins

    forget_enabled_plugins()
    load_demo_data(db)


def stage(app: Any, db: Any) -> dict[str, Any]:
    """Demo data plus the few states the guide shows that the demo does not create; returns
    the ids the pages need."""
    from niaga import auth, settings
    from niaga_inventory import counts
    from niaga_inventory.models import Product
    from niaga_loyalty.models import Entry, Member
    from niaga_purchasing.models import PurchaseOrder
    from niaga_sales.models import Customer, Delivery, Order

    for key, value in {
        "shop_name": "Toko Demo Niaga",
        "address": "Jl. Sam Ratulangi 17, Palu",
        "phone": "0451 421 234",
        "npwp": "01.234.567.8-831.000",
        "vat_registered": True,
        "timezone": "WITA",
    }.items():
        settings.put(db, f"core.{key}", value)
    db.commit()
    load_demo(app, db)

    first = lambda statement: db.scalar(statement.limit(1))  # noqa: E731
    ids: dict[str, Any] = {
        "product": first(sa.select(Product.id).where(Product.sku == "SB-KAPALAPI")),
        "purchase": first(sa.select(PurchaseOrder.id).order_by(PurchaseOrder.id)),
        "to_receive": first(sa.select(PurchaseOrder.id).order_by(PurchaseOrder.id.desc())),
        "order": first(sa.select(Order.id).where(Order.state == "confirmed").order_by(Order.id))
        or first(sa.select(Order.id).order_by(Order.id.desc())),
        "delivery": first(sa.select(Delivery.id).order_by(Delivery.id.desc())),
        "member": first(
            sa.select(Entry.member_id).group_by(Entry.member_id).order_by(sa.func.count().desc())
        )
        or first(sa.select(Member.id)),
    }
    count = counts.start(db, reason="Stock opname")
    for sku, quantity in (("SB-KAPALAPI", "118"), ("SB-INDOMIE", "35"), ("MN-AQUA600", "50")):
        counts.enter(db, count.id, quantity, sku=sku)
    ids["count"] = count.id

    retailer = auth.create_user(
        db,
        role="retailer",
        phone=RETAILER_PHONE,
        email="sinar@toko.id",
        name="Hj. Nurhayati",
        password=PASSWORD,
    )
    customer_id = first(
        sa.select(Order.customer_id).group_by(Order.customer_id).order_by(sa.func.count().desc())
    )
    customer = db.get(Customer, customer_id)
    customer.user_id = retailer.id
    ids["portal_order"] = first(
        sa.select(Order.id).where(Order.customer_id == customer_id).order_by(Order.id.desc())
    )
    db.commit()
    assert all(ids.values()), ids
    return ids


def open_as(browser: Any, base_url: str, who: str, language: str, viewport: dict) -> Any:
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        locale="id-ID" if language == "id" else "en-US",
        extra_http_headers={"Accept-Language": language},
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    if who != "anonymous":
        login = "owner@toko.id" if who == "owner" else RETAILER_PHONE
        page.goto("/admin/login?next=/portal/" if who == "retailer" else "/admin/login")
        page.fill("#login", login)
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_url(re.compile(r".*/(admin|portal)/$"))
    return page


def set_language(db: Any, language: str) -> None:
    from niaga.models import User

    db.execute(sa.update(User).values(language=language))
    db.commit()


@pytest.mark.browser
@pytest.mark.plugins(*SIX)
def test_guide_pages_render_and_screenshots(app, db, owner, niaga_browser, live_server):
    ids = stage(app, db)
    write = os.environ.get("NIAGA_SCREENSHOTS") == "1"
    problems = []
    for language in ("id", "en"):
        set_language(db, language)
        pages: dict[tuple[str, str], Any] = {}
        for shot in SHOTS:
            viewport = shot.viewport or LAPTOP
            key = (shot.who, "phone" if viewport == PHONE else "laptop")
            if key not in pages:
                pages[key] = open_as(niaga_browser, live_server, shot.who, language, viewport)
            page = pages[key]
            path = shot.path(ids) if callable(shot.path) else shot.path
            response = page.goto(path)
            if response is None or response.status >= 400:
                problems.append(f"{language} {shot.file} {path}: {response and response.status}")
                continue
            target = shot.act(page) if shot.act else None
            page.evaluate("document.activeElement && document.activeElement.blur()")
            if write:
                out = FOLDER / language / shot.file
                out.parent.mkdir(parents=True, exist_ok=True)
                (target or page).screenshot(path=str(out))
        for page in pages.values():
            page.context.close()
    db.rollback()
    assert not problems, "\n".join(problems)
