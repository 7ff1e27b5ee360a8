"""Helpers for the inventory tests: products with units, stock put in through the ledger,
and a listener that hears ``inventory_stock_moved``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from niaga import hookimpl
from niaga_inventory import products, stock
from niaga_inventory.contracts import StockLine


@pytest.fixture
def make_product(db: Any) -> Callable[..., Any]:
    """``make_product(sku="RK-1", ...)``: a cigarette pack product (slop=10, karton=100)."""

    def make(**fields: Any) -> Any:
        data = {
            "sku": "RK-GGS12",
            "name": "Gudang Garam Surya 12",
            "base_unit": "bungkus",
            "units": {"slop": Decimal(10), "karton": Decimal(100)},
            "price": Decimal("28500"),
            "cost": Decimal("26800"),
            "category": "Rokok",
        }
        data.update(fields)
        product = products.save_product(db, data)
        db.commit()
        return product

    return make


def stock_line(product: Any, quantity: Any, unit: str | None = None, **kwargs: Any) -> StockLine:
    return StockLine(product_id=product.id, quantity=Decimal(str(quantity)), unit=unit, **kwargs)


@pytest.fixture
def line() -> Callable[..., StockLine]:
    """``line(product, 2, "karton")``: a :class:`StockLine`."""
    return stock_line


@pytest.fixture
def receive(db: Any) -> Callable[..., Any]:
    """``receive(product, quantity, cost=None, unit=None)``: a committed receipt."""

    def put_in(
        product: Any,
        quantity: Any,
        cost: Any = None,
        unit: str | None = None,
        warehouse_id: int | None = None,
        reference: str = "purchasing.receipt:1",
    ) -> Any:
        price = None if cost is None else Decimal(str(cost))
        moves = stock.receive(
            db,
            reference,
            [stock_line(product, quantity, unit, cost=price, warehouse_id=warehouse_id)],
        )
        db.commit()
        return moves

    return put_in


class Listener:
    """A third-party plugin stand-in that records every stock move event it hears."""

    def __init__(self) -> None:
        self.heard: list[Any] = []

    @hookimpl
    def inventory_stock_moved(self, session: Any, moves: list[Any]) -> None:
        self.heard.extend(moves)


@pytest.fixture
def listener(app: Any) -> Iterator[Listener]:
    spy = Listener()
    host = app.extensions["niaga"].host
    host.pm.register(spy, name="spy")
    host._callers.clear()
    yield spy
    host.pm.unregister(spy)
    host._callers.clear()
