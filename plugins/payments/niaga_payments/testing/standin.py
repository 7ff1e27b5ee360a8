"""A local stand-in for a payment gateway's servers: real HTTP on 127.0.0.1 (port 0), in a
thread, answering the gateway's documented API from an in-memory ledger and producing its
notifications (signed, or forged for tests).

Subclasses list ``routes`` (method, path pattern, handler) and implement
:meth:`StandIn.notification` and :meth:`StandIn.settle`. Statuses in this interface are
Niaga's (``pending``, ``paid``, ``failed``, ``expired``, ``cancelled``); each stand-in
translates them to its gateway's words.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


@dataclass(frozen=True)
class Notification:
    """A notification as the gateway sends it: headers and the exact body bytes."""

    headers: dict[str, str]
    body: bytes

    def forged(self, header: str, value: str) -> Notification:
        """The same notification with ``header`` replaced (a wrong signature or token)."""
        return replace(self, headers={**self.headers, header: value})


@dataclass
class Received:
    """A request the stand-in received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    data: Any = field(default=None)


class StandIn:
    """Base of the gateway stand-ins; use as a context manager."""

    gateway: ClassVar[str] = ""
    #: Niaga statuses this gateway can report
    statuses: ClassVar[tuple[str, ...]] = ("pending", "paid")
    routes: ClassVar[list[tuple[str, str, str]]] = []

    def __init__(self, webhook_path: str = "") -> None:
        self.webhook_path = webhook_path or f"/api/payments/webhooks/{self.gateway}"
        self.transactions: dict[str, dict[str, Any]] = {}
        self.received: list[Received] = []
        self.lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def settings(self) -> dict[str, Any]:
        """Gateway settings (keys, tokens) that match this stand-in; the adapter is pointed
        at it through :func:`niaga_payments.registry.use_standin`, never a setting."""
        return {"enabled": True}

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what subclasses provide ------------------------------------------------------

    def notification(
        self, reference: str, status: str, amount: Decimal | None = None
    ) -> Notification:
        """A genuine notification that ``reference`` is now ``status``; ``amount`` defaults
        to the transaction's."""
        raise NotImplementedError

    def forge(self, notification: Notification) -> Notification:
        """``notification`` with a signature or token the shop would not have made."""
        raise NotImplementedError

    def tampered(self, reference: str) -> list[Notification]:
        """Notifications that pass the signature check yet claim a payment the gateway never
        took (unsigned status fields changed); the kit proves none of them pays. By default a
        genuine "paid" notification while the gateway still says pending: only the status
        API can tell."""
        return [self.notification(reference, "paid")]

    def settle(self, reference: str, status: str) -> None:
        """Change the transaction's status at the gateway without notifying anyone (a lost
        notification), so only a status call can tell."""
        raise NotImplementedError

    def amount_sent(self, reference: str) -> Any:
        """The amount the adapter sent for ``reference``, exactly as it was in the JSON."""
        raise NotImplementedError

    # --- plumbing -------------------------------------------------------------------

    def transaction(self, reference: str) -> dict[str, Any]:
        with self.lock:
            return self.transactions[reference]

    def dispatch(self, request: Received) -> tuple[int, Any]:
        with self.lock:
            self.received.append(request)
            path = request.path.split("?", 1)[0]
            for method, pattern, handler in self.routes:
                found = re.fullmatch(pattern, path)
                if method == request.method and found:
                    return getattr(self, handler)(request, *found.groups())
        return 404, {"message": "Not found"}


def _handler_for(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size) if size else b""
            try:
                data = json.loads(body) if body else None
            except ValueError:
                data = None
            request = Received(self.command, self.path, dict(self.headers.items()), body, data)
            status, answer = standin.dispatch(request)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def deliver(target: Any, path: str, notification: Notification) -> int:
    """Send ``notification`` to ``path`` of ``target``: a Flask test client or the base URL
    of a live server. Returns the HTTP status."""
    if isinstance(target, str):
        request = urllib.request.Request(
            target.rstrip("/") + path,
            data=notification.body,
            method="POST",
            headers=notification.headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
    response = target.post(path, data=notification.body, headers=notification.headers)
    return response.status_code
