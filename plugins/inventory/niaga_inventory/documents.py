"""Inventory's own references as a person reads them: ``inventory.count:3`` is "Stok
opname #3" with a link to it; stock changed by hand (``inventory.adjustment:3f2a...``,
``inventory.receipt:...``) reads as the kind of change, since it has no page of its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from niaga.documents import DocumentKind, label_owned
from niaga_inventory.models import StockCount

#: stock changed by hand, by the kind in its reference (English, translated when shown)
BY_HAND = {
    "receipt": "Goods receipt (by hand)",
    "issue": "Goods issue (by hand)",
    "adjustment": "Stock adjustment",
    "transfer": "Stock transfer",
    "opening": "Opening stock",
}


KINDS = {
    "count": DocumentKind(
        StockCount, "Stock count #{id}", "inventory_admin.count", {"count_id": "id"}
    )
}


def document_label(session: Session, reference: str) -> Any:
    """The label of an ``inventory.<kind>:<key>`` reference; ``None`` for any other."""
    return label_owned(session, reference, "inventory", KINDS, BY_HAND)
