"""Demo data: a small Indonesian grocery (toko kelontong) catalogue of rokok, sembako and
minuman, bought by the carton and sold by the piece, with opening stock. Loaded through
the same importer the owner uses, so the demo also shows the spreadsheet format."""

from __future__ import annotations

import io
import textwrap
from decimal import Decimal

from sqlalchemy.orm import Session

from niaga import tabular
from niaga_inventory import imports, pictures, stock
from niaga_inventory.contracts import StockLine
from niaga_inventory.products import find_product
from niaga_inventory.warehouses import find_by_code, save_warehouse

# Spreadsheet rows read better unwrapped.
# ruff: noqa: E501
PRODUCTS = """\
sku;barcode;name;category;brand;base_unit;units;purchase_unit;price;cost;reorder_point
RK-GGS12;8999123052435;Gudang Garam Surya 12;Rokok;Gudang Garam;bungkus;slop=10,karton=100;karton;28500;26800;50
RK-AMILD16;8991843619615;Sampoerna A Mild 16;Rokok;Sampoerna;bungkus;slop=10,karton=100;karton;34000;32100;50
RK-DJSUP12;8991507638082;Djarum Super 12;Rokok;Djarum;bungkus;slop=10,karton=100;karton;25500;23900;30
RK-234K12;8993834610267;Dji Sam Soe Kretek 12;Rokok;Sampoerna;bungkus;slop=10,karton=100;karton;21000;19700;30
SB-BRS5;8997928865458;Beras Pandan Wangi 5 kg;Sembako;Cap Bunga;sak;;;78000;72000;10
SB-BIMOLI2;8991831934256;Minyak Goreng Bimoli 2 L;Sembako;Bimoli;pouch;dus=6;dus;38500;35000;12
SB-GULAKU1;8993768018573;Gula Pasir Gulaku 1 kg;Sembako;Gulaku;bungkus;karton=20;karton;18500;16800;20
SB-INDOMIE;8998221695384;Indomie Goreng 85 g;Sembako;Indofood;bungkus;dus=40;dus;3500;3050;80
SB-TELUR;8991397949374;Telur Ayam Negeri;Sembako;;kg;peti=15;peti;29000;26500;10
SB-TERIGU1;8997607587046;Tepung Terigu Segitiga Biru 1 kg;Sembako;Bogasari;bungkus;karton=12;karton;14000;12600;12
SB-SKMFF;8998587987468;Susu Kental Manis Frisian Flag 370 g;Sembako;Frisian Flag;kaleng;dus=48;dus;12500;11200;24
SB-KAPALAPI;8999056285009;Kopi Kapal Api Special Mix 25 g;Sembako;Kapal Api;sachet;renceng=10,dus=120;dus;1700;1420;60
MN-AQUA600;8992192810937;Aqua Air Mineral 600 ml;Minuman;Aqua;botol;dus=24;dus;4000;2950;48
MN-LEMIN600;8993831400908;Le Minerale 600 ml;Minuman;Le Minerale;botol;dus=24;dus;3500;2700;48
MN-TEHBTL450;8991377796318;Teh Botol Sosro 450 ml;Minuman;Sosro;botol;dus=24;dus;5500;4300;24
MN-PUCUK350;8992133592717;Teh Pucuk Harum 350 ml;Minuman;Mayora;botol;dus=24;dus;4000;3000;24
MN-COLA390;8992360407600;Coca-Cola 390 ml;Minuman;Coca-Cola;botol;dus=12;dus;6500;5100;12
"""

OPENING_STOCK = """\
sku;warehouse;quantity;unit;cost
RK-GGS12;;3;karton;
RK-AMILD16;;2;karton;
RK-DJSUP12;;4;slop;
RK-234K12;;1;karton;
SB-BRS5;;25;sak;
SB-BIMOLI2;;5;dus;
SB-GULAKU1;;1;karton;
SB-INDOMIE;;10;dus;
SB-TELUR;;2;peti;
SB-TERIGU1;;8;bungkus;
SB-SKMFF;;1;dus;
SB-KAPALAPI;;2;dus;
MN-AQUA600;;10;dus;
MN-LEMIN600;;6;dus;
MN-TEHBTL450;;3;dus;
MN-PUCUK350;;20;botol;
MN-COLA390;;4;dus;
"""

#: the colours of the demo's drawn packs (background, writing), by category
PACK_COLOURS = {
    "Rokok": ("#b71c1c", "#fff8e1"),
    "Sembako": ("#f9a825", "#3e2723"),
    "Minuman": ("#0277bd", "#e1f5fe"),
}


def drawn_pack(label: str, category: str) -> bytes:
    """A simple drawn pack with ``label`` on it (PNG), standing in for a product photo."""
    from PIL import Image, ImageDraw, ImageFont

    back, ink = PACK_COLOURS.get(category, ("#546e7a", "#ffffff"))
    image = Image.new("RGB", (480, 480), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((70, 30, 410, 450), radius=40, fill=back)
    font = ImageFont.load_default(size=46)
    text = textwrap.fill(label, 11)
    draw.multiline_text((240, 240), text, fill=ink, font=font, anchor="mm", align="center")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


#: Stock moved to the shop-front shelves (a second warehouse) on the first day.
SHELF = (("RK-GGS12", "20"), ("MN-AQUA600", "24"), ("SB-INDOMIE", "40"))


def load(session: Session) -> None:
    """Import the catalogue and opening stock, then fill the shop-front shelves (once)."""
    if find_product(session, sku="RK-GGS12") is not None:
        return
    imports.import_products(session, tabular.read_rows(PRODUCTS.encode()))
    imports.import_opening_stock(session, tabular.read_rows(OPENING_STOCK.encode()))
    for row in tabular.read_rows(PRODUCTS.encode()):
        product = find_product(session, sku=row["sku"])
        assert product is not None
        pack = drawn_pack(row["brand"] or row["name"], row["category"])
        pictures.attach(session, product, pack, f"{row['sku'].lower()}.png")
    shelf = find_by_code(session, "TOKO") or save_warehouse(
        session, {"code": "TOKO", "name": "Toko Depan (etalase)"}
    )
    for sku, quantity in SHELF:
        product = find_product(session, sku=sku)
        assert product is not None
        stock.transfer(
            session,
            stock.new_reference("transfer"),
            StockLine(product_id=product.id, quantity=Decimal(quantity)),
            shelf.id,
            "isi etalase",
        )
