"""A Duitku stand-in for the conformance kit: ``/webapi/api/merchant/v2/inquiry`` and
``/webapi/api/merchant/transactionStatus`` checking their MD5 signatures, and form-encoded
callbacks signed as Duitku signs them, on 127.0.0.1."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

from niaga_duitku.gateway import callback_signature, inquiry_signature, status_signature
from niaga_payments.testing.standin import Notification, Received, StandIn

MERCHANT_CODE = "DS00000"
API_KEY = "FAKE-duitku-standin-api-key"
FEE = 4000
#: Niaga status -> (status API ``statusCode``, callback ``resultCode``)
CODES = {"pending": ("01", None), "paid": ("00", "00"), "failed": ("02", "01")}


class DuitkuStandIn(StandIn):
    gateway = "duitku"
    statuses = ("paid", "failed")  # Duitku calls back with a result only
    routes: ClassVar[list[tuple[str, str, str]]] = [
        ("POST", r"/webapi/api/merchant/v2/inquiry", "inquiry"),
        ("POST", r"/webapi/api/merchant/transactionStatus", "status"),
    ]

    def __init__(self, webhook_path: str = "") -> None:
        super().__init__(webhook_path)
        self._ids = itertools.count(1)

    @property
    def settings(self) -> dict[str, Any]:
        return {**super().settings, "merchant_code": MERCHANT_CODE, "api_key": API_KEY}

    def inquiry(self, request: Received) -> tuple[int, Any]:
        data = request.data or {}
        order_id, amount = data.get("merchantOrderId"), data.get("paymentAmount")
        if data.get("merchantCode") != MERCHANT_CODE or data.get("signature") != (
            inquiry_signature(MERCHANT_CODE, str(order_id), amount, API_KEY)
        ):
            return 401, {"Message": "Wrong signature"}
        if not isinstance(amount, int) or amount < 1 or order_id in self.transactions:
            return 400, {"Message": "Bad request"}
        reference = f"DS{MERCHANT_CODE}{next(self._ids):08d}"
        self.transactions[order_id] = {
            "amount": amount,
            "reference": reference,
            "status": "pending",
            "method": data.get("paymentMethod"),
        }
        return 200, {
            "merchantCode": MERCHANT_CODE,
            "reference": reference,
            "paymentUrl": f"{self.base_url}/topup/topupdirectv2.aspx?ref={reference}",
            "vaNumber": "7007014001234567" if data.get("paymentMethod") == "BC" else "",
            "qrString": "",
            "amount": str(amount),
            "statusCode": "00",
            "statusMessage": "SUCCESS",
        }

    def status(self, request: Received) -> tuple[int, Any]:
        data = request.data or {}
        order_id = str(data.get("merchantOrderId", ""))
        if data.get("signature") != status_signature(MERCHANT_CODE, order_id, API_KEY):
            return 401, {"Message": "Wrong signature"}
        txn = self.transactions.get(order_id)
        if txn is None:
            return 400, {"Message": "Transaction not found"}
        return 200, {
            "merchantOrderId": order_id,
            "reference": txn["reference"],
            "amount": str(txn["amount"]),
            "fee": f"{FEE}.00",
            "statusCode": CODES[txn["status"]][0],
            "statusMessage": txn["status"].upper(),
        }

    # --- notifications ----------------------------------------------------------------

    def settle(self, reference: str, status: str) -> None:
        with self.lock:
            self.transactions[reference]["status"] = status

    def _callback(self, reference: str, result: str, amount: Any) -> dict[str, str]:
        txn = self.transaction(reference)
        amount = str(amount if amount is not None else txn["amount"])
        return {
            "merchantCode": MERCHANT_CODE,
            "amount": amount,
            "merchantOrderId": reference,
            "productDetail": reference,
            "additionalParam": "",
            "paymentCode": txn["method"] or "BC",
            "resultCode": result,
            "merchantUserId": "",
            "reference": txn["reference"],
            "signature": callback_signature(MERCHANT_CODE, amount, reference, API_KEY),
        }

    def _send(self, fields: dict[str, str]) -> Notification:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return Notification(headers, urlencode(fields).encode())

    def notification(
        self, reference: str, status: str, amount: Decimal | None = None
    ) -> Notification:
        result = CODES[status][1] or "01"
        return self._send(self._callback(reference, result, int(amount) if amount else None))

    def tampered(self, reference: str) -> list[Notification]:
        """The genuine "paid" callback while Duitku still says in process, and a genuine
        "failed" callback with its unsigned ``resultCode`` changed to 00: both pass the
        signature check, neither may pay."""
        failed = {**self._callback(reference, "01", None), "resultCode": "00"}
        return [self.notification(reference, "paid"), self._send(failed)]

    def forge(self, notification: Notification) -> Notification:
        fields = dict(
            part.split("=", 1) for part in notification.body.decode().split("&") if "=" in part
        )
        fields["signature"] = callback_signature(
            MERCHANT_CODE, fields["amount"], fields["merchantOrderId"], "not-the-api-key"
        )
        return self._send(fields)

    def amount_sent(self, reference: str) -> Any:
        return self.transaction(reference)["amount"]
