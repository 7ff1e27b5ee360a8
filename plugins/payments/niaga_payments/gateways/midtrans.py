"""Midtrans: Snap to start a payment, the Core API (``/v2/...``) for status, capture,
cancel and refund, HTTP notifications signed with ``signature_key``.

``signature_key`` = hex SHA-512 of ``order_id + status_code + gross_amount + server_key``,
with the strings exactly as they arrive (``gross_amount`` comes as ``"200000.00"``). Success
is ``settlement``, or ``capture`` with ``fraud_status`` ``accept``. ``transaction_status``
and ``fraud_status`` are outside the signature: a notification whose signed ``status_code``
does not go with its ``transaction_status`` is refused, and a claim of success is confirmed
through the status API before it counts (:mod:`niaga_payments.events`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

import marshmallow as ma

from niaga.errors import Conflict, Invalid, Refused
from niaga_payments import states
from niaga_payments.adapters import (
    GatewayAdapter,
    GatewayContext,
    GatewayEvent,
    PaymentRef,
    RefundResult,
    SessionResult,
    json_body,
    whole_rupiah,
)

ENABLED_PAYMENTS = {
    "virtual_account": ["bca_va", "bni_va", "bri_va", "permata_va", "echannel"],
    "ewallet": ["gopay", "shopeepay"],
    "qris": ["other_qris"],
    "card": ["credit_card"],
}
PAYMENT_TYPES = {
    "credit_card": "card",
    "bank_transfer": "virtual_account",
    "echannel": "virtual_account",
    "permata": "virtual_account",
    "gopay": "ewallet",
    "shopeepay": "ewallet",
    "qris": "qris",
    "cstore": "retail_outlet",
}
#: the counters Midtrans ``cstore`` takes payment codes at
RETAIL_OUTLETS = ("indomaret", "alfamart")
STATUSES = {
    "pending": states.PENDING,
    "authorize": states.AUTHORIZED,
    "settlement": states.PAID,
    "deny": states.FAILED,
    "failure": states.FAILED,
    "cancel": states.CANCELLED,
    "expire": states.EXPIRED,
    "refund": states.REFUNDED,
    "partial_refund": states.PARTIALLY_REFUNDED,
}


#: the signed ``status_code`` each ``transaction_status`` comes with
STATUS_CODES = {
    "capture": ("200", "201"),  # 201: challenged by the fraud check
    "settlement": ("200",),
    "authorize": ("200",),
    "pending": ("201",),
    "deny": ("202",),
    "expire": ("202", "407"),
    "cancel": ("200", "202"),
    "refund": ("200",),
    "partial_refund": ("200",),
}


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """The ``signature_key`` Midtrans puts in a notification."""
    text = order_id + status_code + gross_amount + server_key
    return hashlib.sha512(text.encode()).hexdigest()


def status_of(body: Mapping[str, Any]) -> str:
    """Niaga's state for a Midtrans transaction (``capture`` depends on the fraud check)."""
    status = str(body.get("transaction_status", ""))
    if status == "capture":
        fraud = body.get("fraud_status", "accept")
        return {"accept": states.PAID, "challenge": states.REQUIRES_ACTION}.get(
            fraud, states.FAILED
        )
    return STATUSES.get(status, states.PENDING)


def codes_agree(body: Mapping[str, Any]) -> bool:
    """Whether the signed ``status_code`` goes with the unsigned ``transaction_status`` and
    ``fraud_status`` (only ``200`` may carry a success)."""
    code = str(body.get("status_code", ""))
    allowed = STATUS_CODES.get(str(body.get("transaction_status", "")))
    if allowed is not None and code not in allowed:
        return False
    return code == "200" or status_of(body) not in (states.PAID, states.AUTHORIZED)


def event_from(body: Mapping[str, Any]) -> GatewayEvent:
    """A notification or status answer as a :class:`GatewayEvent`."""
    status = status_of(body)
    refunds = body.get("refunds") or []
    kind = "refund" if status in (states.REFUNDED, states.PARTIALLY_REFUNDED) else "payment"
    # Only signed fields and Niaga's reading of the rest: re-posting a signed body with a
    # new transaction id or padding is the same event, not a new row.
    key = ":".join(
        str(part)[:64]
        for part in (
            body.get("order_id"),
            body.get("status_code"),
            body.get("gross_amount"),
            status,
            len(refunds),
        )
    )
    return GatewayEvent(
        reference=str(body.get("order_id", "")),
        status=status,
        dedupe_key=key,
        amount=Decimal(str(body["gross_amount"])) if kind == "payment" else None,
        external_id=body.get("transaction_id"),
        method=PAYMENT_TYPES.get(str(body.get("payment_type", ""))),
        kind=kind,
        raw=dict(body),
    )


