"""An iPaymu stand-in: ``POST /api/v2/payment`` (hosted page: a session id only),
``POST /api/v2/payment/direct`` (VA, QRIS, Alfamart/Indomaret pay code) and
``POST /api/v2/transaction`` (status check by transaction id), each checking iPaymu's
``va``/``signature`` headers, and form-encoded callbacks signed with ``X-Signature`` as
iPaymu documents them. The transaction id is first told in a callback (or a direct
payment's answer), as at iPaymu."""

from __future__ import annotations

import datetime as dt
import hmac
import itertools
import uuid
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

from niaga_payments.adapters import header
from niaga_payments.gateways.ipaymu import callback_signature, request_signature
from niaga_payments.testing.standin import Notification, Received, StandIn

VA = "0000001179000899"
API_KEY = "FAKE-ipaymu-standin-api-key"
FEE = 3500
# Niaga status -> (status, status_code)
WORDS = {"pending": ("pending", 0), "paid": ("berhasil", 1), "expired": ("expired", -2)}


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


class IpaymuStandIn(StandIn):
    gateway = "ipaymu"
    statuses = ("pending", "paid", "expired")
    routes: ClassVar[list[tuple[str, str, str]]] = [
        ("POST", r"/api/v2/payment", "create"),
        ("POST", r"/api/v2/payment/direct", "direct"),
        ("POST", r"/api/v2/transaction", "status"),
    ]

    def __init__(self, webhook_path: str = "") -> None:
        super().__init__(webhook_path)
        self._ids = itertools.count(78174)

    @property
    def settings(self) -> dict[str, Any]:
        return {**super().settings, "va": VA, "api_key": API_KEY}

    def _signed(self, request: Received) -> bool:
        expected = request_signature("POST", VA, request.body, API_KEY)
        given = header(request.headers, "signature")
        return header(request.headers, "va") == VA and hmac.compare_digest(expected, given)

    def _open(self, reference: str, amount: Any, **extra: Any) -> dict[str, Any] | None:
        if not reference or reference in self.transactions:
            return None
        txn = {
            "reference_id": reference,
            "trx_id": next(self._ids),
            "sid": uuid.uuid4().hex,
            "amount": amount,
            "status": "pending",
            "status_code": 0,
            "created_at": _now(),
            **extra,
        }
        self.transactions[reference] = txn
        return txn

    def create(self, request: Received) -> tuple[int, Any]:
        if not self._signed(request):
            return 401, {"Status": 401, "Message": "unauthorized"}
        data = request.data or {}
        price = (data.get("price") or [None])[0]
        if not isinstance(price, int) or price < 1:
            return 400, {"Status": 400, "Message": "price is not valid"}
        txn = self._open(str(data.get("referenceId", "")), price, via="", channel="")
        if txn is None:
            return 400, {"Status": 400, "Message": "referenceId is used"}
        data = {"SessionID": txn["sid"], "Url": f"{self.base_url}/payment/{txn['sid']}"}
        return 200, {"Status": 200, "Message": "success", "Data": data}

    def direct(self, request: Received) -> tuple[int, Any]:
        if not self._signed(request):
            return 401, {"Status": 401, "Message": "unauthorized"}
        data = request.data or {}
        amount = data.get("amount")
        if not isinstance(amount, int) or amount < 1:
            return 400, {"Status": 400, "Message": "amount is not valid"}
        via, channel = data.get("paymentMethod"), data.get("paymentChannel")
        txn = self._open(str(data.get("referenceId", "")), amount, via=via, channel=channel)
        if txn is None:
            return 400, {"Status": 400, "Message": "referenceId is used"}
        txn["payment_no"] = f"{txn['trx_id']:016d}"
        answer = {
            "SessionId": txn["sid"],
            "TransactionId": txn["trx_id"],
            "ReferenceId": txn["reference_id"],
            "Via": via,
            "Channel": channel,
            "PaymentNo": txn["payment_no"],
            "Total": amount + FEE,
            "Fee": FEE,
            "Expired": _now(),
        }
        return 200, {"Status": 200, "Message": "success", "Data": answer}

    def status(self, request: Received) -> tuple[int, Any]:
        if not self._signed(request):
            return 401, {"Status": 401, "Message": "unauthorized"}
        wanted = str((request.data or {}).get("transactionId", ""))
        txn = next((t for t in self.transactions.values() if str(t["trx_id"]) == wanted), None)
        if txn is None:
            return 400, {"Status": 400, "Message": "transaction not found"}
        answer = {
            "TransactionId": txn["trx_id"],
            "SessionId": txn["sid"],
            "ReferenceId": txn["reference_id"],
            "Amount": txn["amount"],
            "Fee": FEE,
            "Status": txn["status_code"],
            "StatusDesc": txn["status"],
        }
        return 200, {"Status": 200, "Message": "success", "Data": answer}

    # --- notifications ----------------------------------------------------------------

    def settle(self, reference: str, status: str) -> None:
        with self.lock:
            self.transactions[reference]["status"], self.transactions[reference]["status_code"] = (
                WORDS[status]
            )

    def notification(
        self, reference: str, status: str, amount: Decimal | None = None
    ) -> Notification:
        with self.lock:
            txn = dict(self.transactions[reference])
        word, code = WORDS[status]
        fields = {
            "trx_id": txn["trx_id"],
            "sid": txn["sid"],
            "reference_id": reference,
            "status": word,
            "status_code": code,
            "amount": int(amount) if amount is not None else txn["amount"],
            "fee": FEE,
            "via": txn.get("via") or "va",
            "channel": txn.get("channel") or "bca",
            "created_at": txn["created_at"],
        }
        if status == "paid":
            fields["paid_at"] = _now()
        body = urlencode(fields)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Signature": callback_signature(body, VA),
            "X-Timestamp": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        return Notification(headers, body.encode())

    def forge(self, notification: Notification) -> Notification:
        wrong = callback_signature(notification.body.decode(), "9999999999999999")
        return notification.forged("X-Signature", wrong)

    def amount_sent(self, reference: str) -> Any:
        return self.transaction(reference)["amount"]
