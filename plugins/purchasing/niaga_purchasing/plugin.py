"""Plugin metadata and hook implementations of niaga_purchasing (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path

from niaga import PluginMeta

PLUGIN = PluginMeta(
    name="purchasing",
    label={"id": "Pembelian", "en": "Purchasing"},
    description={
        "id": "Pemasok, pesanan pembelian, penerimaan barang, tagihan dan pembayaran.",
        "en": "Suppliers, purchase orders, goods receipts, bills and payments.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    migrations=Path(__file__).parent / "migrations",
)
