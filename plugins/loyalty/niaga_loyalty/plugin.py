"""Plugin metadata and hook implementations of niaga_loyalty (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from niaga import PluginMeta, hookimpl
from niaga.l10n import format_money
from niaga.meta import DashboardWidget, MenuEntry, Permission, ScheduledJob
from niaga_loyalty import (
    demo,
    earning,
    expiry,
    hookspecs,
    ledger,
    reports,
    rewards,
)
from niaga_loyalty.settings import LoyaltySettings

PLUGIN = PluginMeta(
    name="loyalty",
    label={"id": "Loyalitas", "en": "Loyalty"},
    description={
        "id": "Poin untuk pengecer setia, katalog hadiah dan promosi.",
        "en": "Points for loyal retailers, a reward catalogue and promotions.",
    },
    core_requires=">=0.1,<0.2",
    depends=("sales",),
    hookspecs=hookspecs,
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_loyalty.api:bp",),
    admin=("niaga_loyalty.admin:bp",),
    portal=("niaga_loyalty.portal:bp",),
    cli=("niaga_loyalty.cli:loyalty",),
)


# --- registration ---------------------------------------------------------------------------


@hookimpl
def niaga_document_label(session: Any, reference: str) -> Any:
    from niaga_loyalty.documents import document_label

    return document_label(session, reference)


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "loyalty.view",
            {"id": "Lihat poin loyalitas", "en": "View loyalty points"},
            ("owner", "manager", "cashier", "bookkeeper"),
        ),
        Permission(
            "loyalty.manage",
            {"id": "Kelola program loyalitas", "en": "Manage the loyalty program"},
            ("owner", "manager"),
        ),
        Permission(
            "loyalty.adjust",
            {"id": "Koreksi poin", "en": "Adjust points"},
            ("owner", "manager"),
        ),
        Permission(
            "loyalty.redeem",
            {"id": "Tukar poin sendiri", "en": "Redeem own points"},
            ("retailer",),
        ),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry({"id": "Loyalitas", "en": "Loyalty"}, "loyalty_admin.index", "loyalty.view", 60),
        MenuEntry(
            {"id": "Poin saya", "en": "My points"},
            "loyalty_portal.index",
            "loyalty.redeem",
            60,
            area="portal",
        ),
    ]


@hookimpl
def niaga_settings_schema() -> Any:

    return LoyaltySettings


@hookimpl
def niaga_scheduled_jobs() -> list[ScheduledJob]:

    return [ScheduledJob("loyalty.expire", expiry.job, every_seconds=3600)]


@hookimpl
def niaga_dashboard_widgets() -> list[DashboardWidget]:
    return [
        DashboardWidget(
            "loyalty.liability",
            {"id": "Poin beredar", "en": "Points outstanding"},
            _liability_widget,
            "loyalty.view",
            order=60,
        )
    ]


def _liability_widget(session: Any) -> Markup:

    figures = reports.summary(session)
    text = f"{figures['points']['outstanding']} ({format_money(figures['value']['outstanding'])})"
    return Markup("<p class='figure'>") + escape(text) + Markup("</p>")


@hookimpl
def niaga_demo_data(session: Any) -> None:

    demo.load(session)


@hookimpl
def loyalty_liability(session: Any) -> Any:

    return ledger.liability(session)


@hookimpl
def niaga_check(session: Any) -> list[str]:

    return ledger.problems(session)


# --- sales events and calculations ------------------------------------------------------


@hookimpl
def sales_invoice_paid(session: Any, invoice: Any, payment: Any) -> None:

    del payment
    earning.on_invoice_paid(session, invoice)


@hookimpl
def sales_order_delivered(session: Any, order: Any, delivery: Any) -> None:

    earning.on_order_delivered(session, order, delivery)


@hookimpl
def sales_return_posted(session: Any, credit_note: Any) -> None:

    earning.reverse_return(session, credit_note)


@hookimpl
def sales_portal_figures(session: Any, customer_id: int) -> list[Any]:
    from niaga_loyalty.portal_figures import figures

    return figures(session, customer_id)


@hookimpl
def sales_adjustments(session: Any, order: Any, customer_id: int | None) -> list[Any]:

    return rewards.checkout_adjustments(session, order, customer_id)


@hookimpl
def sales_validate_order(session: Any, order: Any, action: str) -> None:

    rewards.check_order(session, order, action)


@hookimpl
def sales_customers_merged(session: Any, kept_id: int, merged_id: int) -> None:
    ledger.merge_members(session, kept_id, merged_id)


@hookimpl
def sales_order_confirmed(session: Any, order: Any) -> None:

    rewards.use_vouchers(session, order)


@hookimpl
def sales_order_cancelled(session: Any, order: Any) -> None:

    rewards.restore_vouchers(session, order)
    earning.reverse_order(session, order)
