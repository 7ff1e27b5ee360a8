"""The gateways of the enabled plugins, their settings, and the context an adapter call
gets. Settings of every gateway live in the payments plugin's settings, as
``payments.<gateway>_<field>``, so one form (with secrets masked) configures them all.

A gateway's address is not a setting: it is the adapter's ``sandbox_url`` or
``production_url`` as the ``environment`` setting chooses, so nobody with the settings form
can send a gateway key to a host of their choosing. Only the operator's configuration
``PAYMENTS_STANDIN_URLS`` (``{gateway: url}``) may point a gateway elsewhere, and only at
this machine (a local stand-in server, :mod:`niaga_payments.testing`).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import marshmallow as ma
from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy.orm import Session

from niaga import settings as niaga_settings
from niaga.errors import NotFound, PluginError
from niaga.money import round_rupiah, to_decimal
from niaga.runtime import collect
from niaga_payments.adapters import GatewayAdapter, GatewayContext

log = logging.getLogger(__name__)

#: gateways usable on a fresh installation; the others need keys first
ON_BY_DEFAULT = frozenset({"cash", "bank_transfer"})
#: the only hosts ``PAYMENTS_STANDIN_URLS`` may point a gateway at
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def adapters() -> dict[str, GatewayAdapter]:
    """Adapters from ``payments_gateways`` of the enabled plugins, by name. Two
    plugins registering one name is refused, naming both."""
    found: dict[str, GatewayAdapter] = {}
    owners: dict[str, str] = {}
    for plugin, items in collect("payments_gateways"):
        for adapter in items:
            if adapter.name in found:
                raise PluginError(
                    "Payment gateway {name} is registered by both {first} and {second}",
                    name=adapter.name,
                    first=owners[adapter.name],
                    second=plugin,
                )
            found[adapter.name], owners[adapter.name] = adapter, plugin
    return found


def adapter(name: str) -> GatewayAdapter:
    """The adapter called ``name``."""
    found = adapters().get(name)
    if found is None:
        raise NotFound("Unknown payment gateway {name}", name=name)
    return found


def common_fields(adapter: GatewayAdapter) -> dict[str, ma.fields.Field]:
    """Settings every gateway has, besides its own."""
    fields: dict[str, ma.fields.Field] = {
        "enabled": ma.fields.Boolean(load_default=adapter.name in ON_BY_DEFAULT),
        "fee_percent": ma.fields.Decimal(
            load_default=Decimal("0"), as_string=True, validate=ma.validate.Range(0, 100)
        ),
        "fee_fixed": ma.fields.Decimal(
            load_default=Decimal("0"), as_string=True, validate=ma.validate.Range(0)
        ),
        "account": ma.fields.String(
            load_default="",
            metadata={"description": "Account code the money goes to (cash/bank)"},
        ),
    }
    if adapter.sandbox_url:
        fields["environment"] = ma.fields.String(
            load_default="sandbox", validate=ma.validate.OneOf(["sandbox", "production"])
        )
    return fields


def gateway_fields(adapter: GatewayAdapter) -> dict[str, ma.fields.Field]:
    return {**common_fields(adapter), **adapter.settings_fields()}


def general_fields() -> dict[str, ma.fields.Field]:
    return {
        "reference_prefix": ma.fields.String(
            load_default="NGA", validate=ma.validate.Regexp(r"^[A-Z0-9]{1,10}$")
        ),
        "reconcile_after_minutes": ma.fields.Integer(
            load_default=15, validate=ma.validate.Range(1, 10080)
        ),
        "escrow_release_days": ma.fields.Integer(
            load_default=7,
            validate=ma.validate.Range(1, 90),
            metadata={"description": "Escrow money is released this many days after it arrives"},
        ),
        "public_url": ma.fields.String(
            load_default="",
            validate=ma.validate.Regexp(r"^$|^https?://"),
            metadata={"description": "This shop's address as gateways reach it (webhooks)"},
        ),
    }


def settings_schema() -> type[ma.Schema]:
    """The payments settings: general ones, then ``<gateway>_<field>`` for each gateway."""
    found = adapters()
    return _schema(tuple(sorted((name, type(a)) for name, a in found.items())))


@lru_cache(maxsize=32)
def _schema(key: tuple[tuple[str, type], ...]) -> type[ma.Schema]:
    fields = general_fields()
    for name, cls in key:
        for field_name, field in gateway_fields(cls()).items():
            fields[f"{name}_{field_name}"] = field
    return ma.Schema.from_dict(fields, name="PaymentsSettings")


def _value(session: Session, key: str, field: ma.fields.Field) -> Any:
    stored = niaga_settings.get_stored(session, f"payments.{key}", ma.missing)
    if stored is not ma.missing:
        return stored
    default = field.load_default
    return default() if callable(default) else default


def general(session: Session, name: str) -> Any:
    """A general payments setting."""
    return _value(session, name, general_fields()[name])


def gateway_settings(session: Session, adapter: GatewayAdapter) -> dict[str, Any]:
    """The settings of one gateway, without the ``<gateway>_`` prefix."""
    return {
        name: _value(session, f"{adapter.name}_{name}", field)
        for name, field in gateway_fields(adapter).items()
    }


def is_enabled(session: Session, adapter: GatewayAdapter) -> bool:
    return bool(gateway_settings(session, adapter)["enabled"])


def usable(session: Session, name: str) -> GatewayAdapter:
    """The adapter ``name`` if it is switched on in the settings; 404 otherwise."""
    found = adapter(name)
    if not is_enabled(session, found):
        raise NotFound("Payment gateway {name} is not enabled", name=name)
    return found


def webhook_path(name: str) -> str:
    return f"/api/payments/webhooks/{name}"


def context(
    session: Session, adapter: GatewayAdapter, calls: list[dict[str, Any]] | None = None
) -> GatewayContext:
    """The context of one adapter call; gateway calls are appended to ``calls``."""
    values = gateway_settings(session, adapter)
    base_url = base_url_of(adapter, values.get("environment"))
    public = general(session, "public_url") or (request.host_url if has_request_context() else "")
    path = webhook_path(adapter.name)
    return GatewayContext(
        name=adapter.name,
        settings=values,
        base_url=base_url,
        webhook_path=path,
        webhook_url=public.rstrip("/") + path if public else "",
        record=calls.append if calls is not None else None,
    )


def base_url_of(adapter: GatewayAdapter, environment: str | None) -> str:
    """The gateway's address: a local stand-in the operator named, else the adapter's own
    address for ``environment`` (``production``, anything else meaning the sandbox)."""
    standins = current_app.config.get("PAYMENTS_STANDIN_URLS") if has_app_context() else None
    local = str((standins or {}).get(adapter.name) or "")
    if local:
        if urlsplit(local).hostname in LOCAL_HOSTS:
            return local
        log.warning(
            "payments: ignored PAYMENTS_STANDIN_URLS for %s: not a local address", adapter.name
        )
    return adapter.production_url if environment == "production" else adapter.sandbox_url


def use_standin(app: Any, gateway: str, url: str) -> None:
    """Point ``gateway`` at the local stand-in server ``url`` (tests and local trials)."""
    app.config.setdefault("PAYMENTS_STANDIN_URLS", {})[gateway] = url


def fee_for(session: Session, adapter: GatewayAdapter, amount: Decimal) -> Decimal:
    """The fee the shop set for this gateway, when the gateway does not report one."""
    values = gateway_settings(session, adapter)
    percent, fixed = to_decimal(values["fee_percent"]), to_decimal(values["fee_fixed"])
    return round_rupiah(amount * percent / 100 + fixed)
