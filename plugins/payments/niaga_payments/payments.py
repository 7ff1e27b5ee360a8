"""Starting, confirming, cancelling, capturing and refunding payments.

The amount always comes from ``payments_amount_due`` of the plugin that owns the target
document, never from the client. Functions take a session and leave the commit to the
caller, except where a gateway call failed: that is kept (see :class:`GatewayFailed`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.audit import current_actor
from niaga.db import utcnow
from niaga.errors import Conflict, Invalid, NiagaError, NotFound, Refused
from niaga.i18n import gettext
from niaga.l10n import format_money, shop_language
from niaga.money import ZERO, to_decimal
from niaga.runtime import hooks
from niaga.uploads import IMAGES_AND_PDF, accept
from niaga_payments import events, registry, states
from niaga_payments.adapters import METHODS, GatewayAdapter, PaymentRef
from niaga_payments.lifecycle import PAID_TWICE, info, lock, move, require_move
from niaga_payments.models import Payment, PaymentTransition, Refund, TransferProof

PROOF_MAX_BYTES = 5 * 1024 * 1024


class GatewayFailed(Conflict):
    """A gateway call failed; the payment and the call were recorded, so the caller should
    commit before answering."""


def payment_ref(payment: Payment) -> PaymentRef:
    return PaymentRef(
        id=payment.id,
        reference=payment.reference,
        amount=payment.amount,
        currency=payment.currency,
        external_id=payment.external_id,
        method=payment.method,
        description=payment.target,
    )


def amount_due(session: Session, target: str) -> Decimal:
    """What is still owed on ``target``, asked of the plugin that owns it."""
    due = hooks().payments_amount_due(session=session, reference=target)
    if due is None:
        raise NotFound("Nothing is known to pay for {target}", target=target)
    return to_decimal(due)


def check_visible(session: Session, target: str, viewer: Any = None) -> None:
    """Refuse with 404 (as for a document that does not exist) unless ``viewer`` may pay
    ``target``; ``None`` means staff, who see every document."""
    if viewer is None:
        return
    if hooks().payments_may_pay(session=session, reference=target, user=viewer) is not True:
        raise NotFound("Nothing is known to pay for {target}", target=target)


def start(
    session: Session,
    target: str,
    gateway: str,
    method: str | None = None,
    customer: dict[str, Any] | None = None,
    viewer: Any = None,
    escrow: bool = False,
) -> Payment:
    """Start paying ``target`` through ``gateway`` on behalf of ``viewer`` (``None``: staff).
    A document has one open payment at a time: an open one through the same gateway is
    returned, one through another gateway must be cancelled first (409). With ``escrow``
    the money is held when it arrives, until :func:`release`."""
    check_visible(session, target, viewer)
    adapter = registry.usable(session, gateway)
    method = method or adapter.methods[0]
    if method not in adapter.methods or method not in METHODS:
        raise Invalid(
            "{gateway} does not offer {method}; choose one of {methods}",
            gateway=gateway,
            method=method,
            methods=", ".join(adapter.methods),
            fields={"method": ["Not offered by this gateway"]},
        )
    open_payment = session.scalar(
        sa.select(Payment).where(Payment.target == target, Payment.status.in_(states.OPEN))
    )
    if open_payment is not None and open_payment.gateway == gateway:
        return open_payment
    if open_payment is not None:
        raise Conflict(
            "Payment {id} through {gateway} is still open for this document; "
            "cancel it before paying another way",
            id=open_payment.id,
            gateway=open_payment.gateway,
        )
    due = amount_due(session, target)
    if due <= ZERO:
        raise Refused("{target} has nothing left to pay", target=target)
    prefix = registry.general(session, "reference_prefix")
    payment = Payment(
        target=target,
        gateway=gateway,
        method=method,
        reference=f"{prefix}-pending-{secrets.token_hex(8)}",
        amount=due,
        instructions={},
        escrow=escrow,
    )
    session.add(payment)
    session.flush()
    # The id makes the reference readable; the random part keeps it unique at the gateway
    # even if this database is ever restored or reused.
    payment.reference = f"{prefix}-{payment.id}-{secrets.token_hex(3).upper()}"
    session.flush()
    calls: list[dict[str, Any]] = []
    ctx = registry.context(session, adapter, calls)
    ref = PaymentRef(
        id=payment.id,
        reference=payment.reference,
        amount=due,
        method=method,
        description=target,
        customer=customer or {},
    )
    try:
        result = adapter.create_session(ctx, ref)
    except NiagaError as exc:
        if isinstance(exc, Invalid) and not calls:
            raise  # input the adapter refused before calling the gateway: nothing is kept
        events.store_calls(session, gateway, payment.id, calls)
        move(session, payment, states.FAILED)
        raise GatewayFailed(exc.template, **exc.params) from None
    events.store_calls(session, gateway, payment.id, calls)
    payment.external_id = result.external_id
    payment.redirect_url = result.redirect_url
    payment.instructions = dict(result.instructions)
    session.flush()
    if result.status != states.CREATED:
        move(session, payment, result.status)
    return payment


def get(session: Session, payment_id: int, viewer: Any = None) -> Payment:
    """The payment, if ``viewer`` (``None``: staff) may see its document; 404 otherwise."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise NotFound("Payment {id} does not exist", id=payment_id)
    try:
        check_visible(session, payment.target, viewer)
    except NotFound:
        raise NotFound("Payment {id} does not exist", id=payment_id) from None
    return payment


