"""Composing the notification (inside the order's transaction) and sending it (after commit).

The request follows the WhatsApp Business Cloud API's text message; any endpoint that takes
that body (a gateway, a self-hosted bridge) works. Delivery is at least once, so every
request carries an ``Idempotency-Key`` the receiver can use to drop repeats.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from sqlalchemy.orm import Session

from niaga import outbox, settings
from niaga.l10n import format_money

TOPIC = "whatsapp.send"
TIMEOUT_SECONDS = 10


def queue_order_confirmed(session: Session, order: Any) -> None:
    """Queue the message for a confirmed order ``Document``; nothing when not configured."""
    recipient = settings.get(session, "whatsapp.recipient")
    if not (recipient and settings.get(session, "whatsapp.endpoint")):
        return
    text = compose(settings.get(session, "whatsapp.template"), order)
    outbox.enqueue(
        session, TOPIC, {"to": recipient, "text": text, "key": f"{order.reference}:confirmed"}
    )


def compose(template: str, order: Any) -> str:
    """The message text for ``order`` (the settings schema checked the template)."""
    return template.format(
        number=order.number, customer=order.party_name or "-", total=format_money(order.total)
    )


def send(session: Session, payload: dict[str, Any]) -> None:
    """Outbox handler: POST the message; raising makes the outbox retry it later."""
    endpoint = settings.get(session, "whatsapp.endpoint")
    token = settings.get(session, "whatsapp.token")
    session.rollback()  # end the read before calling out: no transaction waits on the network
    if not endpoint:
        raise RuntimeError("whatsapp.endpoint is not set")
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": payload["to"],
        "type": "text",
        "text": {"preview_url": False, "body": payload["text"]},
    }
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": payload["key"],
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as exc:  # the token never goes into the error text
        raise RuntimeError(f"WhatsApp endpoint answered {exc.code}") from None