class Midtrans(GatewayAdapter):
    name = "midtrans"
    label: ClassVar[dict[str, str]] = {"id": "Midtrans", "en": "Midtrans"}
    methods = ("virtual_account", "ewallet", "qris", "card", "retail_outlet")
    capabilities = frozenset(
        {"session", "status", "webhook", "capture", "void", "refund", "partial_refund"}
    )
    sandbox_url = "https://api.sandbox.midtrans.com"
    production_url = "https://api.midtrans.com"

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        return {
            "server_key": ma.fields.String(load_default="", metadata={"secret": True}),
            "client_key": ma.fields.String(load_default=""),
        }

    def _key(self, ctx: GatewayContext) -> str:
        key = str(ctx.settings.get("server_key") or "")
        if not key:
            raise Refused("Set the Midtrans server key in the payment settings first")
        return key

    def _call(self, ctx: GatewayContext, method: str, path: str, body: Any = None) -> Any:
        answer = ctx.http(method, path, json_body=body, basic_auth=self._key(ctx))
        data = answer.json() or {}
        code = str(data.get("status_code", answer.status)) if isinstance(data, dict) else ""
        if answer.status >= 400 or (code and code[0] not in "2"):
            raise Conflict(
                "Midtrans refused the request: {message}",
                message=_message(data) or f"HTTP {answer.status}",
            )
        return data

    def create_session(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        if payment.method == "retail_outlet":
            return self._pay_code(ctx, payment)
        body: dict[str, Any] = {
            "transaction_details": {
                "order_id": payment.reference,
                "gross_amount": whole_rupiah(payment.amount),
            },
        }
        if payment.method in ENABLED_PAYMENTS:
            body["enabled_payments"] = ENABLED_PAYMENTS[payment.method]
        if payment.customer:
            body["customer_details"] = dict(payment.customer)
        snap = ctx.base_url.replace("://api.", "://app.")
        data = self._call(ctx, "POST", snap.rstrip("/") + "/snap/v1/transactions", body)
        return SessionResult(
            status=states.PENDING,
            redirect_url=data.get("redirect_url"),
            instructions={"snap_token": data.get("token", "")},
        )

    def _pay_code(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        """A pay code for an Indomaret or Alfamart counter (Core API ``cstore`` charge):
        the customer tells it to the cashier and pays there; the gateway then notifies."""
        store = str(payment.customer.get("channel") or RETAIL_OUTLETS[0]).lower()
        if store not in RETAIL_OUTLETS:
            raise Invalid(
                "Pay at Indomaret or Alfamart, not {store}",
                store=store,
                fields={"customer": ["channel: indomaret or alfamart"]},
            )
        body = {
            "payment_type": "cstore",
            "transaction_details": {
                "order_id": payment.reference,
                "gross_amount": whole_rupiah(payment.amount),
            },
            "cstore": {"store": store, "message": (payment.description or payment.reference)[:20]},
        }
        data = self._call(ctx, "POST", "/v2/charge", body)
        return SessionResult(
            status=states.PENDING,
            external_id=data.get("transaction_id"),
            instructions={
                "channel": store,
                "payment_code": str(data.get("payment_code", "")),
                "amount": str(payment.amount),
            },
        )

    def get_status(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent | None:
        answer = ctx.http("GET", f"/v2/{payment.reference}/status", basic_auth=self._key(ctx))
        data = answer.json()
        if not isinstance(data, dict) or str(data.get("status_code")) == "404":
            return None
        if answer.status >= 400 or "transaction_status" not in data:
            raise Conflict("Midtrans refused the request: {message}", message=_message(data))
        return event_from(data)

    def verify_webhook(self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes) -> bool:
        key = str(ctx.settings.get("server_key") or "")
        try:
            data = json_body(body)
            parts = [data["order_id"], data["status_code"], data["gross_amount"]]
            given = data["signature_key"]
        except (KeyError, Invalid):
            return False
        if not key or not all(isinstance(p, str) for p in [*parts, given]):
            return False
        return hmac.compare_digest(signature(*parts, key), given) and codes_agree(data)

    def parse_webhook(
        self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes
    ) -> list[GatewayEvent]:
        return [event_from(json_body(body))]

    def capture(self, ctx: GatewayContext, payment: PaymentRef, amount: Decimal) -> GatewayEvent:
        body = {"transaction_id": payment.external_id, "gross_amount": whole_rupiah(amount)}
        return event_from(self._call(ctx, "POST", "/v2/capture", body))

    def void(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent:
        return event_from(self._call(ctx, "POST", f"/v2/{payment.reference}/cancel"))

    def refund(
        self, ctx: GatewayContext, payment: PaymentRef, amount: Decimal, key: str, reason: str
    ) -> RefundResult:
        body = {"refund_key": key, "amount": whole_rupiah(amount), "reason": reason}
        data = self._call(ctx, "POST", f"/v2/{payment.reference}/refund", body)
        return RefundResult(
            external_id=str(data.get("refund_chargeback_id") or key),
            amount=Decimal(str(data.get("refund_amount", amount))),
        )


def _message(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    messages = data.get("error_messages") or [data.get("status_message", "")]
    return "; ".join(str(m) for m in messages if m)
