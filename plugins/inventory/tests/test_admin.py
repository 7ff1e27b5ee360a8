"""Admin pages: product list and search, product page with stock and history, product
form, stock count screens, low stock, value, import; forms carry CSRF tokens."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.testing import csrf_token, login
from niaga_inventory import stock
from niaga_inventory.models import Product, StockCount

pytestmark = pytest.mark.plugins("inventory")


def page(client, url):
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_product_list_search_and_product_page(logged_in, db, make_product, receive, line):
    rokok = make_product(barcode="8999909096004", reorder_point=Decimal(50))
    make_product(sku="MN-AQUA600", name="Aqua 600 ml", base_unit="botol", units={})
    receive(rokok, 2, cost=2_680_000, unit="karton")
    stock.issue(db, "sales.pos_sale:1", [line(rokok, 3, "slop")])
    db.commit()
    listing = page(logged_in, "/admin/inventory/?q=8999909096004")
    assert "Gudang Garam Surya 12" in listing and "Aqua" not in listing
    assert "170 bungkus" in listing
    detail = page(logged_in, f"/admin/inventory/products/{rokok.id}")
    assert "Gudang Utama" in detail
    assert "-3 slop (-30 bungkus)" in detail
    assert "Rp 4.556.000" in detail  # 170 x 26.800
    assert 'name="csrf_token"' in detail
    assert "Rp 4.556.000" in page(logged_in, "/admin/inventory/valuation")
    page(logged_in, "/admin/inventory/low-stock")
    stock.issue(db, "sales.pos_sale:2", [line(rokok, 13, "slop")])  # 40 left, reorder at 50
    db.commit()
    dashboard = page(logged_in, "/admin/")
    assert "Gudang Garam Surya 12</a>: 40" in dashboard


def test_create_and_edit_product_through_the_form(logged_in, db):
    form = {
        "sku": "SB-GULAKU1",
        "name": "Gula Pasir Gulaku 1 kg",
        "base_unit": "bungkus",
        "unit_name_0": "karton",
        "unit_factor_0": "20",
        "price": "18500",
        "cost": "16800",
        "tax_class": "standard",
        "active": "on",
        "track_stock": "on",
        "csrf_token": csrf_token(logged_in, "/admin/inventory/products/new"),
    }
    created = logged_in.post("/admin/inventory/products/new", data=form)
    assert created.status_code == 302
    db.rollback()
    product = db.scalar(sa.select(Product).where(Product.sku == "SB-GULAKU1"))
    assert product.factors() == {"karton": 20} and product.price == 18500
    edit_url = f"/admin/inventory/products/{product.id}/edit"
    edit = logged_in.get(edit_url, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert 'name="unit_name_0" value="karton"' in edit
    assert 'name="unit_factor_0" value="20"' in edit
    assert '<option value="standard" selected>PPN dengan tarif toko</option>' in edit
    bad = logged_in.post(edit_url, data={**form, "price": "mahal", "unit_factor_1": "12"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    # each problem in Indonesian next to its field, never a raw ['...'] list
    assert re.search(r'id="price"[^>]*aria-invalid="true"', html)
    assert re.search(r'<small class="error" id="price-error">[^<]*bukan angka', html), html
    assert '<small class="error" id="unit_name_1-error">Mohon diisi</small>' in html
    assert "[&#39;" not in html and "['" not in html
    db.rollback()
    assert db.get(Product, product.id).price == 18500  # nothing stored
    no_csrf = logged_in.post(edit_url, data={k: v for k, v in form.items() if k != "csrf_token"})
    assert no_csrf.status_code == 400


def test_stock_count_screens(logged_in, db, make_product, receive):
    rokok = make_product(barcode="8999909096004")
    receive(rokok, 10, cost=26_800)
    token = csrf_token(logged_in, "/admin/inventory/counts")
    started = logged_in.post(
        "/admin/inventory/counts", data={"csrf_token": token, "reason": "opname"}
    )
    assert started.status_code == 302
    db.rollback()
    count = db.scalar(sa.select(StockCount))
    url = f"/admin/inventory/counts/{count.id}"
    logged_in.post(url, data={"csrf_token": token, "action": "scan", "code": "8999909096004"})
    assert re.search(r'name="counted-\d+"[^>]*value="1"', page(logged_in, url))
    logged_in.post(url, data={"csrf_token": token, f"counted-{rokok.id}": "8", "action": "save"})
    review = page(logged_in, url)
    assert "-2" in review and "Rp -53.600" in review
    logged_in.post(url, data={"csrf_token": token, "action": "post", "reason": "opname"})
    db.rollback()
    assert stock.available(db, rokok.id) == 8
    assert "Opname dibukukan" in page(logged_in, url)  # the owner reads Indonesian


def test_import_page_shows_row_problems(logged_in, db):
    token = csrf_token(logged_in, "/admin/inventory/import")
    response = logged_in.post(
        "/admin/inventory/import",
        data={
            "csrf_token": token,
            "kind": "products",
            "file": (io.BytesIO(b"sku,name,base_unit,price\nA,Satu,pcs,murah\n"), "p.csv"),
        },
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="problems"' in html and "price" in html


def test_cashier_sees_but_cannot_change(client, make_user, make_product):
    make_product()
    login(client, make_user("cashier"))
    assert client.get("/admin/inventory/").status_code == 200
    assert client.get("/admin/inventory/products/new").status_code == 403
    assert client.get("/admin/inventory/counts").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/inventory/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_pages_speak_indonesian(logged_in, make_product, receive):
    rokok = make_product()
    receive(rokok, 1, cost=26_800)
    html = logged_in.get(
        f"/admin/inventory/products/{rokok.id}", headers={"Accept-Language": "id"}
    ).get_data(as_text=True)
    assert "Stok per gudang" in html and "Kartu stok" in html and "Penerimaan barang" in html
