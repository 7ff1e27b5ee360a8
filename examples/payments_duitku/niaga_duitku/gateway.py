"""Duitku (API v2), written from its public documentation.

- Start: ``POST /webapi/api/merchant/v2/inquiry`` (JSON) with ``signature`` = MD5 of
  ``merchantCode + merchantOrderId + paymentAmount + apiKey``; the answer has the Duitku
  ``reference``, a ``paymentUrl`` and, per method, a ``vaNumber`` or ``qrString``.
- Status: ``POST /webapi/api/merchant/transactionStatus`` with ``signature`` = MD5 of
  ``merchantCode + merchantOrderId + apiKey``; ``statusCode`` 00 paid, 01 in process,
  02 failed or cancelled.
- Callback: form-encoded, ``signature`` = MD5 of ``merchantCode + amount +
  merchantOrderId + apiKey``; ``resultCode`` 00 paid, 01 failed. **``resultCode`` is not
  signed**: a genuine callback of a failed payment re-posted with ``resultCode=00`` passes
  the signature check. That is why the adapter declares the ``status`` capability and leaves
  ``signed_status`` off: the payments plugin believes a callback's "paid" only once the
  status API says so.
"""

from __future__ import annotations

import hashlib
import hmac
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
    whole_rupiah,
)

#: Duitku's payment method codes for Niaga's methods
METHOD_CODES = {"virtual_account": "BC", "qris": "SP"}
#: ``statusCode`` of the status API
STATUSES = {"00": states.PAID, "01": states.PENDING, "02": states.FAILED}
#: ``resultCode`` of a callback
RESULTS = {"00": states.PAID, "01": states.FAILED}


def md5(*parts: Any) -> str:
    """Duitku's signature: hex MD5 of the parts joined as they are sent (its scheme, not
    ours to choose)."""
    return hashlib.md5("".join(str(p) for p in parts).encode()).hexdigest()  # noqa: S324


def callback_signature(merchant_code: str, amount: str, order_id: str, api_key: str) -> str:
    return md5(merchant_code, amount, order_id, api_key)


def inquiry_signature(merchant_code: str, order_id: str, amount: int, api_key: str) -> str:
    return md5(merchant_code, order_id, amount, api_key)


def status_signature(merchant_code: str, order_id: str, api_key: str) -> str:
    return md5(merchant_code, order_id, api_key)


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


class Duitku(GatewayAdapter):
    name = "duitku"
    label: ClassVar[dict[str, str]] = {"id": "Duitku", "en": "Duitku"}
    methods = ("virtual_account", "qris")
    capabilities = frozenset({"session", "status", "webhook"})
    sandbox_url = "https://sandbox.duitku.com"
    production_url = "https://passport.duitku.com"

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        return {
            "merchant_code": ma.fields.String(load_default=""),
            "api_key": ma.fields.String(load_default="", metadata={"secret": True}),
        }

    def _keys(self, ctx: GatewayContext) -> tuple[str, str]:
        code, key = (str(ctx.settings.get(n) or "") for n in ("merchant_code", "api_key"))
        if not code or not key:
            raise Refused("Set the Duitku merchant code and API key in the payment settings")
        return code, key

    def _call(self, ctx: GatewayContext, path: str, body: Mapping[str, Any]) -> Any:
        answer = ctx.http("POST", path, json_body=dict(body))
        data = answer.json()
        if answer.status >= 400 or not isinstance(data, dict):
            message = data.get("Message", "") if isinstance(data, dict) else ""
            raise Conflict(
                "Duitku refused the request: {message}", message=message or answer.status
            )
        return data

    def create_session(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        code, key = self._keys(ctx)
        amount = whole_rupiah(payment.amount)
        body = {
            "merchantCode": code,
            "paymentAmount": amount,
            "paymentMethod": METHOD_CODES.get(payment.method, "BC"),
            "merchantOrderId": payment.reference,
            "productDetails": payment.description or payment.reference,
            "email": str(payment.customer.get("email", "")),
            "callbackUrl": ctx.webhook_url,
            "returnUrl": ctx.webhook_url,
            "signature": inquiry_signature(code, payment.reference, amount, key),
        }
        data = self._call(ctx, "/webapi/api/merchant/v2/inquiry", body)
        if data.get("statusCode") != "00":
            raise Conflict(
                "Duitku refused the request: {message}", message=data.get("statusMessage")
            )
        shown = {"va_number": data.get("vaNumber"), "qris": data.get("qrString")}
        return SessionResult(
            status=states.PENDING,
            external_id=data.get("reference"),
            redirect_url=data.get("paymentUrl"),
            instructions={k: str(v) for k, v in shown.items() if v},
        )

    def get_status(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent | None:
        code, key = self._keys(ctx)
        body = {
            "merchantCode": code,
            "merchantOrderId": payment.reference,
            "signature": status_signature(code, payment.reference, key),
        }
        data = self._call(ctx, "/webapi/api/merchant/transactionStatus", body)
        status = STATUSES.get(str(data.get("statusCode")), states.PENDING)
        return GatewayEvent(
            reference=str(data.get("merchantOrderId") or payment.reference),
            status=status,
            dedupe_key=f"status:{payment.reference}:{status}",
            amount=_amount(data.get("amount")),
            external_id=data.get("reference") or None,
            fee=_amount(data.get("fee")),
            raw=dict(data),
        )

    def verify_webhook(self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes) -> bool:
        code, key = (str(ctx.settings.get(n) or "") for n in ("merchant_code", "api_key"))
        try:
            fields = dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError):
            return False
        if not code or not key or fields.get("merchantCode") != code:
            return False
        parts = [fields.get(n, "") for n in ("amount", "merchantOrderId")]
        expected = callback_signature(code, parts[0], parts[1], key)
        return hmac.compare_digest(expected, fields.get("signature", ""))

    def parse_webhook(
        self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes
    ) -> list[GatewayEvent]:
        fields = dict(parse_qsl(body.decode(), keep_blank_values=True))
        status = RESULTS.get(fields.get("resultCode", ""), states.PENDING)
        return [
            GatewayEvent(
                reference=fields.get("merchantOrderId", ""),
                # the signed fields and Niaga's reading of the rest
                dedupe_key=f"{fields.get('merchantOrderId')}:{fields.get('amount')}:{status}",
                status=status,
                amount=_amount(fields.get("amount")),
                external_id=fields.get("reference") or None,
                raw=fields,
            )
        ]
