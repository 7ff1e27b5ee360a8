"""A DOKU stand-in: Checkout ``POST /checkout/v1/payment`` and
``GET /orders/v1/status/<invoice_number>``, both checking DOKU's request signature, and
HTTP notifications signed the same way with the shop's notification path as
``Request-Target``, as DOKU documents them."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from niaga_payments.gateways.doku import signature
from niaga_payments.testing.standin import Notification, Received, StandIn

CLIENT_ID = "MCH-0001-FAKE-STANDIN"
SECRET_KEY = "SK-FAKE-standin-secret"
WORDS = {"pending": "PENDING", "paid": "SUCCESS", "failed": "FAILED", "expired": "EXPIRED"}


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DokuStandIn(StandIn):
    gateway = "doku"
    statuses = ("pending", "paid", "failed", "expired")
    routes: ClassVar[list[tuple[str, str, str]]] = [
        ("POST", r"/checkout/v1/payment", "create"),
        ("GET", r"/orders/v1/status/([^/]+)", "status"),
    ]

    @property
    def settings(self) -> dict[str, Any]:
        return {**super().settings, "client_id": CLIENT_ID, "secret_key": SECRET_KEY}

    def _signed(self, request: Received) -> bool:
        h = request.headers
        body = request.body if request.method == "POST" else None
        expected = signature(
            SECRET_KEY,
            CLIENT_ID,
            h.get("Request-Id", ""),
            h.get("Request-Timestamp", ""),
            request.path,
            body,
        )
        return h.get("Client-Id") == CLIENT_ID and h.get("Signature") == expected

    def _body(self, txn: dict[str, Any]) -> dict[str, Any]:
        return {
            "service": {"id": "VIRTUAL_ACCOUNT"},
            "acquirer": {"id": "BCA"},
            "channel": {"id": "VIRTUAL_ACCOUNT_BCA"},
            "transaction": {
                "status": txn["status"],
                "date": _timestamp(),
                "original_request_id": txn["request_id"],
            },
            "order": {"invoice_number": txn["invoice_number"], "amount": txn["amount"]},
            "virtual_account_info": {"virtual_account_number": "1900600000000046"},
        }

    def create(self, request: Received) -> tuple[int, Any]:
        if not self._signed(request):
            return 401, {"error": {"message": "Invalid Header Signature"}}
        order = (request.data or {}).get("order") or {}
        amount = order.get("amount")
        if not order.get("invoice_number") or not isinstance(amount, int) or amount < 1:
            return 400, {"error": {"message": "order.amount is invalid"}}
        token = uuid.uuid4().hex
        self.transactions[order["invoice_number"]] = {
            "invoice_number": order["invoice_number"],
            "amount": amount,
            "status": "PENDING",
            "request_id": request.headers.get("Request-Id", ""),
        }
        return 200, {
            "message": ["SUCCESS"],
            "response": {
                "order": {"amount": str(amount), "invoice_number": order["invoice_number"]},
                "payment": {
                    "payment_due_date": 60,
                    "token_id": token,
                    "url": f"{self.base_url}/checkout/link/{token}",
                },
                "uuid": random.randint(10**15, 10**16),
            },
        }

    def status(self, request: Received, invoice_number: str) -> tuple[int, Any]:
        if not self._signed(request):
            return 401, {"error": {"message": "Invalid Header Signature"}}
        txn = self.transactions.get(invoice_number)
        if txn is None:
            return 404, {"error": {"message": "Order not found"}}
        return 200, self._body(txn)

    # --- notifications ----------------------------------------------------------------

    def settle(self, reference: str, status: str) -> None:
        with self.lock:
            self.transactions[reference]["status"] = WORDS[status]

    def notification(
        self, reference: str, status: str, amount: Decimal | None = None
    ) -> Notification:
        with self.lock:
            txn = dict(self.transactions[reference])
        txn["status"] = WORDS[status]
        if amount is not None:
            txn["amount"] = int(amount)
        body = json.dumps(self._body(txn)).encode()
        request_id, timestamp = str(uuid.uuid4()), _timestamp()
        headers = {
            "Content-Type": "application/json",
            "Client-Id": CLIENT_ID,
            "Request-Id": request_id,
            "Request-Timestamp": timestamp,
            "Signature": signature(
                SECRET_KEY, CLIENT_ID, request_id, timestamp, self.webhook_path, body
            ),
        }
        return Notification(headers, body)

    def forge(self, notification: Notification) -> Notification:
        h = notification.headers
        wrong = signature(
            "guessed-secret",
            CLIENT_ID,
            h["Request-Id"],
            h["Request-Timestamp"],
            self.webhook_path,
            notification.body,
        )
        return notification.forged("Signature", wrong)

    def amount_sent(self, reference: str) -> Any:
        return self.transaction(reference)["amount"]
