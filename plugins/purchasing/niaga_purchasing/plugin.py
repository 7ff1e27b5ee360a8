"""Plugin metadata and hook implementations of niaga_purchasing (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from niaga import PluginMeta, hookimpl
from niaga.meta import MenuEntry, Permission
from niaga_purchasing import hookspecs

PLUGIN = PluginMeta(
    name="purchasing",
    label={"id": "Pembelian", "en": "Purchasing"},
    description={
        "id": "Pemasok, pesanan pembelian, penerimaan barang, tagihan dan pembayaran.",
        "en": "Suppliers, purchase orders, goods receipts, bills and payments.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    optional_depends=("payments",),
    hookspecs=hookspecs,
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_purchasing.api:bp",),
    admin=("niaga_purchasing.admin:bp",),
    cli=("niaga_purchasing.cli:purchasing",),
)

_BILL_REFERENCE = re.compile(r"^purchasing\.bill:(\d+)$")


@hookimpl
def niaga_document_label(session: Any, reference: str) -> Any:
    from niaga_purchasing.documents import document_label

    return document_label(session, reference)


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "purchasing.view",
            {"id": "Lihat pembelian", "en": "View purchasing"},
            ("owner", "manager", "warehouse", "bookkeeper"),
        ),
        Permission(
            "purchasing.edit",
            {"id": "Kelola pemasok, pesanan dan tagihan", "en": "Manage suppliers, orders, bills"},
            ("owner", "manager"),
        ),
        Permission(
            "purchasing.receive",
            {"id": "Terima barang", "en": "Receive goods"},
            ("owner", "manager", "warehouse"),
        ),
        Permission(
            "purchasing.pay",
            {"id": "Bayar pemasok", "en": "Pay suppliers"},
            ("owner", "bookkeeper"),
        ),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Pembelian", "en": "Purchasing"},
            "purchasing_admin.index",
            "purchasing.view",
            300,
        ),
        MenuEntry(
            {"id": "Terima barang", "en": "Receive goods"},
            "purchasing_admin.receiving",
            "purchasing.receive",
            310,
        ),
        MenuEntry(
            {"id": "Utang pemasok", "en": "Payables"},
            "purchasing_admin.payables",
            "purchasing.view",
            320,
        ),
    ]


@hookimpl
def niaga_settings_schema() -> Any:
    from niaga_purchasing.settings import PurchasingSettings

    return PurchasingSettings


@hookimpl
def payments_amount_due(session: Any, reference: str) -> Decimal | None:
    found = _BILL_REFERENCE.match(reference)
    if not found:
        return None
    from niaga_purchasing.models import Bill

    bill = session.get(Bill, int(found.group(1)))
    return None if bill is None else bill.amount_open


@hookimpl
def niaga_check(session: Any) -> list[str]:
    from niaga_purchasing.checks import problems

    return problems(session)


@hookimpl
def purchasing_payables(session: Any) -> dict[str, Any]:
    from niaga_purchasing.payables import per_bill

    return per_bill(session)


@hookimpl
def niaga_demo_data(session: Any) -> None:
    from niaga_purchasing.demo import load

    load(session)


@hookimpl
def niaga_dashboard_widgets() -> list[Any]:
    from niaga_purchasing.admin import payables_widget

    return [payables_widget()]
