"""Inventory's own references as a person reads them: ``inventory.count:3`` is "Stok
opname #3" with a link to it; stock changed by hand (``inventory.adjustment:3f2a...``,
``inventory.receipt:...``) reads as the kind of change, since it has no page of its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from niaga.documents import DocumentLabel, split_reference
from niaga.i18n import gettext
from niaga_inventory.models import StockCount

#: stock changed by hand, by the kind in its reference (English, translated when shown)
BY_HAND = {
    "receipt": "Goods receipt (by hand)",
    "issue": "Goods issue (by hand)",
    "adjustment": "Stock adjustment",
    "transfer": "Stock transfer",
    "opening": "Opening stock",
}


def document_label(session: Session, reference: str) -> Any:
    """The label of an ``inventory.<kind>:<key>`` reference; ``None`` for any other."""
    from flask import url_for

    parts = split_reference(reference)
    if parts is None or parts[0] != "inventory":
        return None
    _, kind, key = parts
    if kind == "count" and key.isdigit() and len(key) < 19:
        count = session.get(StockCount, int(key))
        if count is None:
            return None
        url = url_for("inventory_admin.count", count_id=count.id)
        return DocumentLabel(gettext("Stock count #{number}", number=count.id), url)
    if kind in BY_HAND:
        return DocumentLabel(gettext(BY_HAND[kind]))
    return None
