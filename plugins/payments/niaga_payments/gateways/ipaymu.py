"""iPaymu API v2 signatures, ready for an iPaymu adapter (not built yet; the shared
signature vectors cover iPaymu, so the formulas are kept and tested here).

* Requests: ``hex(HMAC-SHA256(api_key, METHOD:VA:hex(sha256(body)):api_key))``.
* Callbacks (``X-Signature``): the form fields, typed as iPaymu types them, sorted by key
  (byte order), as compact JSON with ``/`` escaped, signed with HMAC-SHA256 keyed by the
  VA number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qsl

INTEGER_FIELDS = ("trx_id", "status_code", "transaction_status_code", "paid_off")


def request_signature(method: str, va: str, body: bytes, api_key: str) -> str:
    """The ``signature`` header of a request to iPaymu."""
    text = f"{method.upper()}:{va}:{hashlib.sha256(body).hexdigest().lower()}:{api_key}"
    return hmac.new(api_key.encode(), text.encode(), hashlib.sha256).hexdigest()


def callback_document(form_body: str) -> str:
    """The JSON text iPaymu signs for a form-encoded callback."""
    fields: dict[str, Any] = dict(parse_qsl(form_body, keep_blank_values=True))
    fields.pop("signature", None)
    for name in INTEGER_FIELDS:
        if name in fields:
            fields[name] = int(fields[name])
    if "is_escrow" in fields:
        fields["is_escrow"] = fields["is_escrow"] in ("1", "true")
    if fields.get("additional_info", "[]") == "[]":
        fields["additional_info"] = []
    ordered = {key: fields[key] for key in sorted(fields, key=lambda k: k.encode())}
    return json.dumps(ordered, separators=(",", ":")).replace("/", "\\/")


def callback_signature(form_body: str, va: str) -> str:
    """The ``X-Signature`` iPaymu puts on a callback."""
    document = callback_document(form_body)
    return hmac.new(va.encode(), document.encode(), hashlib.sha256).hexdigest()
