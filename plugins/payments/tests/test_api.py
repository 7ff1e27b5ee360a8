"""The REST API around the lifecycle: permissions, bad input, webhooks refused, proofs of
transfer, fees, gateway failures, reconciliation as a scheduled job, consistency checks."""

from __future__ import annotations

import datetime as dt
import io
import logging
import types
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga import PluginMeta, hookimpl, lifecycle
from niaga.jobs import run_due_jobs
from niaga.models import AuditLog
from niaga.runtime import collect, forget_enabled_plugins, niaga
from niaga_payments import registry, states
from niaga_payments.adapters import GatewayAdapter
from niaga_payments.models import Payment, PaymentEvent
from niaga_payments.registry import use_standin

pytestmark = pytest.mark.plugins("payments")

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def test_anonymous_and_unpermitted_callers_are_refused(app, cash, make_user, api_as):
    shopper = make_user("retailer")
    warehouse, cashier, retailer = (
        api_as(user) for user in (make_user("warehouse"), make_user("cashier"), shopper)
    )
    assert app.test_client().get("/api/payments/").status_code == 401
    answer = warehouse.get("/api/payments/")
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
    assert cashier.get("/api/payments/").status_code == 200
    own = cash.order(owner=shopper)
    payment = retailer.post("/api/payments/", json={"target": own, "gateway": "cash"})
    assert payment.status_code == 201
    confirm = retailer.post(f"/api/payments/{payment.json['id']}/confirm", json={})
    assert confirm.status_code == 403


def test_disabled_plugin_answers_404(app, db, cash):
    lifecycle.disable(db, niaga().host, "payments")
    db.commit()
    forget_enabled_plugins()
    assert cash.api.get("/api/payments/").status_code == 404
    assert app.test_client().post("/api/payments/webhooks/cash", json={}).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"gateway": "cash"}, 422, "invalid"),
        ({"target": "test.order:1", "gateway": "cash", "amount": "5"}, 422, "invalid"),
        ({"target": "not a reference", "gateway": "cash"}, 422, "invalid"),
        ({"target": "test.order:1", "gateway": "nope"}, 404, "not_found"),
        ({"target": "test.order:1", "gateway": "midtrans"}, 404, "not_found"),  # not enabled
        ({"target": "test.order:1", "gateway": "cash", "method": "card"}, 422, "invalid"),
        ({"target": "test.order:999", "gateway": "cash"}, 404, "not_found"),
    ],
)
def test_bad_input_gets_the_error_envelope(cash, body, status, code):
    cash.order()
    answer = cash.api.post("/api/payments/", json=body)
    assert answer.status_code == status, answer.json
    assert answer.json["error"]["code"] == code


def test_webhooks_of_unknown_or_offline_gateways_are_404(app, cash):
    client = app.test_client()
    assert client.post("/api/payments/webhooks/nope", json={}).status_code == 404
    assert client.post("/api/payments/webhooks/cash", json={}).status_code == 404


def test_forged_webhook_leaves_only_a_log_line(app, db, midtrans, caplog, monkeypatch):
    payment = midtrans.start(midtrans.order())
    audit_before = db.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    events_before = len(midtrans.events())
    forged = midtrans.sim.forge(midtrans.sim.notification(payment["reference"], "paid"))
    # listen on the module's own logger: an earlier test in the run may have changed how
    # records travel to the root (levels, propagation, a disabled logger)
    logger = logging.getLogger("niaga_payments.notifications")
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "propagate", True)
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="niaga_payments.notifications"):
            assert midtrans.deliver(forged) == 401
    finally:
        logger.removeHandler(caplog.handler)
    assert any("bad signature" in r.getMessage() for r in caplog.records)
    assert len(midtrans.events()) == events_before
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == audit_before
    db.commit()
    garbage = app.test_client().post(
        "/api/payments/webhooks/midtrans", data=b"\xff not json", content_type="text/plain"
    )
    assert garbage.status_code == 401


def test_unknown_reference_with_a_valid_signature_is_kept_and_flagged(midtrans):
    payment = midtrans.start(midtrans.order())
    note = midtrans.sim.notification(payment["reference"], "paid")
    midtrans.sim.transactions["NGA-999-XYZ"] = {**midtrans.sim.transaction(payment["reference"])}
    midtrans.sim.transactions["NGA-999-XYZ"]["order_id"] = "NGA-999-XYZ"
    stray = midtrans.sim.notification("NGA-999-XYZ", "paid")
    assert midtrans.deliver(stray) == 200
    (event,) = midtrans.events(outcome="unknown_payment")
    assert event.payment_id is None and event.flagged
    assert note.body != stray.body


