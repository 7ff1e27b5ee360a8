"""Prices and line amounts: which price a customer pays, and a line's discount, net,
PPN and total by the one rule of :func:`niaga.money.line_amounts` (see ``docs/money.md``).

Each line is rounded to whole rupiah on its own; a document's totals are the sums of its
rounded lines, so the lines always add up to the total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.db import assign
from niaga.errors import Invalid
from niaga.money import ZERO, LineAmounts, LineInput, line_amounts, to_decimal
from niaga.runtime import hooks
from niaga_inventory.contracts import EXEMPT, ProductInfo
from niaga_sales.config import NO_TAX, TaxPolicy
from niaga_sales.models import Customer, PriceListItem

HUNDRED = Decimal("100")


def amounts_of(line: Any, prices_include_tax: bool) -> LineAmounts:
    """The amounts of a line model, from its quantity, price, discount and PPN."""
    return line_amounts(
        LineInput(
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent or ZERO,
            tax_rate=line.tax_rate,
            tax_base=line.tax_base,
        ),
        prices_include_tax,
    )


def apply_amounts(line: Any, prices_include_tax: bool) -> None:
    """Compute a line model's discount, net, tax and total from its own fields."""
    amounts = amounts_of(line, prices_include_tax)
    line.discount, line.net, line.tax, line.total = (
        amounts.discount,
        amounts.net,
        amounts.tax,
        amounts.total,
    )


def apply_totals(document: Any, lines: Iterable[Any]) -> None:
    """Set a document's totals to the sums of its rounded lines."""
    lines = list(lines)
    assign(
        document,
        subtotal=sum((line.net for line in lines), ZERO),
        tax=sum((line.tax for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        discount=-sum((line.net for line in lines if line.kind == "adjustment"), ZERO),
    )


def find_product(
    session: Session,
    product_id: int | None = None,
    sku: str | None = None,
    barcode: str | None = None,
    known: Mapping[int, ProductInfo] | None = None,
) -> ProductInfo | None:
    """The product through inventory (from ``known`` when it is there); ``None`` when
    inventory is disabled.

    Raises :class:`Invalid` when inventory is enabled but knows no such product.
    """
    if product_id is None and not sku and not barcode:
        return None
    found = known.get(product_id) if known and product_id is not None else None
    if found is None:
        found = hooks().inventory_product(
            session=session, product_id=product_id, sku=sku, barcode=barcode
        )
    if found is None:
        key = product_id if product_id is not None else (sku or barcode)
        raise Invalid("Unknown product {key}", key=key, fields={"product_id": ["Unknown product"]})
    if not found.active:
        raise Invalid("{product} is no longer sold", product=found.name)
    return found


def list_price(
    session: Session,
    product: ProductInfo,
    unit: str,
    quantity: Decimal,
    customer: Customer | None,
) -> Decimal:
    """The customer's price per ``unit`` for ``quantity``: their group's price list (the
    highest quantity break reached), else the product's price; then ``sales_price`` hooks."""
    price = product.price * product.to_base(Decimal("1"), unit)
    price_list_id = customer.group.price_list_id if customer and customer.group else None
    if price_list_id is not None:
        item = session.scalar(
            sa.select(PriceListItem)
            .where(
                PriceListItem.price_list_id == price_list_id,
                PriceListItem.product_id == product.id,
                PriceListItem.unit == unit,
                PriceListItem.min_quantity <= quantity,
            )
            .order_by(PriceListItem.min_quantity.desc())
            .limit(1)
        )
        if item is not None:
            price = item.price
    # a pipeline: each enabled plugin refines the price the previous one gave
    adjusted = hooks().pipeline(
        "sales_price",
        price,
        "price",
        session=session,
        product=product,
        customer_id=customer.id if customer else None,
        quantity=quantity,
    )
    return to_decimal(adjusted)


def price_breaks(
    session: Session, product: ProductInfo, customer: Customer | None
) -> list[dict[str, Any]]:
    """The quantity breaks a customer sees for a product (empty without a price list)."""
    price_list_id = customer.group.price_list_id if customer and customer.group else None
    if price_list_id is None:
        return []
    items = session.scalars(
        sa.select(PriceListItem)
        .where(
            PriceListItem.price_list_id == price_list_id,
            PriceListItem.product_id == product.id,
        )
        .order_by(PriceListItem.unit, PriceListItem.min_quantity)
    )
    return [{"unit": i.unit, "min_quantity": i.min_quantity, "price": i.price} for i in items]


def fill_line(
    session: Session,
    line: Any,
    data: dict[str, Any],
    customer: Customer | None,
    policy: TaxPolicy,
    allow_price: bool,
    known: Mapping[int, ProductInfo] | None = None,
) -> None:
    """Fill a new line model from input ``data``: a product (through inventory, or from
    ``known``) or a free-text description with a price. ``allow_price`` lets staff
    override the price."""
    quantity = to_decimal(data["quantity"])
    if quantity <= 0:
        raise Invalid("Quantity must be more than zero", fields={"quantity": ["Must be > 0"]})
    product = find_product(
        session, data.get("product_id"), data.get("sku"), data.get("barcode"), known
    )
    line.kind = "item"
    line.quantity = quantity
    line.discount_percent = to_decimal(data.get("discount_percent") or ZERO)
    if not ZERO <= line.discount_percent <= HUNDRED:
        raise Invalid("A discount is between 0 and 100 percent")
    line.tax_rate, line.tax_base = policy.rate, policy.base
    given_price = data.get("unit_price")
    if product is not None:
        line.product_id = product.id
        line.unit = data.get("unit") or product.base_unit
        line.base_quantity = product.to_base(quantity, line.unit)
        line.description = data.get("description") or product.name
        line.unit_price = (
            to_decimal(given_price)
            if allow_price and given_price is not None
            else list_price(session, product, line.unit, quantity, customer)
        )
        if product.tax_class == EXEMPT:
            # goods exempt from PPN (PPN dibebaskan): no PPN, a faktur with code 08
            line.tax_rate, line.tax_base = NO_TAX, "1"
    else:
        if not data.get("description") or given_price is None or not allow_price:
            raise Invalid(
                "Without a product, a line needs a description and a unit price",
                fields={"description": ["Required without a product"]},
            )
        line.product_id = None
        line.description = data["description"]
        line.unit = data.get("unit") or "pcs"
        line.base_quantity = quantity
        line.unit_price = to_decimal(given_price)
    if line.unit_price < 0:
        raise Invalid("A price cannot be negative")
    apply_amounts(line, policy.prices_include_tax)


def price_lines(
    session: Session,
    lines: list[dict[str, Any]],
    new_line: Callable[[int], Any],
    customer: Customer | None,
    policy: TaxPolicy,
    allow_price: bool,
) -> list[Any]:
    """New line models (``new_line(position)``) filled from input ``lines`` by
    :func:`fill_line`, the products of all lines fetched from inventory at once."""
    ids = {data.get("product_id") for data in lines}
    ids = {pid for pid in ids if isinstance(pid, int)}
    known = (
        hooks().inventory_products(session=session, product_ids=sorted(ids)) or {}
        if len(ids) > 1
        else {}
    )
    priced = []
    for position, data in enumerate(lines, start=1):
        line = new_line(position)
        fill_line(session, line, data, customer, policy, allow_price, known)
        priced.append(line)
    return priced
