"""Products and their units: create, change, find, and convert quantities to base units."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from niaga.errors import Conflict, Invalid, NotFound
from niaga.money import round_quantity, to_decimal
from niaga_inventory.contracts import ProductInfo
from niaga_inventory.models import (
    Product,
    ProductPicture,
    ProductUnit,
    Reservation,
    StockBalance,
    StockCountLine,
    StockMove,
    Valuation,
    is_row_id,
)
from niaga_inventory.pictures import picture_url
from niaga_inventory.upsert import insert_missing

#: Fields copied as they are from the input onto the product.
PLAIN_FIELDS = (
    "sku",
    "barcode",
    "name",
    "category",
    "brand",
    "active",
    "price",
    "cost",
    "tax_class",
    "base_unit",
    "sale_unit",
    "purchase_unit",
    "track_stock",
    "allow_negative",
    "reorder_point",
    "reorder_quantity",
)

#: A product's columns as its API body has them (all but ``units``).
ROW_COLUMNS = (Product.id, *(getattr(Product, name) for name in PLAIN_FIELDS))


def unit_name(text: str | None) -> str:
    """Units are compared case-insensitively: ``Karton`` is ``karton``."""
    return (text or "").strip().lower()


def plain(number: Decimal) -> str:
    """A quantity as plain text without trailing zeros: ``100``, ``1.5`` (never ``1E+2``)."""
    return format(number.normalize(), "f")


def units_text(product: Product) -> str:
    """The product's units as typed in a form or spreadsheet: ``slop=10;karton=100``."""
    return ";".join(f"{name}={plain(factor)}" for name, factor in product.factors().items())


def get_product(session: Session, product_id: int) -> Product:
    """The product ``product_id`` or :class:`NotFound`."""
    product = session.get(Product, product_id) if is_row_id(product_id) else None
    if product is None:
        raise NotFound("Product {id} does not exist", id=product_id)
    return product


def load_products(session: Session, product_ids: Any) -> list[Product]:
    """Load the products ``product_ids`` (and their units) in one statement, so that
    :func:`get_product` of each is answered from the session instead of a query per line
    while the caller keeps the list (the session holds unchanged rows only weakly)."""
    ids = sorted({pid for pid in product_ids if isinstance(pid, int) and is_row_id(pid)})
    if len(ids) < 2:
        return []
    return list(
        session.scalars(
            sa.select(Product).where(Product.id.in_(ids)).options(joinedload(Product.units))
        ).unique()
    )


def find_product(
    session: Session,
    product_id: int | None = None,
    sku: str | None = None,
    barcode: str | None = None,
) -> Product | None:
    """The product matching the first key given (id, SKU or barcode)."""
    if product_id is not None:
        return session.get(Product, product_id) if is_row_id(product_id) else None
    if sku:
        return session.scalar(sa.select(Product).where(Product.sku == sku.strip()))
    if barcode:
        return session.scalar(sa.select(Product).where(Product.barcode == barcode.strip()))
    return None


def search_statement(
    query: str = "", category: str | None = None, active: bool | None = None
) -> sa.Select[Any]:
    """Products (with their units) whose name, SKU or barcode contains ``query``
    (case-insensitive), by name."""
    statement = sa.select(Product).options(selectinload(Product.units))
    return _searched(statement, query, category, active)


def search_rows(
    query: str = "", category: str | None = None, active: bool | None = None
) -> sa.Select[Any]:
    """:func:`search_statement` as plain rows of :data:`ROW_COLUMNS`, for lists that need
    no ORM objects (their units come from :func:`unit_factors`)."""
    return _searched(sa.select(*ROW_COLUMNS), query, category, active)


