"""Receiving a gateway's notification (webhook).

The size is checked first (gateways send a few kilobytes; more is refused with 413), then
the signature on the raw bytes: a notification that fails it is refused with 401 and leaves
nothing behind but a log line. A genuine one is stored, redacted, and applied in one
transaction (see :mod:`niaga_payments.events`, which confirms claims of payment with the
gateway before believing them).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from niaga.auth import Unauthorized
from niaga.errors import NiagaError, NotFound
from niaga_payments import events, registry
from niaga_payments.redaction import readable_body

log = logging.getLogger(__name__)

#: headers kept with a stored notification; tokens and signatures are not kept
KEPT_HEADERS = ("content-type", "webhook-id", "client-id", "request-id", "request-timestamp")
#: the largest notification accepted, in bytes
MAX_BODY = 64 * 1024


class TooLarge(NiagaError):
    code = "too_large"
    status = 413


def receive(
    session: Session, gateway: str, headers: Mapping[str, str], body: bytes, origin: str = ""
) -> list[str]:
    """Verify, store and apply a notification; returns the outcome of each event in it."""
    if len(body) > MAX_BODY:
        raise TooLarge("A notification may be at most {size} bytes", size=MAX_BODY)
    adapter = registry.usable(session, gateway)
    if "webhook" not in adapter.capabilities:
        raise NotFound("The {gateway} gateway sends no notifications", gateway=gateway)
    ctx = registry.context(session, adapter)
    if not adapter.verify_webhook(ctx, headers, body):
        log.warning("payments: refused a %s notification from %s: bad signature", gateway, origin)
        raise Unauthorized("The notification's signature is not valid")
    kept = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    payload: dict[str, Any] = {"headers": kept, "body": readable_body(body)}
    return [
        events.apply(session, adapter, event, kind="notification", payload=payload)
        for event in adapter.parse_webhook(ctx, headers, body)
    ]
