"""A Midtrans stand-in: Snap ``POST /snap/v1/transactions`` and the Core API
``/v2/charge`` (``cstore``: Indomaret and Alfamart pay codes), ``/v2/<order_id>/status``,
``/v2/<order_id>/cancel``, ``/v2/capture``, ``/v2/<order_id>/refund``, with Basic auth by
server key, and HTTP notifications signed with ``signature_key`` as Midtrans documents
them."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from niaga_payments.gateways.midtrans import signature
from niaga_payments.testing.standin import Notification, Received, StandIn

SERVER_KEY = "SB-Mid-server-FAKE-standin-key"
# Niaga status -> (transaction_status, status_code)
WORDS = {
    "pending": ("pending", "201"),
    "requires_action": ("capture", "201"),  # a card payment the fraud check challenged
    "paid": ("settlement", "200"),
    "authorized": ("authorize", "200"),
    "failed": ("deny", "202"),
    "expired": ("expire", "202"),
    "cancelled": ("cancel", "202"),
}


class MidtransStandIn(StandIn):
    gateway = "midtrans"
    statuses = ("pending", "paid", "failed", "expired", "cancelled")
    routes: ClassVar[list[tuple[str, str, str]]] = [
        ("POST", r"/snap/v1/transactions", "create"),
        ("POST", r"/v2/charge", "charge"),
        ("GET", r"/v2/([^/]+)/status", "status"),
        ("POST", r"/v2/([^/]+)/cancel", "cancel"),
        ("POST", r"/v2/capture", "capture"),
        ("POST", r"/v2/([^/]+)/refund", "refund"),
    ]

    @property
    def settings(self) -> dict[str, Any]:
        return {**super().settings, "server_key": SERVER_KEY, "client_key": "SB-Mid-client-X"}

    def _authorised(self, request: Received) -> bool:
        expected = "Basic " + base64.b64encode(f"{SERVER_KEY}:".encode()).decode()
        return request.headers.get("Authorization") == expected

    def _body(self, txn: dict[str, Any], code: str | None = None) -> dict[str, Any]:
        status_code = code or txn["status_code"]
        gross = txn["gross_amount"]
        body = {
            "transaction_time": txn["time"],
            "transaction_status": txn["transaction_status"],
            "transaction_id": txn["transaction_id"],
            "status_message": "midtrans payment notification",
            "status_code": status_code,
            "signature_key": signature(txn["order_id"], status_code, gross, SERVER_KEY),
            "payment_type": txn["payment_type"],
            "order_id": txn["order_id"],
            "merchant_id": "G000000000",
            "gross_amount": gross,
            "fraud_status": txn.get("fraud_status", "accept"),
            "currency": "IDR",
        }
        if txn["transaction_status"] == "settlement":
            body["settlement_time"] = txn["time"]
        if txn["payment_type"] == "cstore":
            body["payment_code"], body["store"] = txn["payment_code"], txn["store"]
        if txn.get("refunds"):
            body["refunds"] = txn["refunds"]
            body["refund_amount"] = txn["refunds"][-1]["refund_amount"]
        return body

    def create(self, request: Received) -> tuple[int, Any]:
        if not self._authorised(request):
            return 401, {"error_messages": ["Access denied due to unauthorized transaction"]}
        details = (request.data or {}).get("transaction_details") or {}
        order_id, gross = details.get("order_id"), details.get("gross_amount")
        if not order_id or not isinstance(gross, int) or gross < 1:
            return 400, {"error_messages": ["transaction_details.gross_amount is not valid"]}
        if order_id in self.transactions:
            return 409, {"error_messages": ["transaction_details.order_id sudah digunakan"]}
        token = str(uuid.uuid4())
        self.transactions[order_id] = {
            "order_id": order_id,
            "sent_amount": gross,
            "gross_amount": f"{gross}.00",
            "transaction_id": str(uuid.uuid4()),
            "transaction_status": "pending",
            "status_code": "201",
            "payment_type": "bank_transfer",
            "time": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "refunds": [],
        }
        return 201, {
            "token": token,
            "redirect_url": f"{self.base_url}/snap/v4/redirection/{token}",
        }

    def charge(self, request: Received) -> tuple[int, Any]:
        """Core API charge; only ``cstore`` (a pay code for an Indomaret or Alfamart
        counter), as Niaga uses it."""
        if not self._authorised(request):
            return 401, {"status_code": "401", "status_message": "Unauthorized"}
        data = request.data or {}
        details = data.get("transaction_details") or {}
        order_id, gross = details.get("order_id"), details.get("gross_amount")
        store = (data.get("cstore") or {}).get("store")
        if data.get("payment_type") != "cstore" or store not in ("indomaret", "alfamart"):
            return 400, {"status_code": "400", "status_message": "payment_type is not valid"}
        if not order_id or not isinstance(gross, int) or gross < 1:
            return 400, {"status_code": "400", "status_message": "gross_amount is not valid"}
        if order_id in self.transactions:
            return 406, {"status_code": "406", "status_message": "order_id has been used"}
        self.transactions[order_id] = {
            "order_id": order_id,
            "sent_amount": gross,
            "gross_amount": f"{gross}.00",
            "transaction_id": str(uuid.uuid4()),
            "transaction_status": "pending",
            "status_code": "201",
            "payment_type": "cstore",
            "store": store,
            "payment_code": str(uuid.uuid4().int)[:14],
            "time": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "refunds": [],
        }
        return 201, {**self._body(self.transactions[order_id]), "status_message": "Success"}

    def status(self, request: Received, order_id: str) -> tuple[int, Any]:
        if not self._authorised(request):
            return 401, {"status_code": "401", "status_message": "Unauthorized"}
        txn = self.transactions.get(order_id)
        if txn is None:
            return 404, {"status_code": "404", "status_message": "Transaction doesn't exist."}
        return 200, self._body(txn)

    def _change(self, txn: dict[str, Any], words: tuple[str, str]) -> None:
        txn["transaction_status"], txn["status_code"] = words
        txn["fraud_status"] = "challenge" if words == WORDS["requires_action"] else "accept"

    def cancel(self, request: Received, order_id: str) -> tuple[int, Any]:
        txn = self.transactions.get(order_id)
        if txn is None:
            return 404, {"status_code": "404", "status_message": "Transaction doesn't exist."}
        if txn["transaction_status"] not in ("pending", "authorize", "capture"):
            return 412, {
                "status_code": "412",
                "status_message": "Merchant cannot modify the status of the transaction",
            }
        self._change(txn, ("cancel", "200"))
        return 200, self._body(txn)

    def capture(self, request: Received) -> tuple[int, Any]:
        wanted = (request.data or {}).get("transaction_id")
        txn = next((t for t in self.transactions.values() if t["transaction_id"] == wanted), None)
        if txn is None or txn["transaction_status"] != "authorize":
            return 412, {"status_code": "412", "status_message": "Cannot capture"}
        self._change(txn, ("capture", "200"))
        return 200, self._body(txn)

    def refund(self, request: Received, order_id: str) -> tuple[int, Any]:
        txn = self.transactions.get(order_id)
        data = request.data or {}
        if txn is None:
            return 404, {"status_code": "404", "status_message": "Transaction doesn't exist."}
        for done in txn["refunds"]:
            if done["refund_key"] == data.get("refund_key"):
                return 200, {**self._body(txn), **done, "status_code": "200"}
        already = sum(Decimal(r["refund_amount"]) for r in txn["refunds"])
        amount = data.get("amount")
        left = Decimal(txn["gross_amount"]) - already
        if txn["transaction_status"] not in ("settlement", "partial_refund") or not (
            isinstance(amount, int) and 0 < amount <= left
        ):
            return 412, {"status_code": "412", "status_message": "Refund is not allowed"}
        record = {
            "refund_chargeback_id": len(txn["refunds"]) + 1,
            "refund_amount": f"{amount}.00",
            "refund_key": data.get("refund_key"),
            "reason": data.get("reason", ""),
            "created_at": txn["time"],
        }
        txn["refunds"].append(record)
        self._change(txn, ("refund" if amount == left else "partial_refund", "200"))
        return 200, {**self._body(txn), **record, "status_code": "200"}

    # --- notifications ----------------------------------------------------------------

    def settle(self, reference: str, status: str) -> None:
        with self.lock:
            self._change(self.transactions[reference], WORDS[status])

    def notification(
        self, reference: str, status: str, amount: Decimal | None = None
    ) -> Notification:
        with self.lock:
            txn = dict(self.transactions[reference])
        self._change(txn, WORDS[status])
        if amount is not None:
            txn["gross_amount"] = f"{amount:.2f}"
        body = self._body(txn)
        return Notification({"Content-Type": "application/json"}, json.dumps(body).encode())

    def tampered(self, reference: str) -> list[Notification]:
        """Genuinely signed notifications with the unsigned ``transaction_status`` or
        ``fraud_status`` changed to claim success: a pending payment re-posted as
        ``settlement``, and a challenged card capture re-posted as ``accept``."""
        with self.lock:
            txn = dict(self.transactions[reference])
        self._change(txn, WORDS["pending"])
        pending = {**self._body(txn), "transaction_status": "settlement"}
        self._change(txn, WORDS["requires_action"])
        challenged = {**self._body(txn), "fraud_status": "accept"}
        return [
            Notification({"Content-Type": "application/json"}, json.dumps(body).encode())
            for body in (pending, challenged)
        ]

    def forge(self, notification: Notification) -> Notification:
        body = json.loads(notification.body)
        body["signature_key"] = signature(
            body["order_id"], body["status_code"], body["gross_amount"], "not-the-server-key"
        )
        return Notification(notification.headers, json.dumps(body).encode())

    def amount_sent(self, reference: str) -> Any:
        return self.transaction(reference)["sent_amount"]
