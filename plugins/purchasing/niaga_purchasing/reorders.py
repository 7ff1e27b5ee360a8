"""Suggested reorders: products at or below their reorder point (from inventory), turned
into draft purchase orders, one per default supplier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from niaga.runtime import hooks
from niaga_inventory.contracts import ReorderNeed
from niaga_purchasing.models import PurchaseOrder, Supplier
from niaga_purchasing.orders import create_order
from niaga_purchasing.suppliers import preferred_supplier


@dataclass(frozen=True)
class Suggestion:
    need: ReorderNeed
    supplier: Supplier | None


def suggestions(session: Session) -> list[Suggestion]:
    """What to buy again and from whom (``supplier`` is ``None`` without a default
    supplier); empty when inventory is disabled."""
    needs = hooks().inventory_reorder_needs(session=session) or []
    return [Suggestion(need, preferred_supplier(session, need.product_id)) for need in needs]


def create_draft_orders(
    session: Session, product_ids: list[int] | None = None
) -> tuple[list[PurchaseOrder], list[ReorderNeed]]:
    """Draft orders grouped by default supplier, and the needs left without a supplier."""
    grouped: dict[int, list[ReorderNeed]] = {}
    unassigned = []
    for suggestion in suggestions(session):
        if product_ids is not None and suggestion.need.product_id not in product_ids:
            continue
        if suggestion.supplier is None:
            unassigned.append(suggestion.need)
            continue
        grouped.setdefault(suggestion.supplier.id, []).append(suggestion.need)
    orders = []
    for supplier_id, needs in grouped.items():
        lines: list[dict[str, Any]] = [
            {"product_id": n.product_id, "quantity": n.suggested_quantity, "unit": n.unit or None}
            for n in needs
        ]
        data = {"supplier_id": supplier_id, "lines": lines, "source": "reorder"}
        orders.append(create_order(session, data))
    return orders, unassigned
