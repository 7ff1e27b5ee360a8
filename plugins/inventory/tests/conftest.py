"""Helpers for the inventory tests: products with units, stock put in through the ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from niaga.contracts import StockLine
from niaga_inventory import products, stock


@pytest.fixture
def make_product(db: Any):  # noqa: ANN201
    """``make_product(sku="RK-1", units={"karton": 100}, ...)`` saved and committed."""

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


@pytest.fixture
def receive(db: Any):  # noqa: ANN201
    """``receive(product, quantity, cost=None, unit=None)`` as a committed receipt."""

    def put_in(product: Any, quantity: Any, cost: Any = None, unit: str | None = None,
               warehouse_id: int | None = None, reference: str = "purchasing.receipt:1") -> Any:
        moves = stock.receive(
            db,
            reference,
            [
                StockLine(
                    product_id=product.id,
                    quantity=Decimal(str(quantity)),
                    unit=unit,
                    cost=None if cost is None else Decimal(str(cost)),
                    warehouse_id=warehouse_id,
                )
            ],
        )
        db.commit()
        return moves

    return put_in
