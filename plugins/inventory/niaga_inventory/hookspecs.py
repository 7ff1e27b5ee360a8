"""The hooks the inventory plugin publishes: stock services other plugins call
(answered by inventory, ``firstresult``) and the stock-moved event.

A service hook answers ``None`` when inventory is not installed or not enabled, so a
caller works without stock tracking.
"""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec(firstresult=True)
def inventory_product(
    session: Any, product_id: int | None, sku: str | None, barcode: str | None
) -> Any:
    """Return the :class:`~niaga_inventory.contracts.ProductInfo` matching one of the keys,
    or ``None``."""


@hookspec(firstresult=True)
def inventory_products(session: Any, product_ids: list[int]) -> Any:
    """Return the :class:`~niaga_inventory.contracts.ProductInfo` of each existing product of
    ``product_ids`` as a ``dict`` by id, in one query (a document's lines at once)."""


@hookspec(firstresult=True)
def inventory_search(session: Any, query: str, limit: int, offset: int) -> Any:
    """Return active products (``ProductInfo``) whose name, SKU or barcode matches ``query``."""


@hookspec(firstresult=True)
def inventory_available(session: Any, product_id: int, warehouse_id: int | None) -> Any:
    """Return the quantity available to promise (on hand minus reserved), in base units."""


@hookspec(firstresult=True)
def inventory_warehouses(session: Any) -> Any:
    """Return every warehouse (:class:`~niaga_inventory.contracts.WarehouseInfo`), the
    default first, so another plugin can offer a choice and check the one it is given."""


@hookspec(firstresult=True)
def inventory_reserve(session: Any, reference: str, lines: list[Any]) -> Any:
    """Reserve :class:`~niaga_inventory.contracts.StockLine` quantities for ``reference``.

    All or nothing: raises ``niaga.errors.InsufficientStock`` when any line cannot be
    reserved. Safe under concurrency. Returns ``True`` when stock is tracked.
    """


@hookspec(firstresult=True)
def inventory_release(session: Any, reference: str) -> Any:
    """Release what is still reserved for ``reference``; returns ``True`` when stock is tracked."""


@hookspec(firstresult=True)
def inventory_issue(session: Any, reference: str, lines: list[Any], kind: str) -> Any:
    """Take stock out (kind ``issue``, ``return_out`` or ``gift``), consuming reservations
    of ``reference`` first. Returns the :class:`~niaga_inventory.contracts.StockMove` list, whose
    values are the cost of goods issued.
    """


@hookspec(firstresult=True)
def inventory_receive(session: Any, reference: str, lines: list[Any], kind: str) -> Any:
    """Put stock in (kind ``receipt`` or ``return_in``) at each line's cost (``None`` means
    the current average cost). Returns the :class:`~niaga_inventory.contracts.StockMove` list.
    """


@hookspec(firstresult=True)
def inventory_revalue(
    session: Any, reference: str, product_id: int, value: Any, quantity: Any
) -> Any:
    """Correct the cost of ``quantity`` base units received earlier by ``value`` (a bill
    priced other than the receipt): the share of the units still on hand goes into the
    stock value (a ``revaluation`` move); returns that share (``Decimal``)."""


@hookspec(firstresult=True)
def inventory_stock_value(session: Any) -> Any:
    """Return the value of all stock at average cost (``Decimal``), the sum of the
    products' valuations: the sub-ledger of the inventory account."""


@hookspec(firstresult=True)
def inventory_reorder_needs(session: Any) -> Any:
    """Return :class:`~niaga_inventory.contracts.ReorderNeed` items for products whose
    available stock is at or below their reorder point (purchasing turns them into draft orders)."""


@hookspec
def inventory_stock_moved(session: Any, moves: list[Any]) -> None:
    """Stock moved: a list of :class:`~niaga_inventory.contracts.StockMove`, in the
    mover's transaction."""
