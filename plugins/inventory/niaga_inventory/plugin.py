"""Plugin metadata and hook implementations of niaga_inventory (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import marshmallow as ma

from niaga import PluginMeta, hookimpl
from niaga.meta import DashboardWidget, MenuEntry, Permission
from niaga_inventory import checks, hookspecs, products, reorder, revaluation, stock, valuation

PLUGIN = PluginMeta(
    name="inventory",
    label={"id": "Persediaan", "en": "Inventory"},
    description={
        "id": "Produk, gudang, kartu stok, stok opname dan nilai persediaan.",
        "en": "Products, warehouses, stock ledger, stock counts and valuation.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    hookspecs=hookspecs,
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_inventory.api:bp",),
    admin=("niaga_inventory.admin:bp", "niaga_inventory.transfers_admin:bp"),
    portal=("niaga_inventory.portal:bp",),
    cli=("niaga_inventory.cli:inventory",),
)

STAFF = ("owner", "manager", "warehouse")


class InventorySettings(ma.Schema):
    """Owner's choices for inventory."""

    low_stock_widget_rows = ma.fields.Integer(
        load_default=8,
        validate=ma.validate.Range(1, 50),
        metadata={"description": "How many low-stock products the dashboard shows"},
    )


# --- registration -------------------------------------------------------------------------


@hookimpl
def niaga_document_label(session: Any, reference: str) -> Any:
    from niaga_inventory.documents import document_label

    return document_label(session, reference)


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "inventory.view",
            {"id": "Lihat persediaan", "en": "View inventory"},
            (*STAFF, "cashier"),
        ),
        Permission("inventory.edit", {"id": "Ubah produk & gudang", "en": "Edit products"}, STAFF),
        Permission("inventory.adjust", {"id": "Koreksi stok", "en": "Adjust stock"}, STAFF),
        Permission("inventory.count", {"id": "Stok opname", "en": "Count stock"}, STAFF),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Produk", "en": "Products"}, "inventory_admin.index", "inventory.view", order=20
        ),
        MenuEntry(
            {"id": "Stok opname", "en": "Stock counts"},
            "inventory_admin.counts_page",
            "inventory.count",
            order=21,
        ),
        MenuEntry(
            {"id": "Gudang & pindah stok", "en": "Warehouses & transfers"},
            "inventory_transfers.warehouses_page",
            "inventory.view",
            order=23,
        ),
        MenuEntry(
            {"id": "Stok menipis", "en": "Low stock"},
            "inventory_admin.low_stock",
            "inventory.view",
            order=22,
        ),
    ]


@hookimpl
def niaga_settings_schema() -> type[ma.Schema]:
    return InventorySettings


@hookimpl
def niaga_dashboard_widgets() -> list[DashboardWidget]:
    from niaga_inventory.admin import low_stock_widget

    return [
        DashboardWidget(
            "inventory.low_stock",
            {"id": "Stok menipis", "en": "Low stock"},
            low_stock_widget,
            "inventory.view",
            order=30,
        )
    ]


@hookimpl
def niaga_demo_data(session: Any) -> None:
    from niaga_inventory.demo import load

    load(session)


@hookimpl
def niaga_check(session: Any) -> list[str]:
    return checks.problems(session)


# --- services for other plugins ----------------------------------------------------------


@hookimpl
def inventory_product(
    session: Any, product_id: int | None, sku: str | None, barcode: str | None
) -> Any:
    if product_id is not None:
        return products.info_by_id(session, product_id)
    found = products.find_product(session, product_id, sku, barcode)
    return None if found is None else products.info_for(session, found)


@hookimpl
def inventory_products(session: Any, product_ids: list[int]) -> Any:
    return products.infos_by_id(session, product_ids)


@hookimpl
def inventory_search(session: Any, query: str, limit: int, offset: int) -> Any:
    statement = products.search_statement(query or "", active=True).limit(limit).offset(offset)
    return [products.info_for(session, product) for product in session.scalars(statement)]


@hookimpl
def inventory_warehouses(session: Any) -> Any:
    from niaga_inventory.warehouses import warehouse_infos

    return warehouse_infos(session)


@hookimpl
def inventory_available(session: Any, product_id: int, warehouse_id: int | None) -> Any:
    product = products.find_product(session, product_id)
    if product is None or not product.track_stock:
        return None
    return stock.available(session, product_id, warehouse_id)


@hookimpl
def inventory_reserve(session: Any, reference: str, lines: list[Any]) -> Any:
    stock.reserve(session, reference, lines)
    return True


@hookimpl
def inventory_release(session: Any, reference: str) -> Any:
    stock.release(session, reference)
    return True


@hookimpl
def inventory_issue(session: Any, reference: str, lines: list[Any], kind: str) -> Any:
    return stock.issue(session, reference, lines, kind or "issue")


@hookimpl
def inventory_receive(session: Any, reference: str, lines: list[Any], kind: str) -> Any:
    return stock.receive(session, reference, lines, kind or "receipt")


@hookimpl
def inventory_revalue(
    session: Any, reference: str, product_id: int, value: Any, quantity: Any
) -> Any:
    return revaluation.revalue(session, reference, product_id, value, quantity)[0]


@hookimpl
def inventory_stock_value(session: Any) -> Any:
    return valuation.total(session)


@hookimpl
def inventory_reorder_needs(session: Any) -> Any:
    return reorder.needs(session)
