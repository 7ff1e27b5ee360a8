"""A Xendit stand-in: ``POST /v2/invoices``, ``GET /v2/invoices/<id>``,
``GET /v2/invoices?external_id=``, ``POST /invoices/<id>/expire!`` and ``POST /refunds``
with Basic auth by secret key, and invoice callbacks carrying ``x-callback-token`` and a
``webhook-id`` as Xendit documents them."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import uuid
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from niaga_payments.testing.standin import Notification, Received, StandIn

SECRET_KEY = "xnd_development_FAKE_standin_key"
CALLBACK_TOKEN = "FAKE-standin-callback-token"
FEE = 4440
WORDS = {"pending": "PENDING", "paid": "PAID", "expired": "EXPIRED"}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class XenditStandIn(StandIn):
    gateway = "xendit"
    statuses = ("pending", "paid", "expired")
    routes: ClassVar[list[tuple[str, str, str]]] = [
        ("POST", r"/v2/invoices", "create"),
        ("GET", r"/v2/invoices", "search"),
        ("GET", r"/v2/invoices/([^/]+)", "get"),
        ("POST", r"/invoices/([^/]+)/expire!", "expire"),
        ("POST", r"/refunds", "refund"),
    ]

    def __init__(self, webhook_path: str = "") -> None:
        super().__init__(webhook_path)
        self.refunds: dict[str, dict[str, Any]] = {}

    @property
    def settings(self) -> dict[str, Any]:
        return {**super().settings, "secret_key": SECRET_KEY, "callback_token": CALLBACK_TOKEN}

    def _authorised(self, request: Received) -> bool:
        expected = "Basic " + base64.b64encode(f"{SECRET_KEY}:".encode()).decode()
        return request.headers.get("Authorization") == expected

    def _by_id(self, invoice_id: str) -> dict[str, Any] | None:
        return next((i for i in self.transactions.values() if i["id"] == invoice_id), None)

    def create(self, request: Received) -> tuple[int, Any]:
        if not self._authorised(request):
            return 401, {"error_code": "INVALID_API_KEY", "message": "API key is invalid"}
        data = request.data or {}
        amount = data.get("amount")
        if not data.get("external_id") or not isinstance(amount, int) or amount < 1:
            return 400, {"error_code": "API_VALIDATION_ERROR", "message": "amount is invalid"}
        invoice_id = secrets.token_hex(12)
        invoice = {
            "id": invoice_id,
            "external_id": data["external_id"],
            "user_id": "5848fdf860053555135587e7",
            "status": "PENDING",
            "merchant_name": "Toko Uji",
            "amount": amount,
            "description": data.get("description", ""),
            "currency": data.get("currency", "IDR"),
            "invoice_url": f"{self.base_url}/web/invoices/{invoice_id}",
            "expiry_date": _now(),
            "created": _now(),
            "updated": _now(),
        }
        self.transactions[data["external_id"]] = invoice
        return 200, invoice

    def get(self, request: Received, invoice_id: str) -> tuple[int, Any]:
        invoice = self._by_id(invoice_id)
        if invoice is None:
            return 404, {"error_code": "INVOICE_NOT_FOUND_ERROR", "message": "Not found"}
        return 200, invoice

    def search(self, request: Received) -> tuple[int, Any]:
        wanted = parse_qs(urlsplit(request.path).query).get("external_id", [""])[0]
        return 200, [i for i in self.transactions.values() if i["external_id"] == wanted]

    def expire(self, request: Received, invoice_id: str) -> tuple[int, Any]:
        invoice = self._by_id(invoice_id)
        if invoice is None or invoice["status"] != "PENDING":
            return 404, {"error_code": "INVOICE_NOT_FOUND_ERROR", "message": "Cannot expire"}
        invoice["status"] = "EXPIRED"
        return 200, invoice

    def refund(self, request: Received) -> tuple[int, Any]:
        key = request.headers.get("Idempotency-key") or request.headers.get("Idempotency-Key")
        if key in self.refunds:
            return 200, self.refunds[key]
        data = request.data or {}
        invoice = self._by_id(str(data.get("invoice_id")))
        amount = data.get("amount")
        if invoice is None or invoice["status"] not in ("PAID", "SETTLED"):
            return 400, {"error_code": "INELIGIBLE_REFUND", "message": "Invoice is not paid"}
        done = sum(r["amount"] for r in self.refunds.values() if r["invoice_id"] == invoice["id"])
        if not isinstance(amount, int) or not 0 < amount <= invoice["amount"] - done:
            return 400, {"error_code": "REFUND_AMOUNT_EXCEEDED", "message": "Too much"}
        refund = {
            "id": f"rfd-{uuid.uuid4()}",
            "invoice_id": invoice["id"],
            "reference_id": data.get("reference_id"),
            "amount": amount,
            "currency": "IDR",
            "status": "SUCCEEDED",
            "reason": data.get("reason"),
            "created": _now(),
        }
        self.refunds[key or refund["id"]] = refund
        return 200, refund

    # --- notifications ----------------------------------------------------------------

    def settle(self, reference: str, status: str) -> None:
        with self.lock:
            invoice = self.transactions[reference]
            invoice["status"] = WORDS[status]
            if status == "paid":
                invoice.update(paid_amount=invoice["amount"], fees_paid_amount=FEE)

    def notification(
        self, reference: str, status: str, amount: Decimal | None = None
    ) -> Notification:
        with self.lock:
            invoice = dict(self.transactions[reference])
        invoice["status"] = WORDS[status]
        invoice["updated"] = _now()
        if status == "paid":
            paid = int(amount) if amount is not None else invoice["amount"]
            invoice.update(
                paid_amount=paid,
                paid_at=_now(),
                payment_method="BANK_TRANSFER",
                payment_channel="BCA",
                fees_paid_amount=FEE,
            )
        elif amount is not None:
            invoice["amount"] = int(amount)
        headers = {
            "Content-Type": "application/json",
            "x-callback-token": CALLBACK_TOKEN,
            "webhook-id": str(uuid.uuid4()),
        }
        return Notification(headers, json.dumps(invoice).encode())

    def forge(self, notification: Notification) -> Notification:
        return notification.forged("x-callback-token", "guessed-token")

    def amount_sent(self, reference: str) -> Any:
        return self.transaction(reference)["amount"]
