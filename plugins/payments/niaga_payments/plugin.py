"""Plugin metadata and hook implementations of niaga_payments (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import marshmallow as ma

from niaga import PluginMeta, hookimpl
from niaga.meta import MenuEntry, Permission, ScheduledJob
from niaga_payments import (
    checks,
    counter,
    demo,
    hookspecs,
    payments,
    portal,
    reconcile,
    registry,
)
from niaga_payments.gateways import builtin

PLUGIN = PluginMeta(
    name="payments",
    label={"id": "Pembayaran", "en": "Payments"},
    description={
        "id": "Satu siklus pembayaran dan adaptor gateway Indonesia "
        "(Midtrans, Xendit, DOKU, QRIS).",
        "en": "One payment lifecycle and Indonesian gateway adapters "
        "(Midtrans, Xendit, DOKU, QRIS).",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    hookspecs=hookspecs,
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_payments.api:bp",),
    admin=("niaga_payments.admin:bp",),
    portal=("niaga_payments.portal:bp",),
    cli=("niaga_payments.cli:payments",),
)

STAFF = ("owner", "manager", "cashier", "bookkeeper")


@hookimpl
def payments_gateways() -> list[Any]:
    return builtin()


@hookimpl
def payments_counter_methods(session: Any) -> list[dict[str, str]]:
    return counter.methods(session)


@hookimpl
def niaga_document_label(session: Any, reference: str) -> Any:
    from niaga_payments.documents import document_label

    return document_label(session, reference)


@hookimpl
def niaga_init_app(app: Any) -> None:
    app.jinja_env.globals["pay_button"] = portal.pay_button


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission("payments.view", {"id": "Lihat pembayaran", "en": "View payments"}, STAFF),
        Permission(
            "payments.create",
            {"id": "Mulai pembayaran", "en": "Start payments"},
            (*STAFF, "retailer"),
        ),
        Permission(
            "payments.confirm",
            {"id": "Konfirmasi atau batalkan pembayaran", "en": "Confirm or cancel payments"},
            ("owner", "manager", "cashier", "bookkeeper"),
        ),
        Permission(
            "payments.refund",
            {"id": "Kembalikan dana", "en": "Refund payments"},
            ("owner", "manager"),
        ),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Pembayaran", "en": "Payments"},
            "payments_admin.index",
            "payments.view",
            order=300,
        )
    ]


@hookimpl
def niaga_settings_schema() -> type[ma.Schema]:
    return registry.settings_schema()


@hookimpl
def niaga_scheduled_jobs() -> list[ScheduledJob]:
    return [
        ScheduledJob("payments.reconcile", reconcile.scheduled, every_seconds=600),
        ScheduledJob("payments.release_escrow", payments.release_due, every_seconds=3600),
    ]


@hookimpl
def niaga_check(session: Any) -> list[str]:
    return checks.problems(session)


@hookimpl
def niaga_demo_data(session: Any) -> None:
    demo.load(session)
