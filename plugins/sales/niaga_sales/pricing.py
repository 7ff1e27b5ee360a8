"""Prices and line arithmetic: which price a customer pays, and how a line's discount,
net, PPN and total are computed and rounded (see ``docs/money.md``).

Each line is rounded to whole rupiah on its own; a document's totals are the sums of its
rounded lines, so the lines always add up to the total.

* Prices without tax: ``net = round(quantity × price × (1 − discount%))``,
  ``tax = round(net × rate × base)``, ``total = net + tax``.
* Prices with tax: ``total = round(quantity × price × (1 − discount%))``,
  ``net = round(total / (1 + rate × base))``, ``tax = total − net`` (so the customer pays
  exactly the shelf price).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.contracts import ProductInfo
from niaga.errors import Invalid
from niaga.money import ZERO, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_sales.config import TaxPolicy
from niaga_sales.models import Customer, PriceListItem

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class LineAmounts:
    """The rounded amounts of one line."""

    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


def base_fraction(base: str) -> tuple[Decimal, Decimal]:
    """``"11/12"`` as ``(11, 12)``; ``"1"`` as ``(1, 1)``."""
    numerator, _, denominator = base.partition("/")
    return Decimal(numerator), Decimal(denominator or "1")


def line_amounts(
    quantity: Decimal,
    unit_price: Decimal,
    discount_percent: Decimal,
    tax_rate: Decimal,
    tax_base: str,
    prices_include_tax: bool,
) -> LineAmounts:
    """Discount, net, tax and total of a line, each in whole rupiah."""
    gross = quantity * unit_price
    amount = round_rupiah(gross * (HUNDRED - discount_percent) / HUNDRED)
    discount = round_rupiah(gross) - amount
    numerator, denominator = base_fraction(tax_base)
    if prices_include_tax:
        # amount / (1 + rate × n/d), kept as one division so x.5 cases round exactly
        net = round_rupiah(amount * denominator / (denominator + tax_rate * numerator))
        return LineAmounts(discount, net, amount - net, amount)
    tax = round_rupiah(amount * tax_rate * numerator / denominator)
    return LineAmounts(discount, amount, tax, amount + tax)


def apply_amounts(line: Any, prices_include_tax: bool) -> None:
    """Compute a line model's discount, net, tax and total from its own fields."""
    amounts = line_amounts(
        line.quantity,
        line.unit_price,
        line.discount_percent or ZERO,
        line.tax_rate,
        line.tax_base,
        prices_include_tax,
    )
    line.discount, line.net, line.tax, line.total = (
        amounts.discount,
        amounts.net,
        amounts.tax,
        amounts.total,
    )


def apply_totals(document: Any, lines: Iterable[Any]) -> None:
    """Set a document's totals to the sums of its rounded lines."""
    lines = list(lines)
    document.subtotal = sum((line.net for line in lines), ZERO)
    document.tax = sum((line.tax for line in lines), ZERO)
    document.total = sum((line.total for line in lines), ZERO)
    document.discount = -sum((line.net for line in lines if line.kind == "adjustment"), ZERO)


def find_product(
    session: Session,
    product_id: int | None = None,
    sku: str | None = None,
    barcode: str | None = None,
) -> ProductInfo | None:
    """The product through inventory; ``None`` when inventory is disabled.

    Raises :class:`Invalid` when inventory is enabled but knows no such product.
    """
    if product_id is None and not sku and not barcode:
        return None
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
    # Several plugins may adjust the price; the first answer wins (pluggy calls the most
    # recently registered plugin first).
    for adjusted in hooks().sales_price(
        session=session,
        product=product,
        customer_id=customer.id if customer else None,
        quantity=quantity,
        price=price,
    ):
        if adjusted is not None:
            return to_decimal(adjusted)
    return price


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
) -> None:
    """Fill a new line model from input ``data``: a product (through inventory) or a
    free-text description with a price. ``allow_price`` lets staff override the price."""
    quantity = to_decimal(data["quantity"])
    if quantity <= 0:
        raise Invalid("Quantity must be more than zero", fields={"quantity": ["Must be > 0"]})
    product = find_product(session, data.get("product_id"), data.get("sku"), data.get("barcode"))
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
