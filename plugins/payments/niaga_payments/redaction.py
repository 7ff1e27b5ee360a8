"""Keeping secrets out of the event log: what staff can read (``GET
/api/payments/<id>/events``, the admin page) never holds a signature, key, token or
password, and a notification's body is kept parsed, redacted and bounded in size."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

REDACTED = "[redacted]"
#: words in a field name that mark its value as a secret or a signature
SECRET_WORDS = ("signature", "secret", "token", "password", "private", "authorization")
#: field names with a secret-looking word that are plain references
PLAIN = frozenset({"refund_key", "idempotency_key", "client_key", "public_key"})
#: longest text kept from a body that is neither JSON nor a form
MAX_TEXT = 2000


def is_secret(name: str) -> bool:
    """Whether a field called ``name`` holds a secret or a signature."""
    lowered = name.lower()
    if lowered in PLAIN:
        return False
    return lowered.endswith("key") or any(word in lowered for word in SECRET_WORDS)


def redacted(value: Any) -> Any:
    """``value`` with every secret field (at any depth) replaced by ``[redacted]``."""
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret(str(key)) else redacted(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [redacted(item) for item in value]
    return value


def readable_body(body: bytes | None) -> Any:
    """A request or notification body as it is kept: JSON or form fields parsed and
    redacted, other text cut to :data:`MAX_TEXT` characters."""
    if not body:
        return None
    text = body.decode("utf-8", errors="replace")
    try:
        return redacted(json.loads(text))
    except ValueError:
        pass
    fields = parse_qsl(text, keep_blank_values=True)
    if fields and "=" in text:
        return redacted(dict(fields))
    return text[:MAX_TEXT]