def test_transfer_proof_then_staff_confirm_with_fee(transfer, logged_in):
    payment = transfer.start(transfer.order("300000"))
    assert payment["status"] == states.PENDING
    assert payment["instructions"]["account_number"] == ""
    url = f"/api/payments/{payment['id']}/proof"
    wrong = transfer.api.post(
        url, data={"file": (io.BytesIO(b"MZ"), "virus.exe", "application/x-msdownload")}
    )
    assert wrong.status_code == 422
    assert transfer.api.post(url, data={}).status_code == 422
    upload = transfer.api.post(url, data={"file": (io.BytesIO(PNG), "bukti.png", "image/png")})
    assert upload.status_code == 201, upload.json
    transfer.db.commit()
    page = logged_in.get(f"/admin/payments/{payment['id']}").get_data(as_text=True)
    assert "bukti.png" in page
    proof = logged_in.get(f"/admin/payments/{payment['id']}/proofs/{upload.json['id']}")
    assert proof.status_code == 200 and proof.data == PNG
    from niaga.testing import csrf_token

    token = csrf_token(logged_in, f"/admin/payments/{payment['id']}")
    done = logged_in.post(
        f"/admin/payments/{payment['id']}/confirm", data={"csrf_token": token, "note": "BCA"}
    )
    assert done.status_code == 302
    transfer.db.commit()
    stored = transfer.payment(payment["id"])
    assert stored.status == states.PAID and stored.fee == Decimal("2500")
    (paid,) = transfer.heard("paid")
    assert Decimal(paid.fee) == Decimal("2500") and paid.method == "bank_transfer"
    late = transfer.api.post(url, data={"file": (io.BytesIO(PNG), "b.png", "image/png")})
    assert late.status_code == 422


def test_admin_list_filters_and_refund(cash, logged_in):
    payment = cash.start(cash.order("80000"))
    cash.pay(payment)
    other = cash.start(cash.order("1000"))
    page = logged_in.get("/admin/payments/?status=paid").get_data(as_text=True)
    assert payment["reference"] in page and other["reference"] not in page
    page = logged_in.get("/admin/payments/?gateway=cash&flagged=1").get_data(as_text=True)
    assert payment["reference"] not in page
    from niaga.testing import csrf_token

    token = csrf_token(logged_in, f"/admin/payments/{payment['id']}")
    logged_in.post(
        f"/admin/payments/{payment['id']}/refund",
        data={"csrf_token": token, "amount": "30.000", "reason": "kembali"},
    )
    cash.db.commit()
    assert cash.payment(payment["id"]).refunded == Decimal("30000")
    history = logged_in.get(f"/admin/payments/{payment['id']}").get_data(as_text=True)
    assert "kembali" in history


def test_events_endpoint_lists_calls_and_notifications(midtrans):
    payment = midtrans.start(midtrans.order())
    midtrans.pay(payment)
    events = midtrans.api.get(f"/api/payments/{payment['id']}/events").json
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "call" and "notification" in kinds
    assert events[0]["payload"]["request"]["transaction_details"]["gross_amount"] == 150000
    listing = midtrans.api.get("/api/payments/?status=paid&gateway=midtrans")
    assert [p["id"] for p in listing.json] == [payment["id"]]
    assert midtrans.api.get("/api/payments/?status=bogus").status_code == 422


def test_gateway_fee_from_the_notification(xendit):
    payment = xendit.start(xendit.order("500000"))
    xendit.pay(payment)
    assert xendit.payment(payment["id"]).fee == Decimal("4440")
    assert xendit.payment(payment["id"]).method == "virtual_account"
    assert Decimal(xendit.heard("paid")[0].fee) == Decimal("4440")


