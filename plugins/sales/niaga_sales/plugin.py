"""Plugin metadata and hook implementations of niaga_sales (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from niaga import PluginMeta, hookimpl
from niaga.meta import DashboardWidget, MenuEntry, Permission
from niaga_sales import hookspecs

PLUGIN = PluginMeta(
    name="sales",
    label={"id": "Penjualan", "en": "Sales"},
    description={
        "id": "Pesanan pengecer, kasir (POS), surat jalan, faktur dan retur.",
        "en": "Retailer orders, point of sale, deliveries, invoices and returns.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    optional_depends=("payments",),
    hookspecs=hookspecs,
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_sales.api:bp",),
    admin=(
        "niaga_sales.admin:bp",
        "niaga_sales.merge_admin:bp",
        "niaga_sales.pricing_admin:bp",
        "niaga_sales.salespeople_admin:bp",
    ),
    portal=(
        "niaga_sales.portal:bp",
        "niaga_sales.onboarding_portal:bp",
    ),
    cli=("niaga_sales.cli:cli",),
)

STAFF = ("owner", "manager")


@hookimpl
def niaga_demo_data(session: Any) -> None:
    from niaga_sales.demo import load

    load(session)


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry({"id": "Penjualan", "en": "Sales"}, "sales_admin.index", "sales.view", order=200),
        MenuEntry(
            {"id": "Kasir", "en": "Point of sale"}, "sales_admin.pos_screen", "sales.pos", order=190
        ),
        MenuEntry(
            {"id": "Ambil pesanan", "en": "Take an order"},
            "sales_network.take_order",
            "sales.take_orders",
            order=195,
        ),
        MenuEntry(
            {"id": "Katalog & pesan", "en": "Catalogue & order"},
            "sales_portal.catalogue_page",
            "sales.portal",
            order=10,
            area="portal",
        ),
        MenuEntry(
            {"id": "Ringkasan saya", "en": "My dashboard"},
            "sales_portal.dashboard_page",
            "sales.portal",
            order=5,
            area="portal",
        ),
        # next to the login form, for anyone: a shop signs up on the portal
        MenuEntry(
            {"id": "Toko baru? Daftar sebagai toko", "en": "New shop? Sign up as a shop"},
            "sales_onboarding.register_page",
            None,
            order=10,
            area="login",
        ),
        MenuEntry(
            {"id": "Pesanan saya", "en": "My orders"},
            "sales_portal.orders_page",
            "sales.portal",
            order=20,
            area="portal",
        ),
        MenuEntry(
            {"id": "Tagihan saya", "en": "My invoices"},
            "sales_portal.invoices_page",
            "sales.portal",
            order=30,
            area="portal",
        ),
    ]


@hookimpl
def niaga_dashboard_widgets() -> list[DashboardWidget]:
    from niaga_sales.kpi_widgets import month_sales_widget, portal_share_widget
    from niaga_sales.widgets import network_widget, receivables_widget, today_widget

    return [
        DashboardWidget(
            "sales.month",
            {"id": "Penjualan bulan ini (sebelum PPN)", "en": "Sales this month (before PPN)"},
            month_sales_widget,
            "sales.view",
            15,
        ),
        DashboardWidget(
            "sales.portal_share",
            {"id": "Pesanan lewat portal", "en": "Ordered through the portal"},
            portal_share_widget,
            "sales.view",
            35,
        ),
        DashboardWidget(
            "sales.today",
            {"id": "Penjualan hari ini", "en": "Sales today"},
            today_widget,
            "sales.view",
            10,
        ),
        DashboardWidget(
            "sales.receivables",
            {"id": "Piutang", "en": "Receivables"},
            receivables_widget,
            "sales.view",
            20,
        ),
        DashboardWidget(
            "sales.network",
            {"id": "Jaringan pengecer", "en": "Retailer network"},
            network_widget,
            "sales.view",
            30,
        ),
    ]


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
            "sales.take_orders",
            {"id": "Ambil pesanan di toko pengecer", "en": "Take orders at the retailer's shop"},
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
def niaga_document_label(session: Any, reference: str) -> Any:
    from niaga_sales.documents import document_label

    return document_label(session, reference)


@hookimpl
def sales_customer(session: Any, customer_id: int | None, user_id: int | None) -> Any:
    from niaga_sales.documents import customer_info

    return customer_info(session, customer_id, user_id)


@hookimpl
def sales_paid_invoices(session: Any) -> list[Any]:
    from niaga_sales.invoices import paid_invoices

    return paid_invoices(session)


@hookimpl
def sales_receivables(session: Any) -> dict[str, Any]:
    from niaga_sales.invoices import receivables

    return receivables(session)


@hookimpl
def payments_amount_due(session: Any, reference: str) -> Any:
    from niaga_sales.invoices import amount_due

    return amount_due(session, reference)


@hookimpl
def payments_may_pay(session: Any, reference: str, user: Any) -> Any:
    """A retailer may pay only their own orders and invoices."""
    from niaga_sales.documents import parse_reference
    from niaga_sales.models import Customer, Invoice, Order

    parsed = parse_reference(reference)
    if parsed is None:
        return None
    kind, ident = parsed
    model = {"invoice": Invoice, "order": Order}.get(kind)
    document = session.get(model, ident) if model is not None else None
    if document is None:
        return False
    owner = session.get(Customer, document.customer_id)
    return owner is not None and owner.active and owner.user_id == user.id


@hookimpl
def payments_paid(session: Any, payment: Any) -> None:
    from niaga_sales.invoices import apply_external_payment

    apply_external_payment(session, payment)


@hookimpl
def payments_refunded(session: Any, payment: Any, amount: Any) -> None:
    from niaga_sales.invoices import refund_external_payment

    refund_external_payment(session, payment, amount)


@hookimpl
def niaga_check(session: Any) -> list[str]:
    from niaga_sales.checks import problems

    return problems(session)