def _adapter_with(payment: Payment, capability: str) -> GatewayAdapter:
    adapter = registry.adapter(payment.gateway)
    if capability not in adapter.capabilities:
        raise Refused(
            "The {gateway} gateway does not support {what}",
            gateway=payment.gateway,
            what=capability.replace("_", " "),
        )
    return adapter


def record_action(session: Session, payment: Payment, action: str, note: str = "") -> int | None:
    """Append a staff action (confirm, cancel, proof upload) to the event log."""
    return events.store(
        session,
        gateway=payment.gateway,
        kind="action",
        payment_id=payment.id,
        status=action,
        outcome="recorded",
        note=note,
    )


def confirm(session: Session, payment_id: int, note: str = "") -> Payment:
    """Staff confirm the money arrived (cash, bank transfer, COD collected, QRIS)."""
    payment = lock(session, payment_id)
    adapter = _adapter_with(payment, "manual_confirm")
    event_id = record_action(session, payment, "confirm", note)
    require_move(
        session,
        payment,
        states.HELD if payment.escrow else states.PAID,
        event_id=event_id,
        fee=registry.fee_for(session, adapter, payment.amount),
    )
    return payment


def release(session: Session, payment_id: int, note: str = "", viewer: Any = None) -> Payment:
    """Release a held escrow payment to the shop (the buyer confirmed delivery, or staff
    did); it becomes paid."""
    get(session, payment_id, viewer)
    payment = lock(session, payment_id)
    if payment.status != states.HELD:
        raise Refused("Only a held payment can be released; this one is {s}", s=payment.status)
    adapter = registry.adapter(payment.gateway)
    event_id = record_action(session, payment, "release", note)
    fee = registry.fee_for(session, adapter, payment.amount)
    require_move(session, payment, states.PAID, event_id=event_id, fee=fee)
    return payment


def release_due(session: Session) -> list[int]:
    """Release escrow payments held longer than ``escrow_release_days``; returns their ids."""
    days = int(registry.general(session, "escrow_release_days"))
    since = utcnow() - dt.timedelta(days=days)
    due = session.scalars(
        sa.select(Payment.id)
        .join(PaymentTransition, PaymentTransition.payment_id == Payment.id)
        .where(
            Payment.status == states.HELD,
            PaymentTransition.to_status == states.HELD,
            PaymentTransition.occurred_at <= since,
        )
        .order_by(Payment.id)
    ).all()
    for payment_id in due:
        release(session, payment_id, f"released after {days} days")
    return list(due)


def cancel(session: Session, payment_id: int, note: str = "") -> Payment:
    """Cancel an open payment; at the gateway too when it can void."""
    payment = lock(session, payment_id)
    adapter = registry.adapter(payment.gateway)
    if payment.status not in states.OPEN:
        raise Refused("A payment that is {status} cannot be cancelled", status=payment.status)
    if "void" in adapter.capabilities:
        _gateway_call(session, payment, adapter, "void")
        session.refresh(payment)
        if payment.status == states.CANCELLED:
            return payment
    event_id = record_action(session, payment, "cancel", note)
    require_move(session, payment, states.CANCELLED, event_id=event_id)
    return payment


def capture(session: Session, payment_id: int, note: str = "") -> Payment:
    """Capture an authorised payment at the gateway."""
    payment = lock(session, payment_id)
    adapter = _adapter_with(payment, "capture")
    if payment.status != states.AUTHORIZED:
        raise Refused("Only an authorized payment can be captured")
    record_action(session, payment, "capture", note)
    _gateway_call(session, payment, adapter, "capture")
    return payment


