"""Inventory on core's rules (issue 14): a product price typed ``2.500`` is Rp 2.500, forms
submitted as pre-filled store what was shown, typed numbers mean what
``niaga.l10n.parse_number`` says (or are refused, storing nothing), spreadsheet text cells
follow the same rule, and stock moves are dated on the shop's business day."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga import tabular
from niaga.errors import NiagaError
from niaga.testing import TYPED_NUMBERS, csrf_token, typed_meaning
from niaga.testing_pages import form_values
from niaga_inventory import imports, stock
from niaga_inventory.models import Product, StockCount, StockMove

pytestmark = pytest.mark.plugins("inventory")


def _speak(db: Any, owner: Any, language: str) -> None:
    owner.language = language
    db.merge(owner)
    db.commit()


@pytest.mark.parametrize("language", ["id", "en"])
def test_product_form_submitted_as_prefilled_keeps_every_number(
    logged_in: Any, db: Any, owner: Any, make_product: Any, language: str
) -> None:
    _speak(db, owner, language)
    product = make_product(
        price=Decimal("2500"),
        cost=Decimal("2312.5"),
        reorder_point=Decimal("12.5"),
        reorder_quantity=Decimal("1250"),
    )
    url = f"/admin/inventory/products/{product.id}/edit"
    values = form_values(logged_in.get(url).get_data(as_text=True), having="sku")
    shown = {"id": ("2.500", "2.312,5", "12,5"), "en": ("2,500", "2,312.5", "12.5")}[language]
    assert (values["price"], values["cost"], values["reorder_point"]) == shown
    response = logged_in.post(url, data=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    saved = db.get(Product, product.id)
    assert (saved.price, saved.cost) == (Decimal("2500"), Decimal("2312.5"))
    assert (saved.reorder_point, saved.reorder_quantity) == (Decimal("12.5"), Decimal("1250"))


def test_price_typed_the_indonesian_way_is_rupiah(logged_in: Any, db: Any) -> None:
    """Issue 14: a product price typed ``2.500`` was saved as 2,50 and shown as Rp 3."""
    form = {
        "csrf_token": csrf_token(logged_in, "/admin/inventory/products/new"),
        "sku": "SB-INDOMIE",
        "name": "Indomie Goreng",
        "base_unit": "bungkus",
        "price": "2.500",
        "cost": "2.312,5",
        "track_stock": "on",
        "active": "on",
    }
    assert logged_in.post("/admin/inventory/products/new", data=form).status_code == 302
    product = db.scalar(sa.select(Product).where(Product.sku == "SB-INDOMIE"))
    assert (product.price, product.cost) == (Decimal("2500"), Decimal("2312.5"))
    page = logged_in.get(f"/admin/inventory/products/{product.id}").get_data(as_text=True)
    assert "Rp 2.500" in page


def test_count_form_submitted_as_prefilled(logged_in: Any, db: Any, make_product: Any) -> None:
    product = make_product()
    token = csrf_token(logged_in, "/admin/inventory/counts")
    logged_in.post("/admin/inventory/counts", data={"csrf_token": token, "reason": "opname"})
    count = db.scalar(sa.select(StockCount))
    url = f"/admin/inventory/counts/{count.id}"
    key = f"counted-{product.id}"
    logged_in.post(url, data={"csrf_token": token, key: "1.250,5", "action": "save"})
    shown = re.search(rf'name="{key}"[^>]*value="([^"]*)"', logged_in.get(url).get_data(True))
    assert shown and shown.group(1) == "1.250,5"
    logged_in.post(url, data={"csrf_token": token, key: shown.group(1), "action": "save"})
    db.expire_all()
    line = next(ln for ln in db.get(StockCount, count.id).lines if ln.product_id == product.id)
    assert line.counted == Decimal("1250.5")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", TYPED_NUMBERS)
def test_typed_numbers_mean_what_core_says(
    logged_in: Any, db: Any, owner: Any, make_product: Any, receive: Any, language: str, typed: str
) -> None:
    """The product price (money) and the stock adjustment quantity read a typed number as
    ``parse_number`` does, or refuse it and store nothing."""
    _speak(db, owner, language)
    product = make_product(price=Decimal("7"))
    receive(product, 5, cost=1000)
    db.commit()
    edit = f"/admin/inventory/products/{product.id}/edit"
    values = form_values(logged_in.get(edit).get_data(as_text=True), having="sku")
    logged_in.post(edit, data={**values, "price": typed})
    db.expire_all()
    price = typed_meaning(typed, 2, language)
    expected = Decimal(0) if price is None else price
    if isinstance(price, str) or expected < 0:
        assert db.get(Product, product.id).price == Decimal("7"), typed
    else:
        assert db.get(Product, product.id).price == expected, typed

    page = f"/admin/inventory/products/{product.id}"
    before = db.scalar(sa.select(sa.func.count(StockMove.id)))
    response = logged_in.post(
        f"{page}/adjust",
        data={
            "csrf_token": csrf_token(logged_in, page),
            "quantity": typed,
            "reason": "opname",
            "unit": product.base_unit,
        },
    )
    assert response.status_code == 302
    db.expire_all()
    quantity = typed_meaning(typed, 4, language)
    moves = db.scalars(sa.select(StockMove).order_by(StockMove.id)).all()
    if isinstance(quantity, Decimal) and quantity != 0 and stock.available(db, product.id) >= 0:
        assert len(moves) == before + 1, typed
        assert moves[-1].quantity == quantity, typed
    else:
        assert len(moves) == before, typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("2.500", Decimal("2500")), ("12,5", Decimal("12.5")), ("1.250.000,50", Decimal("1250000.5"))],
)
def test_import_text_cells_follow_the_indonesian_rule(
    db: Any, typed: str, expected: Decimal
) -> None:
    rows = tabular.read_rows(f"sku;name;base_unit;price\nA;Satu;pcs;{typed}\n".encode())
    imports.import_products(db, rows)
    assert db.scalar(sa.select(Product.price).where(Product.sku == "A")) == expected


def test_import_refuses_ambiguous_text_but_takes_number_cells(db: Any) -> None:
    with pytest.raises(NiagaError) as refused:
        imports.import_products(
            db, tabular.read_rows(b"sku;name;base_unit;price\nA;Satu;pcs;12.5\n")
        )
    assert "price" in refused.value.fields["rows"]["2"]
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["sku", "name", "base_unit", "price", "cost"])
    book.active.append(["B", "Dua", "pcs", 12.5, "2.500"])  # a number cell and a text cell
    data = io.BytesIO()
    book.save(data)
    imports.import_products(db, tabular.read_rows(data.getvalue(), "p.xlsx"))
    product = db.scalar(sa.select(Product).where(Product.sku == "B"))
    assert (product.price, product.cost) == (Decimal("12.5"), Decimal("2500"))


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), "2026-12-01"),  # 00:30 WIB
        (dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), "2026-12-31"),  # 23:30 WIB
    ],
)
def test_stock_moves_are_dated_on_the_shop_day(
    shop_clock: Any, api: Any, make_product: Any, db: Any, moment: Any, day: str
) -> None:
    shop_clock(moment)
    product = make_product()
    db.commit()
    moved = api.post(
        "/api/inventory/receipts",
        json={"lines": [{"product_id": product.id, "quantity": "3", "cost": "1000"}]},
    )
    assert moved.status_code == 201, moved.get_json()
    assert moved.get_json()[0]["business_date"] == day
    listed = api.get(f"/api/inventory/moves?product_id={product.id}").get_json()
    assert [m["business_date"] for m in listed] == [day]
