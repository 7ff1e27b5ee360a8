"""Products on purchasing lines, through inventory's hooks.

With inventory enabled a line names a product (by id or SKU) in any of its units, and the
unit's factor to the base unit is stored on the line. With inventory disabled lines are
free text with a price, counted in the unit typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga.runtime import hooks, niaga
from niaga_inventory.contracts import ProductInfo

ONE = Decimal("1")


def stock_service_enabled() -> bool:
    """Whether an enabled plugin answers inventory's service hooks."""
    relay = hooks()
    impls = niaga().host.pm.hook.inventory_product.get_hookimpls()
    return any(impl.plugin_name in relay.enabled for impl in impls)


def find_product(
    session: Session, product_id: int | None = None, sku: str | None = None
) -> ProductInfo | None:
    """The product named by id or SKU; ``None`` for a free-text line.

    Refuses a product reference when inventory is disabled or the product is unknown.
    """
    if product_id is None and not sku:
        return None
    if not stock_service_enabled():
        raise Invalid("Products need the inventory plugin; describe the line in words instead")
    info = hooks().inventory_product(session=session, product_id=product_id, sku=sku, barcode=None)
    if info is None:
        raise Invalid("Unknown product {product}", product=product_id or sku)
    return info


@dataclass(frozen=True)
class LineItem:
    """What a line is about, resolved: product, description, unit and its base factor."""

    product: ProductInfo | None
    description: str
    unit: str
    unit_factor: Decimal

    @property
    def product_id(self) -> int | None:
        return self.product.id if self.product else None


def resolve_item(
    session: Session,
    *,
    product_id: int | None = None,
    sku: str | None = None,
    description: str = "",
    unit: str | None = None,
) -> LineItem:
    """Resolve a line's product and unit (refusing units the product does not have)."""
    product = find_product(session, product_id, sku)
    if product is None:
        if not description.strip():
            raise Invalid("A line needs a product or a description")
        return LineItem(None, description.strip(), (unit or "pcs").strip(), ONE)
    chosen = unit or product.base_unit
    factor = product.to_base(ONE, chosen)
    return LineItem(product, description.strip() or product.name, chosen, factor)


def convert(quantity: Decimal, from_factor: Decimal, to_factor: Decimal) -> Decimal:
    """``quantity`` of a unit with ``from_factor`` expressed in a unit with ``to_factor``."""
    return quantity * from_factor / to_factor


def price_in(price: Decimal, from_factor: Decimal, to_factor: Decimal) -> Decimal:
    """A price per unit with ``from_factor`` expressed per unit with ``to_factor``."""
    return price * to_factor / from_factor
