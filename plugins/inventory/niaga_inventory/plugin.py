"""Plugin metadata and hook implementations of niaga_inventory (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path

from niaga import PluginMeta

PLUGIN = PluginMeta(
    name="inventory",
    label={"id": "Persediaan", "en": "Inventory"},
    description={
        "id": "Produk, gudang, kartu stok, stok opname dan nilai persediaan.",
        "en": "Products, warehouses, stock ledger, stock counts and valuation.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    migrations=Path(__file__).parent / "migrations",
)
