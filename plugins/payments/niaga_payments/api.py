"""REST API under ``/api/payments/``: payments, their events, staff actions, refunds, and
one webhook route per gateway (no login: the gateway's signature is the credential)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import request
from flask.views import MethodView

from niaga.api import Blueprint, Page, Schema
from niaga.auth import check, require
from niaga.db import committed, session
from niaga.fields import DateTime as DateTimeField
from niaga.i18n import pick
from niaga_payments import notifications, payments, reconcile, registry, states
from niaga_payments.models import Payment, PaymentEvent, PaymentTransition, Refund

bp = Blueprint("payments", __name__, description="Payments and gateway notifications")


class PaymentRecordSchema(Schema):
    id = ma.fields.Integer()
    target = ma.fields.String()
    gateway = ma.fields.String()
    method = ma.fields.String()
    reference = ma.fields.String()
    external_id = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    amount = ma.fields.Decimal(as_string=True)
    currency = ma.fields.String()
    fee = ma.fields.Decimal(as_string=True)
    refunded = ma.fields.Decimal(as_string=True)
    flagged = ma.fields.Boolean()
    flag_reason = ma.fields.String()
    redirect_url = ma.fields.String(allow_none=True)
    instructions = ma.fields.Dict()
    created_at = DateTimeField()
    paid_at = DateTimeField(allow_none=True)
    escrow = ma.fields.Boolean()


class PaymentEventSchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    gateway = ma.fields.String()
    dedupe_key = ma.fields.String(allow_none=True)
    status = ma.fields.String(allow_none=True)
    amount = ma.fields.Decimal(as_string=True, allow_none=True)
    outcome = ma.fields.String()
    flagged = ma.fields.Boolean()
    note = ma.fields.String()
    actor = ma.fields.String()
    payload = ma.fields.Raw()
    occurred_at = DateTimeField()


class PaymentTransitionSchema(Schema):
    from_status = ma.fields.String()
    to_status = ma.fields.String()
    event_id = ma.fields.Integer(allow_none=True)
    occurred_at = DateTimeField()


class PaymentRefundSchema(Schema):
    id = ma.fields.Integer()
    amount = ma.fields.Decimal(as_string=True)
    reason = ma.fields.String()
    external_id = ma.fields.String(allow_none=True)
    created_at = DateTimeField()


class PaymentDetailSchema(PaymentRecordSchema):
    transitions = ma.fields.List(ma.fields.Nested(PaymentTransitionSchema))
    refunds = ma.fields.List(ma.fields.Nested(PaymentRefundSchema))


class PaymentQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(states.STATES))
    gateway = ma.fields.String()
    target = ma.fields.String()
    flagged = ma.fields.Boolean()


class PaymentStartSchema(Schema):
    target = ma.fields.String(
        required=True, validate=ma.validate.Regexp(r"^[a-z_]+\.[a-z_]+:[0-9]+$")
    )
    gateway = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    method = ma.fields.String()
    customer = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    escrow = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Hold the money until the buyer confirms delivery"},
    )


class PaymentNoteSchema(Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(0, 300))


class PaymentRefundArgsSchema(Schema):
    amount = ma.fields.String(
        validate=ma.validate.Regexp(r"^[0-9]{1,16}(\.[0-9]{1,2})?$"),
        metadata={"description": "Rupiah, e.g. 50000; leave out to refund all that is left"},
    )
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(0, 300))


class PaymentReconcileSchema(Schema):
    older_than_minutes = ma.fields.Integer(validate=ma.validate.Range(0, 10080))


class PaymentGatewaySchema(Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    methods = ma.fields.List(ma.fields.String())
    capabilities = ma.fields.List(ma.fields.String())
    enabled = ma.fields.Boolean()


def viewer() -> Any:
    """``None`` for payments staff (``payments.view``), who see every payment; otherwise the
    caller's user (with ``payments.create``), who sees only their own documents."""
    who = check("payments.create")
    return None if who.can("payments.view") else who.user


def filtered(query: dict[str, Any]) -> sa.Select[Any]:
    """Payments matching the list filters, newest first."""
    statement = sa.select(Payment).order_by(Payment.id.desc())
    for name in ("status", "gateway", "target", "flagged"):
        if name in query and query[name] is not None:
            statement = statement.where(getattr(Payment, name) == query[name])
    return statement


def detail(payment: Payment) -> dict[str, Any]:
    db = session()
    data = {name: getattr(payment, name) for name in PaymentRecordSchema().fields}
    data["transitions"] = db.scalars(
        sa.select(PaymentTransition)
        .where(PaymentTransition.payment_id == payment.id)
        .order_by(PaymentTransition.id)
    ).all()
    data["refunds"] = db.scalars(
        sa.select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id)
    ).all()
    return data


@bp.route("/")
class Payments(MethodView):
    @bp.arguments(PaymentQuerySchema, location="query")
    @bp.response(200, PaymentRecordSchema(many=True))
    @bp.paginate(Page)
    @require("payments.view")
    def get(self, query: dict[str, Any]) -> Any:
        """List payments, newest first, filtered by status, gateway, target or flag."""
        return filtered(query)

    @bp.arguments(PaymentStartSchema)
    @bp.response(201, PaymentDetailSchema)
    @require("payments.create")
    def post(self, args: dict[str, Any]) -> Any:
        """Start a payment for a document; the amount is what the document still owes."""
        db = session()
        try:
            payment = payments.start(
                db,
                args["target"],
                args["gateway"],
                args.get("method"),
                args.get("customer"),
                viewer=viewer(),
                escrow=args["escrow"],
            )
        except payments.GatewayFailed:
            committed(None)  # keep the failed payment and the gateway's answer
            raise
        return committed(detail(payment))


