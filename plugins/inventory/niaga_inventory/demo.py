"""Demo data: a small Indonesian grocery (toko kelontong) catalogue with opening stock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from niaga.contracts import StockLine
from niaga_inventory import imports, stock
from niaga_inventory.products import find_product, save_product
from niaga_inventory.warehouses import find_by_code, save_warehouse

ROKOK = {"slop": 10, "karton": 100}

# sku, name, category, brand, base unit, units, price, cost, reorder point, opening stock
CATALOGUE: list[tuple[Any, ...]] = [
    (
        "RK-GGS12",
        "Gudang Garam Surya 12",
        "Rokok",
        "Gudang Garam",
        "bungkus",
        ROKOK,
        28500,
        26800,
        50,
        ("3", "karton"),
    ),
    (
        "RK-AMILD16",
        "Sampoerna A Mild 16",
        "Rokok",
        "Sampoerna",
        "bungkus",
        ROKOK,
        34000,
        32100,
        50,
        ("2", "karton"),
    ),
    (
        "RK-DJSUP12",
        "Djarum Super 12",
        "Rokok",
        "Djarum",
        "bungkus",
        ROKOK,
        25500,
        23900,
        30,
        ("4", "slop"),
    ),
    (
        "RK-234K12",
        "Dji Sam Soe Kretek 12",
        "Rokok",
        "Sampoerna",
        "bungkus",
        ROKOK,
        21000,
        19700,
        30,
        ("1", "karton"),
    ),
    (
        "SB-BRS5",
        "Beras Pandan Wangi 5 kg",
        "Sembako",
        "Cap Bunga",
        "sak",
        {},
        78000,
        72000,
        10,
        ("25", "sak"),
    ),
    (
        "SB-BIMOLI2",
        "Minyak Goreng Bimoli 2 L",
        "Sembako",
        "Bimoli",
        "pouch",
        {"dus": 6},
        38500,
        35000,
        12,
        ("5", "dus"),
    ),
    (
        "SB-GULAKU1",
        "Gula Pasir Gulaku 1 kg",
        "Sembako",
        "Gulaku",
        "bungkus",
        {"karton": 20},
        18500,
        16800,
        20,
        ("1", "karton"),
    ),
    (
        "SB-INDOMIE",
        "Indomie Goreng 85 g",
        "Sembako",
        "Indofood",
        "bungkus",
        {"dus": 40},
        3500,
        3050,
        80,
        ("10", "dus"),
    ),
    (
        "SB-TELUR",
        "Telur Ayam Negeri",
        "Sembako",
        "",
        "kg",
        {"peti": 15},
        29000,
        26500,
        10,
        ("2", "peti"),
    ),
    (
        "SB-TERIGU1",
        "Tepung Terigu Segitiga Biru 1 kg",
        "Sembako",
        "Bogasari",
        "bungkus",
        {"karton": 12},
        14000,
        12600,
        12,
        ("8", "bungkus"),
    ),
    (
        "SB-SKMFF",
        "Susu Kental Manis Frisian Flag 370 g",
        "Sembako",
        "Frisian Flag",
        "kaleng",
        {"dus": 48},
        12500,
        11200,
        24,
        ("1", "dus"),
    ),
    (
        "SB-KAPALAPI",
        "Kopi Kapal Api Special Mix 25 g",
        "Sembako",
        "Kapal Api",
        "sachet",
        {"renceng": 10, "dus": 120},
        1700,
        1420,
        60,
        ("2", "dus"),
    ),
    (
        "MN-AQUA600",
        "Aqua Air Mineral 600 ml",
        "Minuman",
        "Aqua",
        "botol",
        {"dus": 24},
        4000,
        2950,
        48,
        ("10", "dus"),
    ),
    (
        "MN-LEMIN600",
        "Le Minerale 600 ml",
        "Minuman",
        "Le Minerale",
        "botol",
        {"dus": 24},
        3500,
        2700,
        48,
        ("6", "dus"),
    ),
    (
        "MN-TEHBTL450",
        "Teh Botol Sosro 450 ml",
        "Minuman",
        "Sosro",
        "botol",
        {"dus": 24},
        5500,
        4300,
        24,
        ("3", "dus"),
    ),
    (
        "MN-PUCUK350",
        "Teh Pucuk Harum 350 ml",
        "Minuman",
        "Mayora",
        "botol",
        {"dus": 24},
        4000,
        3000,
        24,
        ("20", "botol"),
    ),
    (
        "MN-COLA390",
        "Coca-Cola 390 ml",
        "Minuman",
        "Coca-Cola",
        "botol",
        {"dus": 12},
        6500,
        5100,
        12,
        ("4", "dus"),
    ),
]


def ean13(sku: str) -> str:
    """A made-up but valid EAN-13 with Indonesia's 899 prefix, stable per SKU."""
    digits = "899" + str(abs(hash_sku(sku)) % 10**9).zfill(9)
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def hash_sku(sku: str) -> int:
    value = 7
    for char in sku:
        value = (value * 131 + ord(char)) % 10**12
    return value


def load(session: Session) -> None:
    """Create the catalogue, a second (shop-front) warehouse and the opening stock."""
    rows = []
    for sku, name, category, brand, base, units, price, cost, point, opening in CATALOGUE:
        if find_product(session, sku=sku) is not None:
            continue
        biggest = max(units, key=units.get) if units else None
        save_product(
            session,
            {
                "sku": sku,
                "barcode": ean13(sku),
                "name": name,
                "category": category,
                "brand": brand,
                "base_unit": base,
                "units": {unit: Decimal(factor) for unit, factor in units.items()},
                "purchase_unit": biggest,
                "price": Decimal(price),
                "cost": Decimal(cost),
                "reorder_point": Decimal(point),
            },
        )
        rows.append(
            {"sku": sku, "warehouse": "", "quantity": opening[0], "unit": opening[1], "cost": ""}
        )
    if not rows:
        return
    imports.import_opening_stock(session, rows)
    shop = find_by_code(session, "TOKO") or save_warehouse(
        session, {"code": "TOKO", "name": "Toko Depan (etalase)"}
    )
    for sku, quantity in (("RK-GGS12", "20"), ("MN-AQUA600", "24"), ("SB-INDOMIE", "40")):
        product = find_product(session, sku=sku)
        assert product is not None
        stock.transfer(
            session,
            stock.new_reference("transfer"),
            StockLine(product_id=product.id, quantity=Decimal(quantity)),
            shop.id,
            "isi etalase",
        )
