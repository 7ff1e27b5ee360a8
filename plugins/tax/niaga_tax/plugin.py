"""Plugin metadata and hook implementations of niaga_tax (the rules live in ppn.py and
pph.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from niaga import PluginMeta, hookimpl
from niaga.meta import MenuEntry, Permission
from niaga_tax import hookspecs
from niaga_tax.settings import TaxSettings

PLUGIN = PluginMeta(
    name="tax",
    label={"id": "Pajak", "en": "Tax"},
    description={
        "id": "Rekap PPN bulanan dan jurnal penutupnya, PPh final UMKM (PP 55/2022).",
        "en": "The monthly PPN recap and its closing entry, PPh final UMKM (PP 55/2022).",
    },
    core_requires=">=0.1,<0.2",
    depends=("sales", "purchasing"),
    hookspecs=hookspecs,
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_tax.api:bp",),
    admin=("niaga_tax.admin:bp",),
)


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "tax.view",
            {"id": "Lihat rekap pajak", "en": "View the tax figures"},
            ("owner", "manager", "bookkeeper"),
        ),
        Permission(
            "tax.post",
            {"id": "Tutup PPN dan catat setoran pajak", "en": "Close PPN and record tax paid"},
            ("owner", "bookkeeper"),
        ),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [MenuEntry({"id": "Pajak", "en": "Tax"}, "tax_admin.index", "tax.view", 75)]


@hookimpl
def niaga_settings_schema() -> Any:
    return TaxSettings
