"""Plugin metadata and hook implementations of niaga_sales (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path

from niaga import PluginMeta

PLUGIN = PluginMeta(
    name="sales",
    label={"id": "Penjualan", "en": "Sales"},
    description={
        "id": "Pesanan pengecer, kasir (POS), surat jalan, faktur dan retur.",
        "en": "Retailer orders, point of sale, deliveries, invoices and returns.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    migrations=Path(__file__).parent / "migrations",
)
