"""The catalogue as a customer sees it: inventory's products with that customer's price
and the stock available to promise. Empty when inventory is disabled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from niaga.runtime import hooks
from niaga_inventory.contracts import ProductInfo
from niaga_sales.models import Customer
from niaga_sales.pricing import list_price, price_breaks


def search(
    session: Session, query: str, customer: Customer | None, limit: int = 20, offset: int = 0
) -> list[dict[str, Any]]:
    """Products matching ``query`` (a barcode or SKU matches exactly first)."""
    products: list[ProductInfo] = []
    if query:
        exact = hooks().inventory_product(
            session=session, product_id=None, sku=None, barcode=query
        ) or hooks().inventory_product(session=session, product_id=None, sku=query, barcode=None)
        if exact is not None and exact.active:
            products.append(exact)
    found = hooks().inventory_search(session=session, query=query, limit=limit, offset=offset)
    for product in found or []:
        if all(product.id != p.id for p in products):
            products.append(product)
    return [entry(session, product, customer) for product in products[:limit]]


def entry(session: Session, product: ProductInfo, customer: Customer | None) -> dict[str, Any]:
    """One product with the customer's price (base unit) and availability."""
    available = hooks().inventory_available(
        session=session, product_id=product.id, warehouse_id=None
    )
    return {
        "id": product.id,
        "sku": product.sku,
        "barcode": product.barcode,
        "name": product.name,
        "unit": product.base_unit,
        "units": {product.base_unit: Decimal("1"), **product.units},
        "price": list_price(session, product, product.base_unit, Decimal("1"), customer),
        "available": available if product.track_stock else None,
        "picture_url": product.picture_url,
        "sale_unit": product.sale_unit or product.base_unit,
        "breaks": [
            {k: str(v) for k, v in b.items()} for b in price_breaks(session, product, customer)
        ],
    }