def _searched(
    statement: sa.Select[Any], query: str, category: str | None, active: bool | None
) -> sa.Select[Any]:
    text = query.strip().lower()
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        statement = statement.where(
            sa.or_(
                sa.func.lower(Product.name).like(pattern),
                sa.func.lower(Product.sku).like(pattern),
                Product.barcode == query.strip(),
                sa.func.lower(Product.barcode).like(pattern),
            )
        )
    if category:
        statement = statement.where(Product.category == category)
    if active is not None:
        statement = statement.where(Product.active.is_(active))
    return statement.order_by(Product.name, Product.id)


# built once: a product page asks for it on every request
_UNITS_OF = (
    sa.select(ProductUnit.product_id, ProductUnit.name, ProductUnit.factor)
    .where(ProductUnit.product_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(ProductUnit.factor)
)


def unit_factors(session: Session, product_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """:meth:`Product.factors` of each product of ``product_ids`` that has units, in one
    statement."""
    ids = list(product_ids)
    if not ids:
        return {}
    factors: dict[int, dict[str, Decimal]] = {}
    rows = session.execute(_UNITS_OF, {"ids": ids})
    for product_id, name, factor in rows:
        factors.setdefault(product_id, {})[name] = factor
    return factors


def to_base(product: Product, quantity: Any, unit: str | None) -> Decimal:
    """``quantity`` of ``unit`` in the product's base unit (``2 karton`` -> ``200``)."""
    amount = to_decimal(quantity)
    name = unit_name(unit)
    if not name or name == product.base_unit:
        return round_quantity(amount)
    factor = product.factors().get(name)
    if factor is None:
        raise Invalid(
            "Unit {unit} is not defined for {product}",
            unit=name,
            product=product.name,
            fields={"unit": [f"unknown unit {name}"]},
        )
    return round_quantity(amount * factor)


def info(product: Product, average_cost: Decimal | None = None) -> ProductInfo:
    """What other plugins see of ``product``; ``cost`` is the moving average when known."""
    return ProductInfo(
        id=product.id,
        sku=product.sku,
        name=product.name,
        base_unit=product.base_unit,
        units=product.factors(),
        price=product.price,
        cost=average_cost if average_cost else product.cost,
        tax_class=product.tax_class,
        barcode=product.barcode,
        category=product.category or None,
        track_stock=product.track_stock,
        allow_negative=product.allow_negative,
        active=product.active,
        sale_unit=product.sale_unit,
        picture_url=picture_url(product.id, product.picture),
    )


def info_for(session: Session, product: Product) -> ProductInfo:
    """:func:`info` with the product's current moving-average cost."""
    average = session.scalar(
        sa.select(Valuation.unit_cost).where(Valuation.product_id == product.id)
    )
    return info(product, average)


def info_by_id(session: Session, product_id: int) -> ProductInfo | None:
    """:func:`info_for` of product ``product_id`` (``None`` when there is none)."""
    return infos_by_id(session, [product_id]).get(product_id)


def infos_by_id(session: Session, product_ids: Iterable[int]) -> dict[int, ProductInfo]:
    """:func:`info_for` of each existing product of ``product_ids``, by id, in one
    statement: the products, their units and their moving-average costs together."""
    ids = {pid for pid in product_ids if is_row_id(pid)}
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Product, Valuation.unit_cost)
        .outerjoin(Valuation, Valuation.product_id == Product.id)
        .options(joinedload(Product.units))
        .where(Product.id.in_(ids))
    ).unique()
    return {product.id: info(product, average) for product, average in rows}


def has_moves(session: Session, product_id: int) -> bool:
    return (
        session.scalar(sa.select(StockMove.id).where(StockMove.product_id == product_id).limit(1))
        is not None
    )


