"""An example courier plugin: implements the ``shipping_rates`` hook that the shipping
plugin publishes, so it declares ``depends=("shipping",)``."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

import marshmallow as ma

from niaga import PluginMeta, hookimpl, settings

PLUGIN = PluginMeta(
    name="shipping_flat",
    label={"id": "Kurir tarif rata", "en": "Flat-rate courier"},
    description={
        "id": "Satu harga per kilogram ke semua tujuan.",
        "en": "One price per kilogram to every destination.",
    },
    core_requires=">=0.1,<0.2",
    depends=("shipping",),
)


class Settings(ma.Schema):
    """The courier's price list."""

    price_per_kg = ma.fields.Decimal(
        load_default=Decimal("9000"), places=0, as_string=True, validate=ma.validate.Range(0)
    )
    days = ma.fields.Integer(load_default=3, validate=ma.validate.Range(0, 60))


@hookimpl
def niaga_settings_schema() -> Any:
    return Settings


@hookimpl
def shipping_rates(session: Any, destination: str, weight_kg: Decimal) -> list[Any]:
    from niaga_shipping.contracts import Rate

    kilograms = weight_kg.to_integral_value(rounding=ROUND_CEILING)
    price = Decimal(str(settings.get(session, "shipping_flat.price_per_kg"))) * kilograms
    days = int(settings.get(session, "shipping_flat.days"))
    return [Rate(courier="Flat", service="REG", price=price, days=days)]
