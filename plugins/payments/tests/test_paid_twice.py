"""One open payment per document, and money that arrives twice anyway: the second payment
is flagged as paid twice, ``niaga check`` reports the document, and refunding the extra
payment (one action) resolves both."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga.runtime import collect
from niaga_payments import states
from niaga_payments.models import Payment
from niaga_payments.testing import Harness, configure

pytestmark = pytest.mark.plugins("payments")


def problems(db) -> list[str]:
    found = [p for _, items in collect("niaga_check", session=db) for p in items]
    db.commit()
    return found


def test_a_second_gateway_waits_until_the_open_payment_is_cancelled(db, midtrans: Harness):
    configure(db, "bank_transfer", {"enabled": True})
    target = midtrans.order()
    first = midtrans.start(target)
    by_transfer = {"target": target, "gateway": "bank_transfer"}
    answer = midtrans.api.post("/api/payments/", json=by_transfer)
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"
    assert str(first["id"]) in answer.json["error"]["message"]
    db.commit()
    cancelled = midtrans.api.post(f"/api/payments/{first['id']}/cancel", json={})
    assert cancelled.status_code == 200
    db.commit()
    second = midtrans.api.post("/api/payments/", json=by_transfer)
    assert second.status_code == 201, second.json
    db.commit()


def test_a_document_paid_twice_is_flagged_reported_and_resolved_by_a_refund(db, midtrans):
    target = midtrans.order("150000")
    first = midtrans.start(target)
    second = midtrans.start(midtrans.order("150000"))
    # two starts racing each other can both open a payment for one document
    db.execute(sa.update(Payment).where(Payment.id == second["id"]).values(target=target))
    db.commit()
    assert problems(db) == []
    midtrans.pay(first)
    midtrans.pay(second)
    twice = midtrans.payment(second["id"])
    assert twice.status == states.PAID and twice.flagged
    assert "Paid twice" in twice.flag_reason and str(first["id"]) in twice.flag_reason
    assert not midtrans.payment(first["id"]).flagged
    found = problems(db)
    assert f"payments: {target} is paid 2 times; refund the extra payments" in found
    assert any(f"payment {second['id']} needs review: Paid twice" in p for p in found)
    shown = midtrans.api.get(f"/api/payments/{second['id']}")
    assert shown.json["flagged"] and "Paid twice" in shown.json["flag_reason"]
    db.commit()
    refund = midtrans.api.post(f"/api/payments/{second['id']}/refunds", json={"reason": "ganda"})
    assert refund.status_code == 201, refund.json
    db.commit()
    resolved = midtrans.payment(second["id"])
    assert resolved.status == states.REFUNDED and not resolved.flagged
    assert problems(db) == []
