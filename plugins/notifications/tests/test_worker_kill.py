"""Sent once even across a worker kill: a real ``niaga worker`` process is SIGKILLed while
the provider holds its request (the provider accepted the message, the worker never heard
back), and a second worker finishes the job. The retailer gets the WhatsApp message once
(the repeat carries the same key and the provider answers it without delivering again),
the e-mail once per Message-ID, and the log says sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.db import create_engine
from niaga_notifications.models import Preference

from .conftest import configure

pytestmark = pytest.mark.plugins("notifications", "sales")


@pytest.fixture
def worker_env(app: Any, database_url: str, tmp_path: Any) -> dict[str, str]:
    return dict(
        os.environ,
        NIAGA_HOME=str(tmp_path / "worker"),
        NIAGA_DATABASE_URL=database_url,
        NIAGA_SECRET_KEY=app.config["SECRET_KEY"],  # it opens the sealed secrets
        NIAGA_OUTBOX_LEASE_SECONDS="2",  # a cut-off delivery is taken up again after 2 s
        no_proxy="127.0.0.1,localhost",
        NO_PROXY="127.0.0.1,localhost",
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "niaga", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(env["NIAGA_HOME"] + ".log", "ab"),  # noqa: SIM115
    )


def wait_for(condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


def message_state(url: str) -> tuple[str, int, str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            sa.text("SELECT state, attempts, error FROM notifications_message")
        ).one()
    engine.dispose()
    return row[0], row[1], row[2]


def confirmed_order(api: Any, db: Any, channel: str, **address: str) -> None:
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Tahan Banting"}).get_json()
    db.add(Preference(customer_id=customer["id"], channel=channel, **address))
    db.commit()
    line = {"description": "Beras 5 kg", "quantity": "1", "unit_price": "70000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    db.close()


def kill_mid_delivery_then_finish(
    env: dict[str, str], accepted: Any, release: Any, url: str
) -> None:
    first = start_worker(env)
    try:
        wait_for(lambda: accepted() == 1)  # the provider has it; the worker waits for its answer
        assert message_state(url)[0] == "sending"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    release()
    second = start_worker(env)
    try:
        wait_for(lambda: message_state(url)[0] == "sent")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=10)
        except subprocess.TimeoutExpired:
            second.kill()


def test_a_worker_killed_mid_send_delivers_the_whatsapp_message_once(
    api, db, whatsapp, worker_env, database_url
):
    configure(db, whatsapp=whatsapp)
    confirmed_order(api, db, "whatsapp", phone="081234567890")
    whatsapp.hold_seconds = 10

    def release() -> None:
        whatsapp.hold_seconds = 0

    kill_mid_delivery_then_finish(
        worker_env, lambda: len(whatsapp.delivered), release, database_url
    )
    assert len(whatsapp.delivered) == 1  # once on the phone
    assert len(whatsapp.requests) == 2  # the repeat was answered from the key
    keys = {r["headers"]["Idempotency-Key"] for r in whatsapp.requests}
    assert len(keys) == 1 and next(iter(keys)).startswith("order_confirmed:sales.order:")
    state, attempts, error = message_state(database_url)
    assert (state, attempts) == ("sent", 2) and "cut off" in error


def test_a_worker_killed_mid_send_delivers_the_email_once_per_message_id(
    api, db, smtp, worker_env, database_url
):
    import asyncio

    configure(db, smtp=smtp)
    confirmed_order(api, db, "email", email="tahan@banting.example")
    holding = {"seconds": 10.0}
    handler = smtp.controller.handler
    original = handler.handle_DATA

    async def slow(server: Any, session: Any, envelope: Any) -> str:
        answer = await original(server, session, envelope)  # kept: the server accepted it
        await asyncio.sleep(holding["seconds"])  # ...but the 250 comes late
        return answer

    handler.handle_DATA = slow

    def release() -> None:
        holding["seconds"] = 0

    kill_mid_delivery_then_finish(worker_env, lambda: len(smtp.messages), release, database_url)
    assert len(smtp.messages) == 2  # SMTP cannot take a repeat back...
    assert len(smtp.unique) == 1  # ...but it is the same message: a mailbox shows it once
    state, attempts, _ = message_state(database_url)
    assert (state, attempts) == ("sent", 2)
