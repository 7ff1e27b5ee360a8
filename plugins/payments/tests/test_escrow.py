"""Escrow (rekening bersama): the buyer's money is held when it arrives, released to the
shop when the buyer confirms delivery or after the release period, and refunded in full
on a dispute; only the release makes the document paid."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from niaga.jobs import run_due_jobs
from niaga_payments import payments, states
from niaga_payments.models import PaymentTransition
from niaga_payments.testing import Harness

pytestmark = pytest.mark.plugins("payments")


def held(harness: Harness, owner=None) -> dict:
    payment = harness.start(harness.order("200000", owner=owner), escrow=True)
    harness.pay(payment)
    assert harness.payment(payment["id"]).status == states.HELD
    assert harness.heard("paid") == []  # the shop does not have the money yet
    return payment


def test_the_buyer_releases_on_delivery(midtrans: Harness, make_user, api_as):
    buyer, other = make_user("retailer"), make_user("retailer")
    as_buyer, as_other = api_as(buyer), api_as(other)
    payment = held(midtrans, owner=buyer)
    assert midtrans.notify(payment, "paid") == 200  # a repeated notification holds still
    assert midtrans.payment(payment["id"]).status == states.HELD
    url = f"/api/payments/{payment['id']}/release"
    assert as_other.post(url, json={}).status_code == 404
    released = as_buyer.post(url, json={"note": "barang sudah sampai"})
    assert released.status_code == 200, released.json
    midtrans.db.commit()
    assert midtrans.payment(payment["id"]).status == states.PAID
    assert len(midtrans.heard("paid")) == 1
    assert as_buyer.post(url, json={}).status_code == 422
    midtrans.db.commit()


def test_released_after_the_release_period(midtrans: Harness):
    payment = held(midtrans)
    db = midtrans.db
    assert payments.release_due(db) == []
    db.execute(
        sa.update(PaymentTransition)
        .where(PaymentTransition.payment_id == payment["id"])
        .values(occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
    )
    db.commit()
    assert payments.release_due(db) == [payment["id"]]
    db.commit()
    assert midtrans.payment(payment["id"]).status == states.PAID
    assert len(midtrans.heard("paid")) == 1


def test_a_dispute_refunds_everything_held(midtrans: Harness):
    payment = held(midtrans)
    url = f"/api/payments/{payment['id']}/refunds"
    refund = midtrans.api.post(url, json={"amount": "1000", "reason": "barang tidak sampai"})
    assert refund.status_code == 201, refund.json
    midtrans.db.commit()
    stored = midtrans.payment(payment["id"])
    assert stored.status == states.REFUNDED and stored.refunded == stored.amount
    assert midtrans.heard("paid") == [] and midtrans.heard("refunded") == []


def test_manual_escrow_confirmation_holds(transfer: Harness):
    payment = held(transfer)
    assert payment["escrow"] is True


def test_the_release_job_is_scheduled(midtrans: Harness):
    payment = held(midtrans)
    midtrans.db.execute(
        sa.update(PaymentTransition)
        .where(PaymentTransition.payment_id == payment["id"])
        .values(occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    )
    midtrans.db.commit()
    assert run_due_jobs(midtrans.db) >= 1
    assert midtrans.payment(payment["id"]).status == states.PAID
