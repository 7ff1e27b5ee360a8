"""Plugin metadata and hook implementations of niaga_cashbank (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path

from niaga import PluginMeta

PLUGIN = PluginMeta(
    name="cashbank",
    label={"id": "Kas & Bank", "en": "Cash & Bank"},
    description={
        "id": "Pembukuan otomatis dan laporan keuangan SAK EMKM.",
        "en": "Automatic double-entry books and SAK EMKM financial statements.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    migrations=Path(__file__).parent / "migrations",
)
