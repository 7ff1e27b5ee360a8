"""Import and export of products and opening stock: every row checked, problems per row
and column, all or nothing; CSV and XLSX."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from niaga_inventory import stock
from niaga_inventory.models import Product, StockMove

pytestmark = pytest.mark.plugins("inventory")

PRODUCTS_CSV = """sku;name;category;base_unit;units;purchase_unit;price;cost;reorder_point;barcode
RK-GGS12;Gudang Garam Surya 12;Rokok;bungkus;slop=10;karton=100;karton;28500;26800;50;8998989100120
SB-INDOMIE;Indomie Goreng 85 g;Sembako;bungkus;dus=40;dus;3500;3050;80;
MN-AQUA600;Aqua 600 ml;Minuman;botol;dus=24;dus;4000;2950;48;
"""


def upload(api, kind, body: bytes, name="data.csv"):
    return api.post(
        f"/api/inventory/import/{kind}",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )


def test_products_and_opening_stock_from_csv(api, db):
    # Excel in Indonesia saves with semicolons; the units column uses ';' too -> quote it
    body = PRODUCTS_CSV.replace("slop=10;karton=100", '"slop=10;karton=100"').encode()
    result = upload(api, "products", body)
    assert result.status_code == 200, result.json
    assert result.json == {"created": 3, "updated": 0, "moves": 0}
    opening = (
        "sku,warehouse,quantity,unit,cost\n"
        "RK-GGS12,,3,karton,2680000\n"
        "SB-INDOMIE,UTAMA,10,dus,122000\n"
    )
    result = upload(api, "opening-stock", opening.encode())
    assert result.status_code == 200, result.json
    assert result.json["moves"] == 2
    db.rollback()
    rokok = db.scalar(sa.select(Product).where(Product.sku == "RK-GGS12"))
    assert stock.available(db, rokok.id) == 300
    moves = db.scalars(sa.select(StockMove).order_by(StockMove.id)).all()
    assert [(m.kind, m.reason, m.unit_cost) for m in moves] == [
        ("opening", "opening stock", 26800),
        ("opening", "opening stock", 3050),
    ]
    assert (
        api.get("/api/inventory/valuation").json["total"] == "9260000.00"
    )  # 8.040.000 + 1.220.000

    exported = api.get("/api/inventory/export/products.csv")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    assert "RK-GGS12" in text and "slop=10;karton=100" in text
    # The export imports again unchanged (an update of every product).
    again = upload(api, "products", exported.get_data())
    assert again.json == {"created": 0, "updated": 3, "moves": 0}
    stock_csv = api.get("/api/inventory/export/stock.csv").get_data(as_text=True)
    assert "RK-GGS12,UTAMA,300,,26800" in stock_csv


def test_bad_rows_are_reported_per_row_and_column_and_nothing_is_saved(api, db):
    body = (
        "sku,name,base_unit,units,price,track_stock\n"
        "OK-1,Produk Baik,pcs,,1000,ya\n"
        ",Tanpa SKU,pcs,,1000,ya\n"
        "BAD-2,Harga Salah,pcs,,seribu,ya\n"
        "BAD-3,Satuan Salah,pcs,dus,1000,mungkin\n"
        "OK-1,Dobel,pcs,,1000,ya\n"
    )
    result = upload(api, "products", body.encode())
    assert result.status_code == 422
    rows = result.json["error"]["fields"]["rows"]
    assert set(rows) == {"3", "4", "5", "6"}
    assert "sku" in rows["3"]
    assert "price" in rows["4"]
    assert set(rows["5"]) == {"units", "track_stock"}
    assert "row 2" in rows["6"]["sku"][0]
    db.rollback()
    assert db.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_bad_header_and_bad_opening_stock(api, make_product):
    unknown = upload(api, "products", b"sku,nama\nA,B\n")
    assert unknown.status_code == 422
    assert unknown.json["error"]["fields"]["header"] == {"unknown": ["nama"], "missing": ["name"]}
    make_product()
    body = "sku,warehouse,quantity,unit\nRK-GGS12,GUDANG9,1,\nNOPE,,1,\nRK-GGS12,,-2,dus\n"
    result = upload(api, "opening-stock", body.encode())
    rows = result.json["error"]["fields"]["rows"]
    assert rows == {
        "2": {"warehouse": ["No warehouse has code 'GUDANG9'."]},
        "3": {"sku": ["No product has SKU 'NOPE'."]},
        "4": {
            "quantity": ["Must not be negative."],
            "unit": ["dus is not a unit of Gudang Garam Surya 12."],
        },
    }
    assert upload(api, "nothing", b"sku\n").status_code == 422
    assert api.post("/api/inventory/import/products").status_code == 422
    assert upload(api, "products", b"PK\x03\x04broken", "x.xlsx").status_code == 422


def test_xlsx_round_trip(api, make_product):
    book = Workbook()
    sheet = book.active
    sheet.append(["sku", "name", "base_unit", "units", "price", "barcode"])
    sheet.append(["MN-COLA390", "Coca-Cola 390 ml", "botol", "dus=12", 6500, 8992761002015])
    data = io.BytesIO()
    book.save(data)
    result = upload(api, "products", data.getvalue(), "produk.xlsx")
    assert result.status_code == 200, result.json
    product = api.get("/api/inventory/products?q=cola").json[0]
    assert (product["price"], product["barcode"], product["units"]) == (
        "6500.00",
        "8992761002015",
        {"dus": "12"},
    )
    exported = api.get("/api/inventory/export/products.xlsx")
    rows = list(load_workbook(io.BytesIO(exported.get_data())).active.iter_rows(values_only=True))
    assert rows[0][0] == "sku" and rows[1][0] == "MN-COLA390"
