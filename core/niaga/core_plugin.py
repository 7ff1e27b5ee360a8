"""Core's own contributions, made through the same hooks as any plugin's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import marshmallow as ma
import sqlalchemy as sa

from niaga import hookimpl, tax_ids
from niaga.db import Model, UTCDateTime
from niaga.errors import Invalid
from niaga.fields import FIRST_YEAR, LAST_YEAR
from niaga.idempotency import purge_expired
from niaga.meta import DashboardWidget, MenuEntry, Permission, ScheduledJob
from niaga.outbox import log_handler
from niaga.setup_wizard import widget


def checked_by(parse: Callable[[str], object]) -> Callable[[str], None]:
    """A marshmallow validator from a :mod:`niaga.tax_ids` rule (one rule, one place)."""

    def validate(value: str) -> None:
        try:
            parse(value)
        except Invalid as exc:
            raise ma.ValidationError(exc.message()) from None

    return validate


class CoreSettings(ma.Schema):
    """The shop itself."""

    shop_name = ma.fields.String(load_default="Toko Saya", validate=ma.validate.Length(1, 120))
    address = ma.fields.String(load_default="", validate=ma.validate.Length(0, 400))
    phone = ma.fields.String(load_default="", validate=ma.validate.Length(0, 30))
    npwp = ma.fields.String(load_default="", validate=checked_by(tax_ids.parse_npwp))
    nitku = ma.fields.String(
        load_default="",
        validate=checked_by(tax_ids.parse_nitku),
        metadata={"description": "NITKU of this place of business (Coretax): NPWP and 6 digits"},
    )
    vat_registered = ma.fields.Boolean(
        load_default=False, metadata={"description": "PKP: charges PPN on sales"}
    )
    timezone = ma.fields.String(
        load_default="WIB", validate=ma.validate.OneOf(["WIB", "WITA", "WIT"])
    )
    language = ma.fields.String(load_default="id", validate=ma.validate.OneOf(["id", "en"]))


PERMISSIONS = [
    Permission(
        "core.dashboard",
        {"id": "Lihat dasbor", "en": "View dashboard"},
        ("owner", "manager", "cashier", "warehouse", "bookkeeper"),
    ),
    Permission("core.plugins", {"id": "Kelola modul", "en": "Manage modules"}, ("owner",)),
    Permission(
        "core.settings", {"id": "Ubah pengaturan", "en": "Change settings"}, ("owner", "manager")
    ),
    Permission("core.users", {"id": "Kelola pengguna", "en": "Manage users"}, ("owner",)),
    Permission(
        "core.tokens",
        {"id": "Kelola token API sendiri", "en": "Manage own API tokens"},
        ("owner", "manager"),
    ),
    Permission(
        "core.audit",
        {"id": "Lihat log audit", "en": "View audit log"},
        ("owner", "manager", "bookkeeper"),
    ),
]


@hookimpl
def niaga_permissions() -> list[Permission]:
    return PERMISSIONS


@hookimpl
def niaga_settings_schema() -> type[ma.Schema]:
    return CoreSettings


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Dasbor", "en": "Dashboard"}, "core_admin.dashboard", "core.dashboard", order=0
        ),
        MenuEntry(
            {"id": "Modul", "en": "Modules"}, "core_admin.plugins", "core.plugins", order=900
        ),
        MenuEntry({"id": "Pengguna", "en": "Users"}, "core_admin.users", "core.users", order=910),
        MenuEntry({"id": "Peran", "en": "Roles"}, "core_admin.roles", "core.users", order=912),
        MenuEntry(
            {"id": "Token API", "en": "API tokens"}, "core_admin.tokens", "core.tokens", order=915
        ),
        MenuEntry(
            {"id": "Log audit", "en": "Audit log"}, "core_admin.audit", "core.audit", order=920
        ),
    ]


@hookimpl
def niaga_dashboard_widgets() -> list[DashboardWidget]:
    label = {"id": "Persiapan toko", "en": "Shop setup"}
    return [DashboardWidget("core.setup", label, widget, "core.plugins", order=0)]


@hookimpl
def niaga_scheduled_jobs() -> list[ScheduledJob]:
    return [ScheduledJob("core.purge_idempotency_keys", purge_expired, every_seconds=3600)]


@hookimpl
def niaga_outbox_handlers() -> dict[str, Any]:
    return {"core.log": log_handler}


@hookimpl
def niaga_check(session: Any) -> list[str]:
    """Stored dates and moments outside the years the API accepts (:mod:`niaga.fields`),
    in every table of the database: data from before the bound or from another door."""
    present = set(sa.inspect(session.connection()).get_table_names())
    low = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
    high = dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC)
    found = []
    for table in Model.metadata.sorted_tables:
        if table.name not in present:
            continue
        for column in table.columns:
            bounds: tuple[Any, Any]
            if isinstance(column.type, UTCDateTime):
                bounds = (low, high)
            elif isinstance(column.type, sa.DateTime):
                bounds = (low, high) if column.type.timezone else (_naive(low), _naive(high))
            elif isinstance(column.type, sa.Date):
                bounds = (low.date(), high.date())
            else:
                continue
            rows = session.scalar(
                sa.select(sa.func.count())
                .select_from(table)
                .where(sa.or_(column < bounds[0], column >= bounds[1]))
            )
            if rows:
                found.append(
                    f"{table.name}.{column.name}: {rows} outside the years"
                    f" {FIRST_YEAR} to {LAST_YEAR}"
                )
    return found


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None)
