"""The plugin: offers the Duitku adapter through the ``payments_gateways`` hook that the
payments plugin publishes, so it declares ``depends=("payments",)``."""

from __future__ import annotations

from typing import Any

from niaga import PluginMeta, hookimpl
from niaga_duitku.gateway import Duitku

PLUGIN = PluginMeta(
    name="duitku",
    label={"id": "Duitku", "en": "Duitku"},
    description={
        "id": "Pembayaran lewat Duitku: virtual account dan QRIS.",
        "en": "Payments through Duitku: virtual accounts and QRIS.",
    },
    core_requires=">=0.1,<0.2",
    depends=("payments",),
)


@hookimpl
def payments_gateways() -> list[Any]:
    return [Duitku()]
