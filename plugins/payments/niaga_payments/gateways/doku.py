"""DOKU Checkout (Jokul): ``/checkout/v1/payment`` to start, ``/orders/v1/status/<invoice>``
for status, and HTTP notifications. Requests and notifications are signed alike:

``Signature: HMACSHA256=`` + base64 of HMAC-SHA256(secret key, component), where the
component is ``Client-Id:…\\nRequest-Id:…\\nRequest-Timestamp:…\\nRequest-Target:<path>``
followed, when there is a body, by ``\\nDigest:`` + base64 of SHA-256 of the raw body.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

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
    json_body,
    whole_rupiah,
)

STATUSES = {
    "SUCCESS": states.PAID,
    "PENDING": states.PENDING,
    "FAILED": states.FAILED,
    "EXPIRED": states.EXPIRED,
    "REFUNDED": states.REFUNDED,
}
CHANNELS = {
    "VIRTUAL_ACCOUNT": "virtual_account",
    "EMONEY": "ewallet",
    "CREDIT_CARD": "card",
    "QRIS": "qris",
}


def digest(body: bytes) -> str:
    """Base64 of the SHA-256 of the raw body."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def signature(
    secret: str,
    client_id: str,
    request_id: str,
    timestamp: str,
    target: str,
    body: bytes | None,
) -> str:
    """The ``Signature`` header value for a request or notification."""
    component = (
        f"Client-Id:{client_id}\nRequest-Id:{request_id}\n"
        f"Request-Timestamp:{timestamp}\nRequest-Target:{target}"
    )
    if body is not None:
        component += f"\nDigest:{digest(body)}"
    mac = hmac.new(secret.encode(), component.encode(), hashlib.sha256).digest()
    return "HMACSHA256=" + base64.b64encode(mac).decode()


def event_from(body: Mapping[str, Any]) -> GatewayEvent:
    """A notification or status answer as a :class:`GatewayEvent`."""
    order = body.get("order") or {}
    transaction = body.get("transaction") or {}
    status = str(transaction.get("status", ""))
    amount = order.get("amount")
    channel = str((body.get("service") or {}).get("id", ""))
    return GatewayEvent(
        reference=str(order.get("invoice_number", "")),
        status=STATUSES.get(status, states.PENDING),
        dedupe_key=f"{order.get('invoice_number')}:{status}",
        amount=Decimal(str(amount)) if amount is not None else None,
        method=CHANNELS.get(channel),
        kind="refund" if status == "REFUNDED" else "payment",
        raw=dict(body),
    )


class Doku(GatewayAdapter):
    name = "doku"
    label: ClassVar[dict[str, str]] = {"id": "DOKU", "en": "DOKU"}
    methods = ("virtual_account", "ewallet", "qris", "card")
    capabilities = frozenset({"session", "status", "webhook"})
    sandbox_url = "https://api-sandbox.doku.com"
    production_url = "https://api.doku.com"

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        return {
            "client_id": ma.fields.String(load_default=""),
            "secret_key": ma.fields.String(load_default="", metadata={"secret": True}),
        }

    def _credentials(self, ctx: GatewayContext) -> tuple[str, str]:
        client_id, secret = ctx.settings.get("client_id"), ctx.settings.get("secret_key")
        if not client_id or not secret:
            raise Refused("Set the DOKU client id and secret key in the payment settings first")
        return str(client_id), str(secret)

    def _call(self, ctx: GatewayContext, method: str, target: str, body: Any = None) -> Any:
        client_id, secret = self._credentials(ctx)
        raw = None if body is None else _compact(body)
        request_id = str(uuid.uuid4())
        timestamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        headers = {
            "Client-Id": client_id,
            "Request-Id": request_id,
            "Request-Timestamp": timestamp,
            "Signature": signature(secret, client_id, request_id, timestamp, target, raw),
        }
        if raw is not None:
            headers["Content-Type"] = "application/json"
        answer = ctx.http(method, target, raw_body=raw, headers=headers)
        data = answer.json()
        if answer.status >= 400:
            raise Conflict("DOKU refused the request: {message}", message=_message(data))
        return data

    def create_session(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        body: dict[str, Any] = {
            "order": {
                "amount": whole_rupiah(payment.amount),
                "invoice_number": payment.reference,
                "currency": payment.currency,
            },
            "payment": {"payment_due_date": 60},
        }
        if ctx.webhook_url:
            body["additional_info"] = {"override_notification_url": ctx.webhook_url}
        data = self._call(ctx, "POST", "/checkout/v1/payment", body)
        response = data.get("response") or {}
        return SessionResult(
            status=states.PENDING,
            external_id=response.get("uuid") and str(response["uuid"]),
            redirect_url=(response.get("payment") or {}).get("url"),
        )

    def get_status(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent | None:
        data = self._call(ctx, "GET", f"/orders/v1/status/{payment.reference}")
        return event_from(data) if data and data.get("transaction") else None

    def verify_webhook(self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes) -> bool:
        client_id = str(ctx.settings.get("client_id") or "")
        secret = str(ctx.settings.get("secret_key") or "")
        given = header(headers, "Signature")
        if not client_id or not secret or header(headers, "Client-Id") != client_id:
            return False
        expected = signature(
            secret,
            client_id,
            header(headers, "Request-Id"),
            header(headers, "Request-Timestamp"),
            ctx.webhook_path,
            body,
        )
        return hmac.compare_digest(expected.encode(), given.encode())

    def parse_webhook(
        self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes
    ) -> list[GatewayEvent]:
        return [event_from(json_body(body))]


def _compact(body: Any) -> bytes:
    import json

    return json.dumps(body, separators=(",", ":")).encode()


def _message(data: Any) -> str:
    if isinstance(data, dict):
        error = data.get("error") or {}
        return str(error.get("message") or data.get("message") or "")
    return ""
