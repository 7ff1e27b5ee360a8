"""What a notification cannot do: grow the event log by re-posting one signed body with new
unsigned fields or padding, pass Midtrans' status_code check with a changed status, or
leave a signature where staff can read it."""

from __future__ import annotations

import json

import pytest

from niaga_payments import events, states
from niaga_payments.testing import Harness
from niaga_payments.testing.standin import Notification

pytestmark = pytest.mark.plugins("payments")


def reposted(notification: Notification, **changes: object) -> Notification:
    body = {**json.loads(notification.body), **changes}
    return Notification(notification.headers, json.dumps(body).encode())


def test_a_signed_body_reposted_with_new_unsigned_fields_is_one_event(midtrans: Harness):
    payment = midtrans.start(midtrans.order())
    pending = midtrans.sim.notification(payment["reference"], "pending")
    for number in range(5):
        changed = reposted(pending, transaction_id=f"forged-{number}", padding="x" * 1000)
        assert midtrans.deliver(changed) == 200
    assert len(midtrans.events(payment_id=payment["id"], kind="notification")) == 1


def test_oversized_notifications_are_refused_before_anything(midtrans: Harness):
    payment = midtrans.start(midtrans.order())
    pending = midtrans.sim.notification(payment["reference"], "pending")
    assert midtrans.deliver(reposted(pending, padding="x" * 70_000)) == 413
    assert midtrans.events(kind="notification") == []


def test_idle_notifications_per_payment_are_bounded(midtrans: Harness, monkeypatch):
    monkeypatch.setattr(events, "MAX_NOTIFICATIONS", 3)
    payment = midtrans.start(midtrans.order())
    midtrans.pay(payment)
    for status in ("pending", "failed", "expired", "cancelled"):
        assert midtrans.notify(payment, status) == 200
    kept = midtrans.events(payment_id=payment["id"], kind="notification")
    assert len([e for e in kept if e.outcome != "applied"]) == 3
    assert midtrans.payment(payment["id"]).status == states.PAID


def test_midtrans_status_code_must_go_with_the_status(midtrans: Harness):
    payment = midtrans.start(midtrans.order())
    settlement, challenged = midtrans.sim.tampered(payment["reference"])
    assert midtrans.deliver(settlement) == 401  # signed 201 cannot say settlement
    assert midtrans.deliver(challenged) == 401  # signed 201 cannot say accept
    assert midtrans.events(kind="notification") == []


def test_a_challenged_card_capture_waits_for_the_gateway(midtrans: Harness):
    payment = midtrans.start(midtrans.order(), method="card")
    midtrans.sim.settle(payment["reference"], "requires_action")
    assert midtrans.notify(payment, "requires_action") == 200
    assert midtrans.payment(payment["id"]).status == states.REQUIRES_ACTION
    midtrans.sim.settle(payment["reference"], "paid")
    assert midtrans.notify(payment, "paid") == 200
    assert midtrans.payment(payment["id"]).status == states.PAID


def test_stored_events_keep_no_signature(midtrans: Harness):
    payment = midtrans.start(midtrans.order())
    midtrans.pay(payment)
    answer = midtrans.api.get(f"/api/payments/{payment['id']}/events")
    midtrans.db.commit()
    notification = next(e for e in answer.json if e["kind"] == "notification")
    assert notification["payload"]["body"]["signature_key"] == "[redacted]"
    assert notification["payload"]["body"]["transaction_status"] == "settlement"
    assert "SB-Mid-server" not in json.dumps(answer.json)