def test_unreachable_gateway_keeps_a_failed_payment_and_the_call(app, db, midtrans):
    use_standin(app, "midtrans", "http://127.0.0.1:9")
    answer = midtrans.api.post(
        "/api/payments/", json={"target": midtrans.order(), "gateway": "midtrans"}
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"
    db.commit()
    (payment,) = db.scalars(sa.select(Payment)).all()
    assert payment.status == states.FAILED
    (call,) = midtrans.events(kind="call")
    assert "error" in call.payload
    db.commit()


def test_fractional_rupiah_is_never_sent(midtrans):
    answer = midtrans.api.post(
        "/api/payments/", json={"target": midtrans.order("150000.50"), "gateway": "midtrans"}
    )
    assert answer.status_code == 409
    assert "whole rupiah" in answer.json["error"]["message"]
    assert midtrans.sim.transactions == {}


def test_reconcile_runs_as_a_scheduled_job_and_from_the_cli(db, midtrans):
    from click.testing import CliRunner

    from niaga_payments.cli import payments as cli

    first = midtrans.start(midtrans.order())
    second = midtrans.start(midtrans.order())
    midtrans.sim.settle(first["reference"], "paid")
    midtrans.sim.settle(second["reference"], "expired")
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    db.execute(sa.update(Payment).values(created_at=old))
    db.commit()
    jobs = dict(collect("niaga_scheduled_jobs"))["payments"]
    assert [j.name for j in jobs] == ["payments.reconcile", "payments.release_escrow"]
    assert run_due_jobs(db) >= 1
    assert midtrans.payment(first["id"]).status == states.PAID
    assert midtrans.payment(second["id"]).status == states.EXPIRED
    listed = CliRunner().invoke(cli, ["list", "--json", "--status", "paid"])
    assert listed.exit_code == 0, listed.output
    import json

    assert [p["id"] for p in json.loads(listed.output)] == [first["id"]]
    third = midtrans.start(midtrans.order())
    midtrans.sim.settle(third["reference"], "paid")
    result = CliRunner().invoke(cli, ["reconcile", "--older-than", "0", "--json"])
    assert result.exit_code == 0, result.output
    assert {r["id"]: r["status"] for r in json.loads(result.output)} == {third["id"]: "paid"}
    db.commit()


def test_flagged_payments_show_in_niaga_check(db, midtrans):
    payment = midtrans.start(midtrans.order("150000"))
    midtrans.notify(payment, "paid", amount=Decimal("100"))
    problems = [p for _, found in collect("niaga_check", session=db) for p in found]
    assert any(f"payment {payment['id']} needs review" in p for p in problems)
    db.commit()


def test_capture_of_an_authorised_card_payment(midtrans):
    payment = midtrans.start(midtrans.order(), method="card")
    midtrans.sim.settle(payment["reference"], "authorized")
    assert midtrans.notify(payment, "authorized") == 200
    assert midtrans.payment(payment["id"]).status == states.AUTHORIZED
    midtrans.db.execute(
        sa.update(Payment).where(Payment.id == payment["id"]).values(external_id=None)
    )
    midtrans.db.commit()
    answer = midtrans.api.post(f"/api/payments/{payment['id']}/refresh", json={})
    assert answer.status_code == 200 and answer.json["external_id"]
    captured = midtrans.api.post(f"/api/payments/{payment['id']}/capture", json={})
    assert captured.status_code == 200, captured.json
    assert captured.json["status"] == states.PAID
    assert len(midtrans.heard("paid")) == 1


def test_two_plugins_cannot_register_one_gateway_name(app, db, cash):
    class Impostor(GatewayAdapter):
        name = "cash"

    module = types.ModuleType("niaga_impostor")
    module.PLUGIN = PluginMeta(
        name="impostor", label={"en": "I"}, description={"en": "I"}, depends=("payments",)
    )
    module.payments_gateways = hookimpl(lambda: [Impostor()])
    niaga().host.add(module)
    lifecycle.enable(db, niaga().host, "impostor")
    db.commit()
    forget_enabled_plugins()
    with pytest.raises(Exception, match="registered by both payments and impostor"):
        registry.adapters()


def test_gateways_endpoint(cash):
    answer = cash.api.get("/api/payments/gateways").json
    by_name = {g["name"]: g for g in answer}
    assert set(by_name) >= {"cash", "bank_transfer", "cod", "qris", "midtrans", "xendit", "doku"}
    assert by_name["cash"]["enabled"] and not by_name["midtrans"]["enabled"]
    assert "refund" in by_name["midtrans"]["capabilities"]


def test_no_events_are_updated_only_appended(midtrans):
    payment = midtrans.start(midtrans.order())
    midtrans.pay(payment)
    db = midtrans.db
    ids = [e.id for e in midtrans.events()]
    assert ids == sorted(ids) and db.scalar(sa.select(sa.func.count(PaymentEvent.id))) == len(ids)
    db.commit()
