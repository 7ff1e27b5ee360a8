"""Admin pages under ``/admin/payments/``: the payments list with filters, one payment's
event history, and staff actions (confirm a transfer, cancel, refund)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, render_template, request, url_for
from sqlalchemy.orm import Session

from niaga import uploads
from niaga.actions import run_action
from niaga.auth import require
from niaga.db import session
from niaga.errors import NotFound
from niaga.inputs import FormReader
from niaga_payments import documents, payments, registry, states
from niaga_payments.api import filtered
from niaga_payments.models import PaymentEvent, PaymentTransition, Refund, TransferProof

bp = Blueprint("payments_admin", __name__, template_folder="templates")

PAGE_SIZE = 50


@bp.get("/")
@require("payments.view")
def index() -> str:
    query: dict[str, Any] = {
        "status": request.args.get("status") or None,
        "gateway": request.args.get("gateway") or None,
        "flagged": True if request.args.get("flagged") else None,
    }
    # what a person knows: an invoice's number, the payment's reference (issue 21); an old
    # link's ?target=sales.invoice:12 still works
    text = (request.args.get("q") or request.args.get("target") or "").strip()[:120]
    statement = documents.search(session(), filtered(query), text)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = session().scalars(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template(
        "payments/index.html",
        rows=rows,
        query=query,
        text=text,
        page=page,
        page_size=PAGE_SIZE,
        states=states.STATES,
        gateways=sorted(registry.adapters()),
    )


@bp.get("/<int:payment_id>")
@require("payments.view")
def detail(payment_id: int) -> str:
    db = session()
    payment = payments.get(db, payment_id)
    adapter = registry.adapters().get(payment.gateway)

    def of(model: Any) -> list[Any]:
        return db.scalars(
            sa.select(model).where(model.payment_id == payment_id).order_by(model.id)
        ).all()

    proofs = db.execute(
        sa.select(TransferProof.id, TransferProof.filename, TransferProof.uploaded_at)
        .where(TransferProof.payment_id == payment_id)
        .order_by(TransferProof.id)
    ).all()
    return render_template(
        "payments/detail.html",
        payment=payment,
        capabilities=adapter.capabilities if adapter else frozenset(),
        events=of(PaymentEvent),
        transitions=of(PaymentTransition),
        refunds=of(Refund),
        proofs=proofs,
        open_states=states.OPEN,
        settled_states=states.SETTLED,
    )


def _act(payment_id: int, action: Any, done: str, read: Callable[[FormReader], dict]) -> Response:
    """Read the form (``read``), then run ``action`` on the payment in one transaction;
    field problems and refusals come back as a message on the payment's page."""
    form = FormReader(request.form)

    def work(db: Session) -> None:
        values = read(form)
        form.check()
        action(db, payment_id, **values)

    here = url_for("payments_admin.detail", payment_id=payment_id)
    return run_action(work, success=done, then=here, failed=here)


def _note(form: FormReader) -> dict[str, Any]:
    return {"note": form.text("note", max_length=300)}


@bp.post("/<int:payment_id>/confirm")
@require("payments.confirm")
def confirm(payment_id: int) -> Response:
    return _act(payment_id, payments.confirm, "Payment confirmed", _note)


@bp.post("/<int:payment_id>/cancel")
@require("payments.confirm")
def cancel(payment_id: int) -> Response:
    return _act(payment_id, payments.cancel, "Payment cancelled", _note)


@bp.post("/<int:payment_id>/refund")
@require("payments.refund")
def refund(payment_id: int) -> Response:
    """Refund the amount typed (as the shop writes it: ``30.000``); empty refunds all."""

    def read(form: FormReader) -> dict[str, Any]:
        return {
            "amount": form.money("amount", positive=True),
            "reason": form.text("reason", max_length=300),
        }

    return _act(payment_id, payments.refund, "Refund recorded", read)


@bp.get("/<int:payment_id>/proofs/<int:proof_id>")
@require("payments.view")
def proof(payment_id: int, proof_id: int) -> Response:
    found = session().get(TransferProof, proof_id)
    if found is None or found.payment_id != payment_id:
        raise NotFound("No such proof")
    # Sent as a download of the type its content is (rows from before the check kept the
    # sender's claim), under a generated name: it never opens as a page of the shop.
    kind = uploads.sniff(found.content) or "application/octet-stream"
    extension = uploads.EXTENSIONS.get(kind, "bin")
    name = f"bukti-transfer-{payment_id}-{proof_id}.{extension}"
    return Response(
        found.content,
        mimetype=kind,
        headers={
            "Content-Disposition": uploads.attachment(name, found.filename),
            "X-Content-Type-Options": "nosniff",
        },
    )
