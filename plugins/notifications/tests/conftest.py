"""Fixtures: the WhatsApp Cloud API stand-in, a real SMTP server and the principal's
receiver on 127.0.0.1, with the plugin's settings pointed at them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from niaga import settings
from niaga_notifications.testing import PrincipalReceiver, SmtpSink, WhatsAppCloudStandIn

SECRET = "rahasia-prinsipal-2026"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("no_proxy", "NO_PROXY"):  # a proxy from the environment must not catch it
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def whatsapp() -> Iterator[WhatsAppCloudStandIn]:
    stand_in = WhatsAppCloudStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def receiver() -> Iterator[PrincipalReceiver]:
    found = PrincipalReceiver(SECRET)
    yield found
    found.close()


def configure(
    db: Any, whatsapp: WhatsAppCloudStandIn | None = None, smtp: SmtpSink | None = None
) -> None:
    values: dict[str, Any] = {}
    if whatsapp is not None:
        values |= {
            "whatsapp_base_url": whatsapp.base_url,
            "whatsapp_phone_number_id": whatsapp.phone_number_id,
            "whatsapp_token": whatsapp.token,
        }
    if smtp is not None:
        values |= {
            "smtp_host": smtp.host,
            "smtp_port": smtp.port,
            "smtp_security": "none",
            "sender": "toko@maju.example",
        }
    for name, value in values.items():
        settings.put(db, f"notifications.{name}", value)
    db.commit()


@pytest.fixture
def channels(
    db: Any, whatsapp: WhatsAppCloudStandIn, smtp: SmtpSink
) -> tuple[WhatsAppCloudStandIn, SmtpSink]:
    configure(db, whatsapp, smtp)
    return whatsapp, smtp
