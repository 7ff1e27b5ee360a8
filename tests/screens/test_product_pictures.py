"""Product pictures and field errors on a phone, in Chromium, 390 px wide, in Bahasa
Indonesia (issue 21): the owner adds a photo in the product form (a file that is not a
picture is refused under the field), the retailer sees it on the product's card in the
portal; purchase order and supplier forms name each problem under its field."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from niaga.testing import browser_login
from niaga.testing_pages import sideways

pytestmark = [pytest.mark.browser, pytest.mark.plugins("inventory", "sales", "purchasing")]

PHONE = {"width": 390, "height": 844}


def photo() -> bytes:
    image = Image.new("RGB", (1200, 900), "saddlebrown")
    image.paste("white", (300, 200, 900, 700))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def shop(app, api, make_user):
    """Coffee in the catalogue and a retailer with a login; returns (retailer, product id)."""
    from niaga.db import session
    from niaga_sales.models import Customer

    product = api.post(
        "/api/inventory/products",
        json={
            "sku": "KKA-65",
            "name": "Kopi Kapal Api 65 g",
            "base_unit": "pcs",
            "units": {"karton": "24"},
            "sale_unit": "karton",
            "price": "2500",
        },
    ).get_json()
    customer = api.post("/api/sales/customers", json={"shop_name": "Warung Bu Sri"}).get_json()
    retailer = make_user("retailer", phone="081355599999", name="Bu Sri")
    with app.app_context():
        session().get(Customer, customer["id"]).user_id = retailer.id
        session().commit()
    return retailer, product["id"]


def phone(niaga_browser, live_server):
    context = niaga_browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    return context


def test_a_photo_added_in_the_product_form_shows_on_the_portal_card(
    niaga_browser, live_server, app, owner, shop
):
    from playwright.sync_api import expect

    from niaga.db import session
    from niaga_inventory.models import Product

    retailer, product_id = shop
    context = phone(niaga_browser, live_server)
    page = context.new_page()
    browser_login(page, owner)
    page.goto(f"/admin/inventory/products/{product_id}/edit")
    # a page sent as a "picture" is refused, in Indonesian, under the picture field
    page.get_by_label("Gambar").set_input_files(
        files=[{"name": "kopi.png", "mimeType": "image/png", "buffer": b"<html>hai</html>"}]
    )
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#picture-error")).to_contain_text("Hanya berkas JPEG, PNG, WebP")
    expect(page.get_by_label("Gambar")).to_have_attribute("aria-invalid", "true")
    assert sideways(page)[0] <= 0, sideways(page)
    page.get_by_label("Gambar").set_input_files(
        files=[{"name": "kopi.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("img.product-picture")).to_be_visible()
    page.goto("/admin/inventory/")
    thumb = page.locator("td.thumb img")
    expect(thumb).to_have_count(1)
    assert thumb.evaluate("img => img.complete && img.naturalWidth") == 96  # the small one
    context.close()

    context = phone(niaga_browser, live_server)
    page = context.new_page()
    browser_login(page, retailer)
    page.goto("/portal/sales/")
    card = page.locator("article.product", has_text="Kopi Kapal Api 65 g")
    picture = card.get_by_role("img", name="Kopi Kapal Api 65 g")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 480
    box = picture.bounding_box()
    assert box["width"] <= 240 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.wait_for_load_state("load")
    assert sideways(page)[0] <= 0, sideways(page)
    context.close()
    with app.app_context():
        assert session().scalar(sa.select(Product.picture).where(Product.id == product_id))
        session().rollback()


def test_purchase_forms_name_each_problem_under_its_field(niaga_browser, live_server, owner):
    from playwright.sync_api import expect

    context = phone(niaga_browser, live_server)
    page = context.new_page()
    browser_login(page, owner)
    page.goto("/admin/purchasing/suppliers")
    page.get_by_label("Nama", exact=True).fill("CV Maju Jaya")
    page.get_by_label("NPWP").fill("123")
    page.get_by_role("button", name="Tambah pemasok").click()
    expect(page.locator("#npwp-error")).to_contain_text("NPWP 123")
    expect(page.get_by_label("Nama", exact=True)).to_have_value("CV Maju Jaya")  # kept
    assert sideways(page)[0] <= 0, sideways(page)
    page.get_by_label("NPWP").fill("")
    page.get_by_role("button", name="Tambah pemasok").click()
    expect(page.locator("table")).to_contain_text("CV Maju Jaya")

    page.goto("/admin/purchasing/orders/new")
    page.locator("#supplier_id").select_option(label="CV Maju Jaya (SUP0001)")
    page.locator("input[name='line-0-description']").fill("Gula 1 kg")
    page.locator("input[name='line-0-quantity']").fill("5")
    page.locator("input[name='line-0-unit_price']").fill("murah")
    page.get_by_role("button", name="Simpan draf").click()
    problem = page.locator("#line-0-unit_price-error")
    expect(problem).to_contain_text("angka")
    price = page.locator("input[name='line-0-unit_price']")
    expect(price).to_have_value("murah")
    # the message sits right under its field
    assert 0 <= problem.bounding_box()["y"] - price.bounding_box()["y"] < 80
    page.wait_for_load_state("load")
    assert sideways(page)[0] <= 0, sideways(page)
    context.close()
