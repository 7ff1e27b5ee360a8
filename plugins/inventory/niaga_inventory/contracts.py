"""The values the inventory plugin's hooks take and give: products, stock lines and moves.

Frozen dataclasses, so a caller needs this module, not inventory's models; quantities and
costs are ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from niaga.errors import Invalid

#: the tax class of goods exempt from PPN (PPN dibebaskan): sold without PPN, and a PKP
#: reports them on a tax invoice of their own (transaction code 08)
EXEMPT = "exempt"


@dataclass(frozen=True)
class ProductInfo:
    """A product as other plugins see it; quantities and costs are per base unit."""

    id: int
    sku: str
    name: str
    base_unit: str
    units: dict[str, Decimal]
    price: Decimal
    cost: Decimal
    tax_class: str = "standard"
    barcode: str | None = None
    category: str | None = None
    track_stock: bool = True
    allow_negative: bool = False
    active: bool = True
    #: the unit a customer usually buys it in (``karton``); ``None``: the base unit
    sale_unit: str | None = None
    #: the address of its picture sized for a product card (a few KB, kept by browsers
    #: for good: the address changes with the picture); ``None`` when it has none
    picture_url: str | None = None

    def to_base(self, quantity: Decimal, unit: str | None) -> Decimal:
        """``quantity`` of ``unit`` expressed in the base unit."""
        if unit is None or unit == self.base_unit:
            return quantity
        try:
            return quantity * self.units[unit]
        except KeyError:
            raise Invalid(
                "Unit {unit} is not defined for {product}", unit=unit, product=self.name
            ) from None


@dataclass(frozen=True)
class StockLine:
    """One product and quantity in a stock request; ``unit`` defaults to the base unit.

    ``cost`` is the cost per ``unit`` for receipts; issues go out at average cost.
    """

    product_id: int
    quantity: Decimal
    unit: str | None = None
    cost: Decimal | None = None
    warehouse_id: int | None = None


@dataclass(frozen=True)
class WarehouseInfo:
    """A warehouse or branch as other plugins see it."""

    id: int
    code: str
    name: str
    is_default: bool = False
    active: bool = True


@dataclass(frozen=True)
class StockMove:
    """A stock move as recorded. ``quantity`` is in base units and signed (+ in, - out);
    ``value`` is quantity x unit cost, signed the same way.

    ``kind`` is one of: receipt, issue, transfer_in, transfer_out, adjustment, opening
    (opening stock, which bookkeeping puts against owner's capital), return_in, return_out,
    gift, revaluation (zero quantity: a bill's price correction of stock on hand).
    """

    id: int
    product_id: int
    warehouse_id: int
    kind: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    reference: str
    occurred_at: dt.datetime
    reason: str = ""


@dataclass(frozen=True)
class ReorderNeed:
    """A product to buy again: available stock fell to its reorder point."""

    product_id: int
    sku: str
    name: str
    available: Decimal
    reorder_point: Decimal
    suggested_quantity: Decimal
    unit: str