def _gateway_call(session: Session, payment: Payment, adapter: GatewayAdapter, what: str) -> None:
    calls: list[dict[str, Any]] = []
    ctx = registry.context(session, adapter, calls)
    try:
        if what == "capture":
            event = adapter.capture(ctx, payment_ref(payment), payment.amount)
        else:
            event = adapter.void(ctx, payment_ref(payment))
    except NiagaError:
        events.store_calls(session, adapter.name, payment.id, calls)
        raise
    events.store_calls(session, adapter.name, payment.id, calls)
    events.apply(session, adapter, event, kind=what, payload={"answer": dict(event.raw)})


def refresh(session: Session, payment_id: int) -> str:
    """Ask the gateway for the payment's status and apply what it says."""
    payment = get(session, payment_id)
    adapter = _adapter_with(payment, "status")
    event = events.ask(session, adapter, payment)
    if event is None:
        return "unknown_at_gateway"
    return events.apply(session, adapter, event, kind="status", payload={"answer": dict(event.raw)})


def refund(
    session: Session, payment_id: int, amount: Decimal | None = None, reason: str = ""
) -> Refund:
    """Give back ``amount`` (default: all that is left) of a paid payment."""
    payment = lock(session, payment_id)
    adapter = _adapter_with(payment, "refund")
    held = payment.status == states.HELD  # an escrow dispute: all goes back
    if payment.status not in states.SETTLED and not held:
        raise Refused("Only a paid payment can be refunded; this one is {s}", s=payment.status)
    left = payment.amount - payment.refunded
    amount = left if amount is None or held else to_decimal(amount)
    if amount <= ZERO or amount > left:
        raise Invalid(
            "The refund must be more than 0 and at most {left}",
            left=format_money(left),
            fields={"amount": [gettext("At most {amount}", amount=format_money(left))]},
        )
    if amount < left and "partial_refund" not in adapter.capabilities:
        raise Refused("The {gateway} gateway only refunds in full", gateway=payment.gateway)
    count = session.scalar(
        sa.select(sa.func.count()).select_from(Refund).where(Refund.payment_id == payment.id)
    )
    key = f"{payment.reference}-R{count + 1}"
    calls: list[dict[str, Any]] = []
    ctx = registry.context(session, adapter, calls)
    try:
        result = adapter.refund(ctx, payment_ref(payment), amount, key, reason)
    finally:
        events.store_calls(session, adapter.name, payment.id, calls)
    row = Refund(
        payment_id=payment.id,
        amount=result.amount,
        reason=reason[:300],
        external_id=result.external_id,
        actor=current_actor()[:120],
    )
    session.add(row)
    payment.refunded = payment.refunded + result.amount
    session.flush()
    note = f"{format_money(result.amount, language=shop_language())} {reason}".strip()
    event_id = record_action(session, payment, "refund", note)
    full = payment.refunded >= payment.amount
    if full and payment.flag_reason.startswith(PAID_TWICE):
        payment.flagged = False  # the second payment went back: resolved
    new = states.REFUNDED if full else states.PARTIALLY_REFUNDED
    if payment.status != new:
        move(session, payment, new, event_id=event_id)
    if not held:  # held money never reached the shop's books
        hooks().payments_refunded(
            session=session, payment=info(session, payment), amount=result.amount
        )
    return row


def add_proof(
    session: Session,
    payment_id: int,
    filename: str,
    content: bytes,
    viewer: Any = None,
) -> TransferProof:
    """Keep the customer's proof of transfer; staff then confirm the payment. Its type is
    read from the content (a photo or a PDF), whatever the sender declared."""
    get(session, payment_id, viewer)
    payment = lock(session, payment_id)
    _adapter_with(payment, "proof_upload")
    if payment.status not in states.OPEN:
        raise Refused("A payment that is {status} takes no proof", status=payment.status)
    upload = accept(content, filename, max_bytes=PROOF_MAX_BYTES, allowed=IMAGES_AND_PDF)
    proof = TransferProof(
        payment_id=payment.id,
        filename=upload.filename or f"proof.{upload.extension}",
        content_type=upload.content_type,
        content=upload.content,
    )
    session.add(proof)
    session.flush()
    record_action(session, payment, "proof", proof.filename)
    return proof
