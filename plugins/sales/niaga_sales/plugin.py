"""Plugin metadata and hook implementations of niaga_sales (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from niaga import PluginMeta, hookimpl
from niaga.meta import Permission

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

STAFF = ("owner", "manager")


@hookimpl
def niaga_api_blueprints() -> list[Any]:
    from niaga_sales.api import bp

    return [bp]


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "sales.view",
            {"id": "Lihat penjualan", "en": "View sales"},
            (*STAFF, "cashier", "warehouse", "bookkeeper"),
        ),
        Permission("sales.edit", {"id": "Kelola penjualan", "en": "Manage sales"}, STAFF),
        Permission("sales.pos", {"id": "Kasir (POS)", "en": "Point of sale"}, (*STAFF, "cashier")),
        Permission(
            "sales.approve",
            {"id": "Setujui melebihi limit kredit", "en": "Approve over credit limit"},
            STAFF,
        ),
        Permission(
            "sales.portal",
            {"id": "Pesan lewat portal", "en": "Order through the portal"},
            ("retailer",),
        ),
    ]


@hookimpl
def niaga_settings_schema() -> Any:
    from niaga_sales.config import SalesSettings

    return SalesSettings


@hookimpl
def niaga_amount_due(session: Any, reference: str) -> Any:
    from niaga_sales.invoices import amount_due

    return amount_due(session, reference)


@hookimpl
def payments_paid(session: Any, payment: Any) -> None:
    from niaga_sales.invoices import apply_external_payment

    apply_external_payment(session, payment)


@hookimpl
def niaga_check(session: Any) -> list[str]:
    from niaga_sales.checks import problems

    return problems(session)
