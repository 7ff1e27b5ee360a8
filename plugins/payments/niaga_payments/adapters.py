"""The gateway adapter interface: what a payment gateway plugin implements.

A plugin returns adapter instances from ``payments_gateways``; the built-in ones
(cash, bank transfer, cash on delivery, static QRIS, Midtrans, Xendit, DOKU) come through
the same hook. An adapter holds no state: every call gets a :class:`GatewayContext` with the
gateway's settings, its base URL and an HTTP helper that records each call in the payment's
event log. Adapters speak in :class:`GatewayEvent` values using Niaga's state names
(:mod:`niaga_payments.states`); the payments plugin applies them.

Prove an adapter with the conformance kit in :mod:`niaga_payments.testing`.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

import marshmallow as ma

from niaga.errors import Conflict, Refused
from niaga_payments.redaction import readable_body

#: what an adapter can do; ``capabilities`` is a subset of these
CAPABILITIES = frozenset(
    {
        "session",  # create_session talks to the gateway
        "status",  # get_status asks the gateway
        "webhook",  # the gateway sends signed notifications
        "capture",  # authorised payments are captured later
        "void",  # an unpaid payment can be cancelled at the gateway
        "refund",  # full refunds
        "partial_refund",  # partial refunds
        "manual_confirm",  # staff confirm that the money arrived (cash, transfer, COD, QRIS)
        "proof_upload",  # the customer uploads a proof of transfer
    }
)

METHODS = (
    "cash",
    "bank_transfer",
    "virtual_account",
    "ewallet",
    "qris",
    "card",
    "cod",
    "retail_outlet",  # a pay code for an Alfamart or Indomaret counter
)


@dataclass(frozen=True)
class PaymentRef:
    """What an adapter needs to know about one payment."""

    id: int
    reference: str
    amount: Decimal
    currency: str = "IDR"
    external_id: str | None = None
    method: str = ""
    description: str = ""
    customer: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionResult:
    """What ``create_session`` gives back: the state the payment starts in, the gateway's id,
    where to send the customer and what to show them (VA number, bank account, QR payload)."""

    status: str
    external_id: str | None = None
    redirect_url: str | None = None
    instructions: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayEvent:
    """A notification or status answer, normalised.

    ``reference`` is Niaga's payment reference; ``dedupe_key`` identifies the gateway event
    (the same key means the same event: stored and applied once); ``amount`` is what the
    gateway says was paid (``None`` when it does not say); ``kind`` is ``payment`` or
    ``refund``.
    """

    reference: str
    status: str
    dedupe_key: str
    amount: Decimal | None = None
    external_id: str | None = None
    fee: Decimal | None = None
    method: str | None = None
    kind: str = "payment"
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    """A refund the gateway accepted."""

    external_id: str | None
    amount: Decimal


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclass
class GatewayContext:
    """Everything an adapter call may use: settings, base URL, the webhook path, and
    :meth:`http` (which records each call through ``record``)."""

    name: str
    settings: Mapping[str, Any]
    base_url: str
    webhook_path: str
    webhook_url: str = ""
    record: Callable[[dict[str, Any]], None] | None = None
    timeout: float = 20.0

    def http(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        raw_body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        basic_auth: str | None = None,
    ) -> HttpAnswer:
        """Call ``base_url + path``; answers with status and body (errors included). A
        network failure raises :class:`niaga.errors.Conflict` (HTTP 409) after recording."""
        url = path if path.startswith("http") else self.base_url.rstrip("/") + path
        body = raw_body
        all_headers = {"Accept": "application/json", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":")).encode()
            all_headers.setdefault("Content-Type", "application/json")
        if basic_auth is not None:
            token = base64.b64encode(f"{basic_auth}:".encode()).decode()
            all_headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, data=body, method=method, headers=all_headers)
        exchange: dict[str, Any] = {
            "method": method,
            "url": url,
            "request": readable_body(body),
        }
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = HttpAnswer(response.status, response.read())
        except urllib.error.HTTPError as exc:
            answer = HttpAnswer(exc.code, exc.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            exchange["error"] = str(exc)
            self._record(exchange)
            raise Conflict(
                "The {gateway} gateway cannot be reached; try again later", gateway=self.name
            ) from None
        exchange.update(status=answer.status, response=readable_body(answer.body))
        self._record(exchange)
        return answer

    def _record(self, exchange: dict[str, Any]) -> None:
        if self.record is not None:
            self.record(exchange)


class GatewayAdapter:
    """Base class of payment gateway adapters. Override what the gateway supports and list
    it in ``capabilities``; what is not supported refuses with a clear message."""

    #: unique name, used in URLs (``/api/payments/webhooks/<name>``) and settings keys
    name: ClassVar[str] = ""
    label: ClassVar[dict[str, str]] = {}
    #: payment methods offered; the first is the default
    methods: ClassVar[tuple[str, ...]] = ()
    capabilities: ClassVar[frozenset[str]] = frozenset()
    sandbox_url: ClassVar[str] = ""
    production_url: ClassVar[str] = ""
    #: the notification's signature covers its status and amount, so a gateway that
    #: cannot be asked (no ``status`` capability) may still be believed
    signed_status: ClassVar[bool] = False

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        """The gateway's own settings (keys, tokens, accounts); mark keys and tokens with
        ``metadata={"secret": True}`` so they are masked. Every field needs a default."""
        return {}

    def create_session(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        """Start the payment at the gateway (or, offline, say what the customer must do)."""
        raise NotImplementedError

    def get_status(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent | None:
        """Ask the gateway for the payment's status; ``None`` when it does not know it."""
        raise self._unsupported("status")

    def verify_webhook(self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the notification is genuine: checked on the raw bytes, in constant time."""
        return False

    def parse_webhook(
        self, ctx: GatewayContext, headers: Mapping[str, str], body: bytes
    ) -> list[GatewayEvent]:
        """Turn a verified notification into normalised events."""
        raise self._unsupported("webhook")

    def capture(self, ctx: GatewayContext, payment: PaymentRef, amount: Decimal) -> GatewayEvent:
        """Capture an authorised payment."""
        raise self._unsupported("capture")

    def void(self, ctx: GatewayContext, payment: PaymentRef) -> GatewayEvent:
        """Cancel an unpaid or authorised payment at the gateway."""
        raise self._unsupported("void")

    def refund(
        self, ctx: GatewayContext, payment: PaymentRef, amount: Decimal, key: str, reason: str
    ) -> RefundResult:
        """Give ``amount`` back; ``key`` is unique per refund so a retry is not paid twice."""
        raise self._unsupported("refund")

    def _unsupported(self, what: str) -> Refused:
        return Refused(
            "The {gateway} gateway does not support {what}", gateway=self.name, what=what
        )


def header(headers: Mapping[str, str], name: str) -> str:
    """Header ``name`` whatever its case ("" when absent)."""
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), "")
    return str(value)


def json_body(body: bytes) -> dict[str, Any]:
    """A notification body as a JSON object; refuses anything else."""
    from niaga.errors import Invalid

    try:
        value = json.loads(body)
    except ValueError:
        raise Invalid("The notification body is not JSON") from None
    if not isinstance(value, dict):
        raise Invalid("The notification body is not a JSON object")
    return value


def whole_rupiah(amount: Decimal) -> int:
    """An IDR amount as gateways want it: whole rupiah. Refuses a fraction instead of
    silently rounding money the customer would then be charged."""
    if amount != amount.to_integral_value():
        raise Refused("IDR amounts sent to a gateway must be whole rupiah, not {a}", a=amount)
    return int(amount)
