"""Which warehouse (branch) a sale takes its goods from.

An order and a cashier session name a warehouse of inventory's; reservations, deliveries
and counter sales take stock there, and returns of their invoices bring it back there.
Sales asks inventory for its warehouses through ``inventory_warehouses``; without
inventory there is nothing to choose and every id is ``None``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga.runtime import hooks
from niaga_sales.models import Invoice, PosSale, PosSession


def warehouses(session: Session) -> list[Any]:
    """Inventory's warehouses (``WarehouseInfo``, the default first); [] without it."""
    return list(hooks().inventory_warehouses(session=session) or [])


def names(session: Session) -> dict[int, str]:
    """``{warehouse id: name}`` for labels."""
    return {w.id: w.name for w in warehouses(session)}


def choose(session: Session, warehouse_id: int | None) -> int | None:
    """The warehouse a new order or cashier session takes stock from: ``warehouse_id`` if
    it is an active warehouse, the default one when ``None`` (stored, so a later change of
    default does not move goods already reserved), ``None`` without inventory."""
    found = warehouses(session)
    if not found:
        if warehouse_id is not None:
            raise Invalid(
                "There are no warehouses to choose from",
                fields={"warehouse_id": ["Unknown warehouse"]},
            )
        return None
    if warehouse_id is None:
        default = next((w for w in found if w.is_default), found[0])
        return default.id
    chosen = next((w for w in found if w.id == warehouse_id), None)
    if chosen is None or not chosen.active:
        raise Invalid(
            "Warehouse {id} does not exist or is not active",
            id=warehouse_id,
            fields={"warehouse_id": ["Unknown or inactive warehouse"]},
        )
    return chosen.id


def of_invoice(session: Session, invoice: Invoice) -> int | None:
    """The warehouse an invoice's goods left from: its order's, or the cashier session's
    of a counter sale (``None``: the default warehouse)."""
    if invoice.order is not None:
        return invoice.order.warehouse_id
    return session.scalar(
        sa.select(PosSession.warehouse_id)
        .join(PosSale, PosSale.session_id == PosSession.id)
        .where(PosSale.invoice_id == invoice.id)
    )
