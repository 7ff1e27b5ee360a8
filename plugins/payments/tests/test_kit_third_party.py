"""The conformance kit serves a gateway adapter from another distribution exactly as the
README shows: the kit finds and enables the plugin that provides the gateway, with no
extra hooks in the author's tests."""

from __future__ import annotations

import types
from typing import ClassVar

import pytest

from niaga import PluginMeta, hookimpl
from niaga.runtime import niaga
from niaga_payments import states
from niaga_payments.adapters import GatewayAdapter, SessionResult
from niaga_payments.testing import AdapterConformance


class KasKita(GatewayAdapter):
    """A counter-payment adapter as a third party would write it."""

    name = "kaskita"
    label: ClassVar[dict[str, str]] = {"id": "Kas Kita", "en": "Kas Kita"}
    methods = ("cash",)
    capabilities = frozenset({"manual_confirm"})

    def create_session(self, ctx, payment):
        return SessionResult(status=states.PENDING, instructions={"pay_at": "kasir"})


def kaskita_plugin() -> types.ModuleType:
    module = types.ModuleType("niaga_kaskita")
    module.PLUGIN = PluginMeta(
        name="kaskita",
        label={"id": "Kas Kita", "en": "Kas Kita"},
        description={"id": "Bayar di kasir", "en": "Pay at the counter"},
        depends=("payments",),
    )
    module.payments_gateways = hookimpl(lambda: [KasKita()])
    return module


class TestKasKita(AdapterConformance):
    gateway = "kaskita"

    @pytest.fixture(autouse=True)
    def installed(self, app):
        """Installed (as its entry point would make it), not enabled: the kit enables it."""
        with app.app_context():
            niaga().host.add(kaskita_plugin())
