"""The WhatsApp message of a confirmed order reaches the endpoint only after the order
committed, exactly once, and again after a failure; never when the order rolls back."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.contracts import Document
from niaga.db import utcnow
from niaga.errors import Invalid
from niaga.jobs import run_round
from niaga.models import OutboxMessage
from niaga.runtime import hooks

pytestmark = pytest.mark.plugins("whatsapp")


class Receiver:
    """A tiny stand-in for the WhatsApp Business API on 127.0.0.1 (any free port)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.failures_to_give = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                failing = receiver.failures_to_give > 0
                receiver.failures_to_give -= failing
                self.send_response(500 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"messages": [{"id": "wamid.1"}]}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v21.0/1234567890/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    for name in ("no_proxy", "NO_PROXY"):  # a proxy from the environment must not catch it
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def configured(db, receiver):
    settings.put(db, "whatsapp.endpoint", receiver.url)
    settings.put(db, "whatsapp.token", "rahasia-token")
    settings.put(db, "whatsapp.recipient", "6281234567890")
    db.commit()
    return receiver


def order(number: str = "SO-0007", total: str = "1250000") -> Document:
    return Document(
        kind="sales.order",
        id=7,
        number=number,
        date=dt.date(2026, 8, 17),
        party_id=3,
        party_name="Toko Maju",
        lines=(),
        subtotal=Decimal(total),
        tax=Decimal("0"),
        total=Decimal(total),
    )


def confirm(db, document: Document | None = None) -> None:
    hooks().sales_order_confirmed(session=db, order=document or order())


def test_the_message_is_sent_after_commit_and_only_once(db, configured):
    confirm(db)
    assert configured.requests == []  # the event only queued it, inside the transaction
    db.commit()

    assert run_round()[0] == 1
    assert run_round()[0] == 0
    [sent] = configured.requests
    assert sent["path"] == "/v21.0/1234567890/messages"
    assert sent["headers"]["Authorization"] == "Bearer rahasia-token"
    assert sent["headers"]["Idempotency-Key"] == "sales.order:7:confirmed"
    assert sent["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {
            "preview_url": False,
            "body": "Pesanan SO-0007 dari Toko Maju dikonfirmasi. Total Rp 1.250.000.",
        },
    }


def test_nothing_is_sent_when_the_order_rolls_back(db, configured):
    confirm(db)
    db.rollback()
    assert run_round()[0] == 0
    assert configured.requests == []


def test_a_failed_send_is_retried_with_the_same_key(db, configured):
    configured.failures_to_give = 1
    confirm(db)
    db.commit()
    assert run_round()[0] == 0  # the endpoint answered 500: the outbox keeps the message
    message = db.scalar(sa.select(OutboxMessage))
    assert message.attempts == 1 and message.done_at is None
    assert "500" in message.last_error and "rahasia" not in message.last_error

    message.available_at = utcnow()  # skip the back-off wait
    db.commit()
    assert run_round()[0] == 1
    keys = [r["headers"]["Idempotency-Key"] for r in configured.requests]
    assert keys == ["sales.order:7:confirmed"] * 2


def test_nothing_is_queued_until_it_is_configured(db, receiver):
    confirm(db)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.plugins()
def test_a_disabled_plugin_does_not_listen(db, receiver):
    confirm(db)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_settings_are_checked_and_the_token_is_secret(db):
    with pytest.raises(Invalid):
        settings.put(db, "whatsapp.template", "Pesanan {nomor}")
    with pytest.raises(Invalid):
        settings.put(db, "whatsapp.endpoint", "ftp://example")
    settings.put(db, "whatsapp.template", "Order {number}: {total}")
    assert settings.is_secret(settings.field_of("whatsapp.token"))


@pytest.mark.plugins("whatsapp", "sales")
def test_a_real_sales_order_confirmation_sends_one_message(api, db, configured):
    """With Niaga's own sales plugin raising the event (skipped where it is not installed)."""
    pytest.importorskip("niaga_sales")
    customer = api.post(
        "/api/sales/customers",
        json={"shop_name": "Toko Sinar Palu", "owner_name": "Pak Rahman", "phone": "0812345"},
    ).json
    line = {"description": "Kopi Toraja 250 g", "quantity": "2", "unit_price": "85000"}
    order = api.post("/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]})
    assert order.status_code == 201, order.json
    assert configured.requests == []  # a draft is not confirmed yet

    confirmed = api.post(f"/api/sales/orders/{order.json['id']}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.json
    db.expire_all()
    assert run_round()[0] == 1
    assert run_round()[0] == 0
    [sent] = configured.requests
    assert order.json["number"] in sent["body"]["text"]["body"]
    assert "Toko Sinar Palu" in sent["body"]["text"]["body"]
