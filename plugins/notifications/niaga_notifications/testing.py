"""Local stand-ins for the parties a notification or webhook reaches, for tests (and for
trying the plugin out without accounts): real servers on 127.0.0.1, spoken to over the
network exactly as the plugin speaks to the real ones.

* :class:`WhatsAppCloudStandIn`: Meta's WhatsApp Cloud API
  ``POST /{version}/{phone-number-id}/messages`` as documented: Bearer token, the JSON
  text-message body, the answer
  ``{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id": "wamid..."}]}``
  and errors as ``{"error": {"message", "type", "code", "fbtrace_id"}}``. Unlike Meta it
  honours ``Idempotency-Key``: a repeat gets the first answer and is not delivered twice
  (what a gateway in front of the API does; see the README's "Sent once").
* :class:`SmtpSink`: an SMTP server (aiosmtpd) that keeps what it accepts.
* :class:`PrincipalReceiver`: the principal's webhook receiver; it checks the signature
  and the timestamp the way the guide tells the principal to, and refuses forgeries.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUIRED_TEXT_FIELDS = {"messaging_product", "to", "type", "text"}


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class WhatsAppCloudStandIn(_Server):
    """The Cloud API for one phone number id and token."""

    def __init__(self, phone_number_id: str = "106540352242922", token: str = "EAAG-test") -> None:
        self.phone_number_id = phone_number_id
        self.token = token
        self.delivered: list[dict[str, Any]] = []  # messages that reach a phone
        self.requests: list[dict[str, Any]] = []  # every request, repeats included
        self.answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self.failures_to_give = 0
        self.hold_seconds = 0.0  # accept, then wait before answering (a worker can die)
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                status, answer = stand_in.handle(self)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may be gone (killed)
                    self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)

    @staticmethod
    def _error(
        status: int, code: int, message: str, kind: str = "OAuthException"
    ) -> tuple[int, dict[str, Any]]:
        return status, {
            "error": {"message": message, "type": kind, "code": code, "fbtrace_id": "Atest"}
        }

    def handle(self, request: BaseHTTPRequestHandler) -> tuple[int, dict[str, Any]]:
        raw = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        key = request.headers.get("Idempotency-Key", "")
        with self.lock:
            self.requests.append(
                {"path": request.path, "headers": dict(request.headers), "raw": raw}
            )
            if key and key in self.answers:
                return self.answers[key]
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[2] != "messages" or not parts[0].startswith("v"):
            return self._error(404, 803, "Unknown path components", "GraphMethodException")
        if parts[1] != self.phone_number_id:
            return self._error(
                400, 100, "Unsupported post request. Object does not exist", "GraphMethodException"
            )
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self._error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        try:
            body = json.loads(raw)
        except ValueError:
            return self._error(400, 100, "Invalid parameter")
        missing = REQUIRED_TEXT_FIELDS - set(body)
        if missing or body.get("messaging_product") != "whatsapp" or body.get("type") != "text":
            return self._error(400, 100, f"(#100) Invalid parameter: {sorted(missing)}")
        to = str(body["to"])
        if not to.isdigit() or not 8 <= len(to) <= 15:
            return self._error(400, 131009, "(#131009) Parameter value is not valid")
        if not str(body["text"].get("body", "")).strip():
            return self._error(400, 100, "(#100) The parameter text['body'] is required.")
        with self.lock:
            if self.failures_to_give > 0:
                self.failures_to_give -= 1
                return self._error(503, 131000, "Something went wrong", "OAuthException")
            wamid = (
                "wamid." + hashlib.sha1(f"{len(self.delivered)}:{raw!r}".encode()).hexdigest()[:24]
            )
            self.delivered.append(
                {"to": to, "text": body["text"]["body"], "key": key, "id": wamid, "body": body}
            )
            answer = (
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": to, "wa_id": to}],
                    "messages": [{"id": wamid}],
                },
            )
            if key:
                self.answers[key] = answer
        if self.hold_seconds:
            time.sleep(self.hold_seconds)
        return answer


class SmtpSink:
    """An SMTP server on 127.0.0.1 (aiosmtpd) keeping each accepted message; ``unique``
    counts them by ``Message-ID``, as a mailbox that drops repeats would."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
                sink.messages.append(message)  # type: ignore[arg-type]
                return "250 Message accepted for delivery"

        with socket.socket() as probe:  # aiosmtpd checks its server by connecting: no port 0
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()
        self.host, self.port = "127.0.0.1", port

    @property
    def unique(self) -> dict[str, Any]:
        return {m["Message-ID"]: m for m in self.messages}

    def close(self) -> None:
        self.controller.stop()


class PrincipalReceiver(_Server):
    """The principal's end: verifies ``X-Niaga-Signature`` over ``timestamp.body`` with the
    shared secret and a fresh timestamp; answers 401 to anything else."""

    def __init__(self, secret: str) -> None:
        from niaga_notifications.principal import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

        self.secret = secret
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[dict[str, Any]] = []
        self.failures_to_give = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen = {"headers": dict(self.headers), "body": body}
                good = verify(
                    receiver.secret,
                    self.headers.get(TIMESTAMP_HEADER, ""),
                    body,
                    self.headers.get(SIGNATURE_HEADER, ""),
                )
                if not good:
                    receiver.refused.append(seen)
                    status = 401
                elif receiver.failures_to_give > 0:
                    receiver.failures_to_give -= 1
                    receiver.refused.append(seen)
                    status = 503
                else:
                    receiver.accepted.append({**seen, "json": json.loads(body)})
                    status = 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)
        self.url = self.base_url + "/niaga/webhook"
