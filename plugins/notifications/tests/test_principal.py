"""Sharing with the principal: off by default; once the owner switches it on, every
invoice's sell-out and the daily activity figures reach a real local receiver that checks
the HMAC-SHA256 signature; failures are retried with every attempt logged."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.db import utcnow
from niaga.errors import Invalid
from niaga.jobs import run_round
from niaga.models import OutboxMessage
from niaga_notifications import principal
from niaga_notifications.admin import save_principal
from niaga_notifications.models import WebhookAttempt, WebhookDelivery
from niaga_notifications.settings import KPI_FIELDS, SELL_OUT_FIELDS

from .conftest import SECRET

pytestmark = pytest.mark.plugins("notifications", "sales")


def invoice_for(api, name="Toko Sinar Palu", price="70000"):
    customer = api.post("/api/sales/customers", json={"shop_name": name}).get_json()
    line = {"description": "Beras 5 kg", "quantity": "10", "unit_price": price}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    return customer, invoice.get_json()


def switch_on(db, receiver):
    save_principal(
        db,
        {
            "enabled": "on",
            "principal_url": receiver.url,
            "principal_secret": SECRET,
            "principal_distributor_code": "DIST-PALU-01",
        },
    )
    db.commit()


def test_nothing_is_shared_until_the_owner_switches_it_on(api, db, receiver):
    assert settings.get(db, "notifications.principal_enabled") is False
    invoice_for(api)
    while run_round()[0]:
        pass
    assert receiver.accepted == receiver.refused == []
    assert db.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)) == 0


def test_a_signed_sell_out_webhook_reaches_the_receiver_with_exactly_the_listed_fields(
    api, db, receiver
):
    switch_on(db, receiver)
    customer, invoice = invoice_for(api)
    assert run_round()[0] >= 1
    [got] = [r for r in receiver.accepted if r["json"]["event"] == "sell_out"]
    body = got["json"]
    assert set(body) - {"lines"} | {f"lines[].{k}" for k in body["lines"][0]} == {
        name for name, _ in SELL_OUT_FIELDS
    }
    assert body["event"] == "sell_out" and body["distributor"] == "DIST-PALU-01"
    assert body["invoice"] == invoice["number"] and body["retailer"] == customer["code"]
    assert Decimal(body["subtotal"]) == Decimal(invoice["subtotal"])
    assert "Toko Sinar Palu" not in got["body"].decode()  # no retailer name leaves the shop
    headers = got["headers"]
    assert headers["X-Niaga-Delivery"] == f"sell_out:sales.invoice:{invoice['id']}"
    assert principal.verify(
        SECRET, headers["X-Niaga-Timestamp"], got["body"], headers["X-Niaga-Signature"]
    )
    assert not principal.verify(
        "another-secret-123",
        headers["X-Niaga-Timestamp"],
        got["body"],
        headers["X-Niaga-Signature"],
    )
    assert not principal.verify(
        SECRET, headers["X-Niaga-Timestamp"], got["body"] + b" ", headers["X-Niaga-Signature"]
    )
    old = str(int(headers["X-Niaga-Timestamp"]) - 3600)
    assert not principal.verify(SECRET, old, got["body"], principal.sign(SECRET, old, got["body"]))
    [attempt] = db.scalars(
        sa.select(WebhookAttempt).join(WebhookDelivery).where(WebhookDelivery.kind == "sell_out")
    ).all()
    assert attempt.status == 204 and attempt.error == ""


def test_the_daily_activity_figures_match_the_invoices(api, db, receiver, shop_clock):
    switch_on(db, receiver)
    _, first = invoice_for(api, "Toko A", "70000")
    _, second = invoice_for(api, "Toko B", "30000")
    while run_round()[0]:
        pass
    receiver.accepted.clear()
    from niaga_notifications.models import SellOut

    day = db.scalar(
        sa.select(SellOut.day).where(SellOut.reference == f"sales.invoice:{first['id']}")
    )
    shop_clock(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(3), tzinfo=dt.UTC))
    assert principal.share_daily(db) == 1
    assert principal.share_daily(db) == 0  # once per day
    db.commit()
    while run_round()[0]:
        pass
    [got] = receiver.accepted
    figures = got["json"]
    assert set(figures) == {name for name, _ in KPI_FIELDS}
    assert figures["date"] == day.isoformat()
    assert Decimal(figures["sell_out"]) == Decimal(first["subtotal"]) + Decimal(second["subtotal"])
    assert (figures["invoices"], figures["buying_retailers"], figures["active_retailers_30d"]) == (
        2,
        2,
        2,
    )


def test_a_return_is_shared_as_negative_sell_out_and_nets_the_day(api, db, receiver, shop_clock):
    switch_on(db, receiver)
    _, invoice = invoice_for(api, "Toko Retur", "70000")
    line_id = invoice["lines"][0]["id"]
    note = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": line_id, "quantity": "3"}], "reason": "rusak"},
    )
    assert note.status_code == 201, note.get_json()
    while run_round()[0]:
        pass
    [back] = [r["json"] for r in receiver.accepted if r["json"]["event"] == "sell_out_return"]
    assert back["corrects"] == invoice["number"]
    assert back["lines"][0]["quantity"] == "-3.0000" or Decimal(back["lines"][0]["quantity"]) == -3
    assert Decimal(back["subtotal"]) == -Decimal(note.get_json()["subtotal"])
    from niaga_notifications.models import SellOut

    day = db.scalar(
        sa.select(SellOut.day).where(SellOut.reference == f"sales.invoice:{invoice['id']}")
    )
    figures = principal.kpis(db, day)
    expected = Decimal(invoice["subtotal"]) - Decimal(note.get_json()["subtotal"])
    assert Decimal(figures["sell_out"]) == expected
    assert (figures["invoices"], figures["buying_retailers"]) == (1, 1)


def test_a_failing_receiver_is_retried_with_back_off_and_every_attempt_logged(api, db, receiver):
    switch_on(db, receiver)
    receiver.failures_to_give = 2
    invoice_for(api)
    for _ in range(3):
        run_round()
        db.expire_all()
        undone = sa.select(OutboxMessage).where(
            OutboxMessage.done_at.is_(None), OutboxMessage.attempts > 0
        )
        for row in db.scalars(undone):
            assert row.available_at > utcnow(), (row.topic, row.attempts, row.last_error)
            row.available_at = utcnow()
        db.commit()
    delivery = db.scalar(sa.select(WebhookDelivery).where(WebhookDelivery.kind == "sell_out"))
    db.refresh(delivery)
    attempts = db.scalars(
        sa.select(WebhookAttempt)
        .where(WebhookAttempt.webhook_id == delivery.id)
        .order_by(WebhookAttempt.id)
    ).all()
    assert [a.status for a in attempts] == [503, 503, 204]
    assert (delivery.state, delivery.attempts) == ("sent", 3)
    assert [r["json"]["event"] for r in receiver.accepted].count("sell_out") == 1


def test_a_forged_or_stale_request_is_refused_by_the_receiver(receiver):
    import urllib.error
    import urllib.request

    body = json.dumps({"event": "sell_out"}).encode()
    request = urllib.request.Request(
        receiver.url,
        data=body,
        method="POST",
        headers={"X-Niaga-Timestamp": "1", "X-Niaga-Signature": principal.sign(SECRET, "1", body)},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401 and receiver.accepted == []


def test_switching_on_needs_an_address_and_a_secret(db):
    with pytest.raises(Invalid) as problem:
        save_principal(db, {"enabled": "on", "principal_url": "", "principal_secret": ""})
    assert set(problem.value.fields) == {"principal_url", "principal_secret"}
    db.rollback()
    with pytest.raises(Invalid) as problem:
        save_principal(
            db, {"enabled": "on", "principal_url": "ftp://x", "principal_secret": "x" * 20}
        )
    assert "principal_url" in str(problem.value.fields) or "url" in str(problem.value.fields)
    db.rollback()
    with pytest.raises(Invalid) as problem:
        save_principal(db, {"principal_url": "https://p.example/hook", "principal_secret": "short"})
    assert set(problem.value.fields) == {"principal_secret"}
    db.rollback()
    assert settings.get(db, "notifications.principal_enabled") is False


def test_switching_sharing_off_stops_what_was_queued(api, db, receiver):
    switch_on(db, receiver)
    receiver.failures_to_give = 1
    invoice_for(api)
    run_round()  # the first attempt fails: the webhook waits for its retry
    save_principal(db, {"principal_url": receiver.url})  # the owner switches it off
    db.commit()
    db.expire_all()
    for row in db.scalars(sa.select(OutboxMessage).where(OutboxMessage.done_at.is_(None))):
        row.available_at = utcnow()
    db.commit()
    while run_round()[0]:
        pass
    delivery = db.scalar(sa.select(WebhookDelivery).where(WebhookDelivery.kind == "sell_out"))
    db.refresh(delivery)
    assert delivery.state == "failed" and receiver.accepted == []
    last = db.scalars(
        sa.select(WebhookAttempt).where(WebhookAttempt.webhook_id == delivery.id)
    ).all()[-1]
    assert last.error == "Not sent: sharing was switched off"
