"""No gateway address is a setting: the payments settings (every built-in adapter's, and the
form a manager fills in) have no URL, host or endpoint field but ``public_url``, the shop's
own address that gateways call back (only told to them, never called with a key), so no
one with the settings page can send a gateway key to another host (the kit proves the same
per adapter with ``test_no_setting_sends_keys_to_another_host``)."""

from __future__ import annotations

import re

import pytest

from niaga import settings
from niaga.testing import login
from niaga_payments import registry

pytestmark = pytest.mark.plugins("payments")

ADDRESS = re.compile(r"url|host|endpoint|base|domain|address", re.IGNORECASE)


def test_no_setting_is_an_address(app):
    with app.app_context():
        names = list(registry.settings_schema()().fields)
    assert "midtrans_server_key" in names and "xendit_enabled" in names
    assert [n for n in names if ADDRESS.search(n)] == ["public_url"]


def test_the_shops_own_address_moves_no_gateway_call(app, db):
    settings.put(db, "payments.public_url", "https://attacker.example")
    db.commit()
    with app.test_request_context():
        for adapter in registry.adapters().values():
            ctx = registry.context(db, adapter)
            assert ctx.base_url in ("", adapter.sandbox_url), adapter.name
            assert "attacker" not in ctx.base_url
    db.commit()


def test_the_settings_form_has_no_address_field(client, owner):
    login(client, owner)
    page = client.get("/admin/plugins/payments/settings").get_data(as_text=True)
    fields = re.findall(r'name="([^"]+)"', page)
    assert "midtrans_server_key" in fields
    assert [f for f in fields if ADDRESS.search(f)] == ["public_url"]
    assert "sandbox.midtrans.com" not in page
