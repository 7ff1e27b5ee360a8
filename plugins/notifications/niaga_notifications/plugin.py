"""Plugin metadata and hook implementations of niaga_notifications (thin: the rules live
in notify.py, principal.py, wording.py and channels.py).

Every event listener only writes rows and outbox messages in the event's transaction;
``niaga worker`` delivers them after commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from niaga import PluginMeta, hookimpl
from niaga.meta import MenuEntry, Permission, ScheduledJob
from niaga_notifications.settings import NotificationSettings

PLUGIN = PluginMeta(
    name="notifications",
    label={"id": "Notifikasi", "en": "Notifications"},
    description={
        "id": "Kabari pengecer lewat e-mail atau WhatsApp (pesanan, pengiriman, faktur, "
        "pembayaran, poin) dan bagikan sell-out serta KPI ke prinsipal bila pemilik setuju.",
        "en": "Tell retailers by e-mail or WhatsApp about orders, deliveries, invoices, "
        "payments and points, and share sell-out and KPIs with the principal when the "
        "owner consents.",
    },
    core_requires=">=0.1,<0.2",
    optional_depends=("sales", "loyalty"),
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_notifications.api:bp",),
    admin=("niaga_notifications.admin:bp",),
)


@hookimpl
def niaga_settings_schema() -> Any:
    return NotificationSettings


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "notifications.view",
            {"id": "Lihat log notifikasi", "en": "View the notification log"},
            ("owner", "manager"),
        ),
        Permission(
            "notifications.manage",
            {
                "id": "Atur notifikasi dan berbagi data ke prinsipal",
                "en": "Manage notifications and sharing with the principal",
            },
            ("owner",),
        ),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Notifikasi", "en": "Notifications"},
            "notifications_admin.index",
            "notifications.view",
            78,
        )
    ]


@hookimpl
def niaga_outbox_handlers() -> dict[str, Any]:
    from niaga_notifications import notify, principal

    return {notify.TOPIC: notify.deliver, principal.TOPIC: principal.deliver}


@hookimpl
def niaga_scheduled_jobs() -> list[ScheduledJob]:
    from niaga_notifications import notify, principal

    return [
        ScheduledJob("notifications.invoice_due", notify.remind_due, 3600),
        ScheduledJob("notifications.principal_daily", principal.share_daily, 3600),
    ]


# -- events of sales and loyalty (called only while they are enabled) -------------------


@hookimpl
def sales_order_confirmed(session: Any, order: Any) -> None:
    from niaga_notifications import notify

    notify.on_order_confirmed(session, order)


@hookimpl
def sales_order_delivered(session: Any, order: Any, delivery: Any) -> None:
    from niaga_notifications import notify

    notify.on_delivered(session, order, delivery)


@hookimpl
def sales_invoice_issued(session: Any, invoice: Any) -> None:
    from niaga_notifications import notify, principal

    notify.on_invoice_issued(session, invoice)
    principal.on_invoice_issued(session, invoice)


@hookimpl
def sales_invoice_paid(session: Any, invoice: Any, payment: Any) -> None:
    from niaga_notifications import notify

    notify.on_invoice_paid(session, invoice, payment)


@hookimpl
def sales_return_posted(session: Any, credit_note: Any) -> None:
    from niaga_notifications import principal

    principal.on_return_posted(session, credit_note)


@hookimpl
def sales_customers_merged(session: Any, kept_id: int, merged_id: int) -> None:
    from niaga_notifications import notify

    notify.on_customers_merged(session, kept_id, merged_id)


@hookimpl
def loyalty_points_changed(session: Any, movement: Any) -> None:
    from niaga_notifications import notify

    notify.on_points_changed(session, movement)


@hookimpl
def sales_delivery_dispatched(session: Any, order: Any, delivery: Any) -> None:
    from niaga_notifications import notify

    notify.on_out_for_delivery(session, order, delivery)