def save_product(session: Session, data: dict[str, Any], product: Product | None = None) -> Product:
    """Create a product (``product`` is None) or change it with ``data``; validates it all
    and raises :class:`Invalid` with the problems per field."""
    creating = product is None
    target = product or Product()
    values = _normalised(data)
    problems = _problems(session, target, values, creating)
    if problems:
        raise Invalid("Some fields are not valid", fields=problems)
    for key in PLAIN_FIELDS:
        if key in values:
            setattr(target, key, values[key])
    if "units" in values:
        _set_units(target, values["units"])
    if creating:
        session.add(target)
    session.flush()
    insert_missing(session, Valuation, product_id=target.id)
    return target


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    for key in ("sku", "name", "category", "brand", "tax_class"):
        if isinstance(values.get(key), str):
            values[key] = values[key].strip()
    if "barcode" in values:
        values["barcode"] = (values["barcode"] or "").strip() or None
    for key in ("base_unit", "sale_unit", "purchase_unit"):
        if key in values:
            values[key] = unit_name(values[key]) or None
    if "units" in values:
        values["units"] = {
            unit_name(name): to_decimal(factor) for name, factor in (values["units"] or {}).items()
        }
    return values


def _problems(
    session: Session, product: Product, values: dict[str, Any], creating: bool
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for key in ("sku", "name", "base_unit"):
        if creating and not values.get(key) or key in values and not values[key]:
            add(key, "Missing data for required field.")
    for key in ("price", "cost"):
        if values.get(key) is not None and to_decimal(values[key]) < 0:
            add(key, "Must not be negative.")
    for key in ("reorder_point", "reorder_quantity"):
        if values.get(key) is not None and to_decimal(values[key]) < 0:
            add(key, "Must not be negative.")
    _check_unique(session, product, values, "sku", add)
    _check_unique(session, product, values, "barcode", add)
    base = values.get("base_unit", product.base_unit)
    units = values.get("units", product.factors() if product.id else {})
    for name, factor in units.items():
        if not name:
            add("units", "A unit needs a name.")
        elif name == base:
            add("units", f"{name} is the base unit.")
        if factor <= 0:
            add("units", f"The factor of {name} must be more than zero.")
    for key in ("sale_unit", "purchase_unit"):
        chosen = values.get(key, getattr(product, key))
        if chosen and chosen != base and chosen not in units:
            add(key, f"{chosen} is not one of the product's units.")
    if product.id and has_moves(session, product.id) and _changes_units(product, values):
        add("units", "Units cannot change once stock has moved; create a new product.")
    return problems


def _check_unique(
    session: Session,
    product: Product,
    values: dict[str, Any],
    key: str,
    add: Callable[[str, str], None],
) -> None:
    value = values.get(key)
    if not value:
        return
    statement = sa.select(Product.id).where(getattr(Product, key) == value)
    if product.id is not None:
        statement = statement.where(Product.id != product.id)
    if session.scalar(statement) is not None:
        add(key, f"{value} is already used by another product.")


def _changes_units(product: Product, values: dict[str, Any]) -> bool:
    if "base_unit" in values and values["base_unit"] != product.base_unit:
        return True
    if "units" not in values:
        return False
    old = product.factors()
    new = values["units"]
    # Adding a unit is harmless; changing or removing one would reinterpret old moves.
    return any(name not in new or new[name] != factor for name, factor in old.items())


def _set_units(product: Product, units: dict[str, Decimal]) -> None:
    existing = {unit.name: unit for unit in product.units}
    for name in list(existing):
        if name not in units:
            product.units.remove(existing[name])
    for name, factor in units.items():
        if name in existing:
            existing[name].factor = factor
        else:
            product.units.append(ProductUnit(name=name, factor=factor))


def delete_product(session: Session, product: Product) -> None:
    """Delete a product that never moved; one with history can only be deactivated."""
    if has_moves(session, product.id):
        raise Conflict(
            "{product} has stock history and cannot be deleted; deactivate it instead",
            product=product.name,
        )
    promised = session.scalar(
        sa.select(sa.func.sum(Reservation.quantity)).where(Reservation.product_id == product.id)
    )
    if promised:
        raise Conflict("{product} is reserved for open orders", product=product.name)
    for model in (Valuation, StockBalance, Reservation, StockCountLine, ProductPicture):
        session.execute(sa.delete(model).where(model.product_id == product.id))
    session.delete(product)
    session.flush()