@bp.route("/gateways")
class Gateways(MethodView):
    @bp.response(200, PaymentGatewaySchema(many=True))
    @require("payments.view")
    def get(self) -> Any:
        """The payment gateways installed, with what each can do."""
        db = session()
        return [
            {
                "name": name,
                "label": pick(adapter.label),
                "methods": list(adapter.methods),
                "capabilities": sorted(adapter.capabilities),
                "enabled": registry.is_enabled(db, adapter),
            }
            for name, adapter in sorted(registry.adapters().items())
        ]


@bp.route("/reconcile")
class Reconcile(MethodView):
    @bp.arguments(PaymentReconcileSchema)
    @bp.response(200)
    @require("payments.confirm")
    def post(self, args: dict[str, Any]) -> Any:
        """Ask the gateways about payments stuck open."""
        return {"results": reconcile.reconcile(session(), args.get("older_than_minutes"))}


@bp.route("/<int:payment_id>")
class PaymentResource(MethodView):
    @bp.response(200, PaymentDetailSchema)
    @require("payments.create")
    def get(self, payment_id: int) -> Any:
        """One payment with its transitions and refunds (a retailer: only their own)."""
        return detail(payments.get(session(), payment_id, viewer()))


@bp.route("/<int:payment_id>/events")
class PaymentEvents(MethodView):
    @bp.response(200, PaymentEventSchema(many=True))
    @require("payments.view")
    def get(self, payment_id: int) -> Any:
        """The payment's event history: notifications, gateway calls and staff actions."""
        db = session()
        payments.get(db, payment_id)
        return db.scalars(
            sa.select(PaymentEvent)
            .where(PaymentEvent.payment_id == payment_id)
            .order_by(PaymentEvent.id)
        ).all()


def _action(name: str, permission: str, call: Any) -> None:
    class Action(MethodView):
        @bp.arguments(PaymentNoteSchema)
        @bp.response(200, PaymentDetailSchema)
        @require(permission)
        def post(self, args: dict[str, Any], payment_id: int) -> Any:
            db = session()
            payment = committed(call(db, payment_id, **args))
            return detail(payment)

    Action.post.__doc__ = f"{name.capitalize()} the payment."
    Action.__name__ = f"Payment{name.capitalize()}"
    bp.route(f"/<int:payment_id>/{name}")(Action)


_action("confirm", "payments.confirm", payments.confirm)
_action("cancel", "payments.confirm", payments.cancel)
_action("capture", "payments.confirm", payments.capture)


@bp.route("/<int:payment_id>/release")
class PaymentRelease(MethodView):
    @bp.arguments(PaymentNoteSchema)
    @bp.response(200, PaymentDetailSchema)
    @require("payments.create")
    def post(self, args: dict[str, Any], payment_id: int) -> Any:
        """Release a held escrow payment: the buyer (or staff) confirms the goods arrived."""
        db = session()
        payment = committed(payments.release(db, payment_id, args["note"], viewer()))
        return detail(payment)


@bp.route("/<int:payment_id>/refresh")
class PaymentRefresh(MethodView):
    @bp.response(200, PaymentDetailSchema)
    @require("payments.view")
    def post(self, payment_id: int) -> Any:
        """Ask the gateway for this payment's status now."""
        db = session()
        committed(payments.refresh(db, payment_id))
        return detail(payments.get(db, payment_id))


@bp.route("/<int:payment_id>/refunds")
class PaymentRefunds(MethodView):
    @bp.arguments(PaymentRefundArgsSchema)
    @bp.response(201, PaymentRefundSchema)
    @require("payments.refund")
    def post(self, args: dict[str, Any], payment_id: int) -> Any:
        """Refund all that is left (no amount) or part of a paid payment."""
        db = session()
        refund = committed(payments.refund(db, payment_id, args.get("amount"), args["reason"]))
        return refund


@bp.route("/<int:payment_id>/proof")
class PaymentProof(MethodView):
    @bp.response(201)
    @require("payments.create")
    def post(self, payment_id: int) -> Any:
        """Upload a proof of bank transfer (multipart field ``file``)."""
        from niaga.errors import Invalid

        upload = request.files.get("file")
        if upload is None:
            raise Invalid("Attach the proof as the file field", fields={"file": ["Missing"]})
        db = session()
        proof = committed(
            payments.add_proof(db, payment_id, upload.filename or "", upload.read(), viewer())
        )
        return {"id": proof.id, "filename": proof.filename}


@bp.route("/webhooks/<gateway>", methods=["POST"])
def webhook(gateway: str) -> Any:
    """A gateway's notification; refused with 401 unless its signature is valid."""
    if (request.content_length or 0) > notifications.MAX_BODY:
        raise notifications.TooLarge(
            "A notification may be at most {size} bytes", size=notifications.MAX_BODY
        )
    db = session()
    outcomes = committed(
        notifications.receive(
            db, gateway, request.headers, request.get_data(cache=False), request.remote_addr or ""
        )
    )
    return {"received": len(outcomes), "outcomes": outcomes}
