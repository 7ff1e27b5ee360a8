"""iPaymu API v2: the redirect payment (``POST /api/v2/payment``, a hosted page; only a
session id comes back, the transaction id arrives with the first callback), direct payment
(``POST /api/v2/payment/direct``: a VA number, a QRIS or an Alfamart/Indomaret pay code),
status check (``POST /api/v2/transaction``) and form-encoded callbacks.

* Requests: ``hex(HMAC-SHA256(api_key, METHOD:VA:hex(sha256(body)):api_key))``.
* Callbacks (``X-Signature``): the form fields, typed as iPaymu types them, sorted by key
  (byte order), as compact JSON with ``/`` escaped, signed with HMAC-SHA256 keyed by the
  VA number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import parse_qsl

import marshmallow as ma

from niaga.errors import Conflict, Refused
from niaga_payments import states
from niaga_payments.adapters import (
    GatewayAdapter,
    GatewayContext,
    GatewayEvent,
    PaymentRef,
    SessionResult,
    header,
    whole_rupiah,
)

INTEGER_FIELDS = ("trx_id", "status_code", "transaction_status_code", "paid_off")


def request_signature(method: str, va: str, body: bytes, api_key: str) -> str:
    """The ``signature`` header of a request to iPaymu."""
    text = f"{method.upper()}:{va}:{hashlib.sha256(body).hexdigest().lower()}:{api_key}"
    return hmac.new(api_key.encode(), text.encode(), hashlib.sha256).hexdigest()


def callback_document(form_body: str) -> str:
    """The JSON text iPaymu signs for a form-encoded callback."""
    fields: dict[str, Any] = dict(parse_qsl(form_body, keep_blank_values=True))
    fields.pop("signature", None)
    for name in INTEGER_FIELDS:
        if name in fields:
            fields[name] = int(fields[name])
    if "is_escrow" in fields:
        fields["is_escrow"] = fields["is_escrow"] in ("1", "true")
    if fields.get("additional_info", "[]") == "[]":
        fields["additional_info"] = []
    ordered = {key: fields[key] for key in sorted(fields, key=lambda k: k.encode())}
    return json.dumps(ordered, separators=(",", ":")).replace("/", "\\/")


def callback_signature(form_body: str, va: str) -> str:
    """The ``X-Signature`` iPaymu puts on a callback."""
    document = callback_document(form_body)
    return hmac.new(va.encode(), document.encode(), hashlib.sha256).hexdigest()


#: callback ``status_code`` and status-check ``Status`` -> Niaga's state
STATUSES = {0: states.PENDING, 1: states.PAID, 6: states.PAID, -2: states.EXPIRED}
#: Niaga method -> (iPaymu ``paymentMethod``, default ``paymentChannel``) of direct payment;
#: other methods go through the hosted page
DIRECT = {
    "virtual_account": ("va", "bca"),
    "qris": ("qris", "mpm"),
    "retail_outlet": ("cstore", "alfamart"),
}
RETAIL_OUTLETS = ("alfamart", "indomaret")


def _integer(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def event_from(fields: Mapping[str, Any]) -> GatewayEvent:
    """A callback's fields or a status-check ``Data`` as a :class:`GatewayEvent`."""
    code = _integer(fields.get("status_code", fields.get("Status", "")))
    status = STATUSES.get(code, states.PENDING) if code is not None else states.PENDING
    trx_id = str(fields.get("trx_id", fields.get("TransactionId", "")) or "") or None
    amount = fields.get("amount", fields.get("Amount"))
    fee = fields.get("fee", fields.get("Fee"))
    return GatewayEvent(
        reference=str(fields.get("reference_id", fields.get("ReferenceId", ""))),
        status=status,
        dedupe_key=f"{trx_id}:{status}",
        amount=Decimal(str(amount)) if amount not in (None, "") else None,
        external_id=trx_id,
        fee=Decimal(str(fee)) if fee not in (None, "") else None,
        raw=dict(fields),
    )


class Ipaymu(GatewayAdapter):
    name = "ipaymu"
    label: ClassVar[dict[str, str]] = {"id": "iPaymu", "en": "iPaymu"}
    methods = ("virtual_account", "qris", "retail_outlet", "ewallet")
    capabilities = frozenset({"session", "status", "webhook"})
    sandbox_url = "https://sandbox.ipaymu.com"
    production_url = "https://my.ipaymu.com"
    signed_status = True  # the callback signature covers every field

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        return {
            "va": ma.fields.String(load_default="", metadata={"description": "iPaymu VA"}),
            "api_key": ma.fields.String(load_default="", metadata={"secret": True}),
        }

    def _call(self, ctx: GatewayContext, path: str, body: Mapping[str, Any]) -> Any:
        va, key = str(ctx.settings.get("va") or ""), str(ctx.settings.get("api_key") or "")
        if not va or not key:
            raise Refused("Set the iPaymu VA and API key in the payment settings first")
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "va": va,
            "signature": request_signature("POST", va, raw, key),
            "timestamp": dt.datetime.now().strftime("%Y%m%d%H%M%S"),
        }
        answer = ctx.http("POST", path, raw_body=raw, headers=headers)
        data = answer.json()
        if answer.status >= 400 or not isinstance(data, dict) or data.get("Status") != 200:
            message = data.get("Message", "") if isinstance(data, dict) else ""
            raise Conflict(
                "iPaymu refused the request: {message}", message=message or answer.status
            )
        return data.get("Data") or {}

    def create_session(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        amount = whole_rupiah(payment.amount)
        if payment.method not in DIRECT:
            body = {
                "product": [payment.description or payment.reference],
                "qty": [1],
                "price": [amount],
                "referenceId": payment.reference,
                "notifyUrl": ctx.webhook_url,
            }
            data = self._call(ctx, "/api/v2/payment", body)
            return SessionResult(
                status=states.PENDING,
                redirect_url=data.get("Url"),
                instructions={"session_id": str(data.get("SessionID", ""))},
            )
        method, channel = DIRECT[payment.method]
        wanted = str(payment.customer.get("channel", ""))
        if payment.method == "retail_outlet" and wanted in RETAIL_OUTLETS:
            channel = wanted
        body = {
            "name": str(payment.customer.get("name", "Pelanggan")),
            "phone": str(payment.customer.get("phone", "")),
            "email": str(payment.customer.get("email", "")),
            "amount": amount,
            "referenceId": payment.reference,
            "notifyUrl": ctx.webhook_url,
            "paymentMethod": method,
            "paymentChannel": channel,
        }
        data = self._call(ctx, "/api/v2/payment/direct", body)
        return SessionResult(
            status=states.PENDING,
            external_id=str(data.get("TransactionId", "")) or None,
            instructions={
                "channel": channel,
                "payment_code": str(data.get("PaymentNo", "")),
                "expires": str(data.get("Expired", "")),
            },
        )

    def get_status(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent | None:
        if not payment.external_id:
            return None  # a hosted-page payment: iPaymu names it only in its first callback
        data = self._call(ctx, "/api/v2/transaction", {"transactionId": payment.external_id})
        return event_from(data) if data else None

    def verify_webhook(self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes) -> bool:
        va = str(ctx.settings.get("va") or "")
        given = header(headers, "x-signature")
        try:
            expected = callback_signature(body.decode(), va)
        except (UnicodeDecodeError, ValueError):
            return False
        return bool(va and given) and hmac.compare_digest(expected, given)

    def parse_webhook(
        self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes
    ) -> list[GatewayEvent]:
        return [event_from(dict(parse_qsl(body.decode(), keep_blank_values=True)))]
