"""Import and export of products and opening stock.

Every row is checked; problems are reported per row (spreadsheet row number, the header
being row 1) and column, and nothing is saved unless every row is right. Opening stock is
posted as a stock count per warehouse (reason "opening stock"), so it sets quantities and
can be imported again to correct them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from niaga import l10n
from niaga.errors import Invalid, NiagaError
from niaga.tabular import NumberCell
from niaga_inventory import counts
from niaga_inventory.models import Product, StockBalance, Valuation, Warehouse
from niaga_inventory.products import find_product, save_product, to_base, units_text
from niaga_inventory.schemas import ProductSchema
from niaga_inventory.warehouses import default_warehouse, find_by_code

PRODUCT_COLUMNS = (
    "sku",
    "barcode",
    "name",
    "category",
    "brand",
    "base_unit",
    "units",
    "sale_unit",
    "purchase_unit",
    "price",
    "cost",
    "tax_class",
    "track_stock",
    "allow_negative",
    "reorder_point",
    "reorder_quantity",
    "active",
)
STOCK_COLUMNS = ("sku", "warehouse", "quantity", "unit", "cost")
OPENING_REASON = "opening stock"
TRUE = {"1", "y", "ya", "yes", "true", "benar"}
FALSE = {"0", "n", "t", "tidak", "no", "false", "salah"}
#: number columns and the decimals each keeps
PRODUCT_NUMBERS = {"price": 2, "cost": 4, "reorder_point": 4, "reorder_quantity": 4}

Errors = dict[str, dict[str, list[str]]]


class RowErrors:
    """Problems found, keyed by row number then column."""

    def __init__(self) -> None:
        self.found: Errors = {}

    def add(self, row: int, column: str, message: str) -> None:
        self.found.setdefault(str(row), {}).setdefault(column, []).append(message)

    def raise_if_any(self) -> None:
        if self.found:
            raise Invalid(
                "{n} rows have problems; nothing was imported",
                n=len(self.found),
                fields={"rows": self.found},
            )


def _numbered(rows: list[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    return ((index + 2, row) for index, row in enumerate(rows))


def _check_header(rows: list[dict[str, str]], allowed: tuple[str, ...], needed: set[str]) -> None:
    columns = set(rows[0]) if rows else set()
    unknown = sorted(columns - set(allowed) - {""})
    missing = sorted(needed - columns)
    if unknown or missing or not rows:
        fields: dict[str, list[str]] = {}
        if unknown:
            fields["unknown"] = unknown
        if missing:
            fields["missing"] = missing
        raise Invalid(
            "The header row must use these columns: {columns}",
            columns=", ".join(allowed),
            fields={"header": fields} if fields else {"rows": {"2": {"": ["No rows."]}}},
        )


def parse_units(text: str) -> dict[str, str]:
    units = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, sep, factor = part.partition("=")
        if not sep:
            raise ma.ValidationError({"units": ["Write units as karton=100;slop=10."]})
        units[name.strip()] = factor.strip()
    return units


def _product_input(row: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The row as API input, and the problems found converting it."""
    data: dict[str, Any] = {}
    problems: dict[str, Any] = {}
    for column in PRODUCT_COLUMNS:
        text = row.get(column, "").strip()
        if not text:
            continue
        if column in {"track_stock", "allow_negative", "active"}:
            lowered = text.lower()
            data[column] = True if lowered in TRUE else False if lowered in FALSE else text
        elif column in PRODUCT_NUMBERS:
            try:
                data[column] = _decimal(row[column], PRODUCT_NUMBERS[column])
            except NiagaError as exc:
                problems[column] = [exc.message("en")]
        elif column == "units":
            try:
                data[column] = parse_units(text)
            except ma.ValidationError as exc:
                problems.update(exc.messages_dict)
        else:
            data[column] = text
    return data, problems


def import_products(session: Session, rows: list[dict[str, str]]) -> dict[str, int]:
    """Create or update products by SKU; all rows or none."""
    _check_header(rows, PRODUCT_COLUMNS, {"sku", "name"})
    errors = RowErrors()
    seen: dict[str, int] = {}
    created = updated = 0
    outer = session.begin_nested()
    for number, row in _numbered(rows):
        sku = row.get("sku", "").strip()
        if sku in seen:
            errors.add(number, "sku", f"{sku} is also on row {seen[sku]}.")
            continue
        seen[sku] = number
        existing = find_product(session, sku=sku) if sku else None
        data, problems = _product_input(row)
        try:
            data = ProductSchema(partial=existing is not None).load(data)
        except ma.ValidationError as exc:
            problems.update(exc.messages_dict)
        if problems:
            for column, messages in problems.items():
                for message in messages if isinstance(messages, list) else [str(messages)]:
                    errors.add(number, column, str(message))
            continue
        try:
            with session.begin_nested():
                save_product(session, data, existing)
        except NiagaError as exc:
            for column, messages in (exc.fields or {"": [exc.message("en")]}).items():
                for message in messages:
                    errors.add(number, column, message)
            continue
        created, updated = (created, updated + 1) if existing else (created + 1, updated)
    if errors.found:
        outer.rollback()
        errors.raise_if_any()
    outer.commit()
    return {"created": created, "updated": updated, "moves": 0}


def import_opening_stock(session: Session, rows: list[dict[str, str]]) -> dict[str, int]:
    """Set stock quantities (and their cost) from rows of sku, warehouse, quantity, unit,
    cost; posted as one stock count per warehouse."""
    _check_header(rows, STOCK_COLUMNS, {"sku", "quantity"})
    errors = RowErrors()
    entries: dict[int, list[dict[str, Any]]] = {}
    seen: dict[tuple[int, int], int] = {}
    for number, row in _numbered(rows):
        entry = _stock_entry(session, number, row, errors)
        if entry is None:
            continue
        key = (entry["warehouse_id"], entry["product_id"])
        if key in seen:
            errors.add(number, "sku", f"Also on row {seen[key]} for the same warehouse.")
            continue
        seen[key] = number
        entries.setdefault(entry["warehouse_id"], []).append(entry)
    errors.raise_if_any()
    moves = 0
    with session.begin_nested():
        for warehouse_id, lines in sorted(entries.items()):
            count = counts.start(session, warehouse_id, reason=OPENING_REASON, all_products=False)
            for line in lines:
                counts.enter(
                    session,
                    count.id,
                    line["quantity"],
                    product_id=line["product_id"],
                    unit=line["unit"],
                    unit_cost=line["cost"],
                )
            moves += len(counts.post(session, count.id, OPENING_REASON, kind="opening"))
    return {"created": 0, "updated": len(seen), "moves": moves}


def _decimal(cell: str, places: int = 4) -> Decimal:
    """A number from a spreadsheet cell: a number cell as it is; text the way the shop
    writes numbers (``l10n.parse_number`` in the shop's language: in Indonesian ``2.500``
    is two thousand five hundred, ``12,5`` twelve and a half, ``12.5`` is refused)."""
    if isinstance(cell, NumberCell):
        return cell.value
    value = l10n.parse_number(cell, places=places, language=l10n.shop_language())
    if value is None:
        raise Invalid("Missing data for required field.")
    return value


def _stock_entry(
    session: Session, number: int, row: dict[str, str], errors: RowErrors
) -> dict[str, Any] | None:
    product = find_product(session, sku=row.get("sku", ""))
    if product is None:
        errors.add(number, "sku", f"No product has SKU {row.get('sku', '')!r}.")
        return None
    if not product.track_stock:
        errors.add(number, "sku", f"{product.name} does not track stock.")
    code = row.get("warehouse", "").strip()
    warehouse = find_by_code(session, code) if code else default_warehouse(session)
    if warehouse is None:
        errors.add(number, "warehouse", f"No warehouse has code {code!r}.")
    values: dict[str, Decimal | None] = {}
    for column, required in (("quantity", True), ("cost", False)):
        text = row.get(column, "").strip()
        if not text:
            if required:
                errors.add(number, column, "Missing data for required field.")
            values[column] = None
            continue
        try:
            values[column] = _decimal(row[column], 4)
        except NiagaError as exc:
            errors.add(number, column, exc.message("en"))
            continue
        if values[column] < 0:  # type: ignore[operator]
            errors.add(number, column, "Must not be negative.")
    unit = row.get("unit", "").strip() or None
    try:
        to_base(product, 1, unit)
    except Invalid:
        errors.add(number, "unit", f"{unit} is not a unit of {product.name}.")
    if str(number) in errors.found or warehouse is None:
        return None
    cost = values["cost"]
    factor = to_base(product, 1, unit)
    return {
        "product_id": product.id,
        "warehouse_id": warehouse.id,
        "quantity": values["quantity"],
        "unit": unit,
        "cost": None if cost is None else cost / factor,
    }


def export_products(session: Session) -> list[dict[str, Any]]:
    """Every product as a row of :data:`PRODUCT_COLUMNS` (importable again)."""
    rows = []
    statement = sa.select(Product).options(selectinload(Product.units)).order_by(Product.sku)
    for product in session.scalars(statement):
        row = {column: getattr(product, column, None) for column in PRODUCT_COLUMNS}
        row["units"] = units_text(product)
        rows.append(row)
    return rows


def export_stock(session: Session) -> list[dict[str, Any]]:
    """On-hand stock per product and warehouse at average cost, as opening-stock rows."""
    statement = (
        sa.select(Product.sku, Warehouse.code, StockBalance.on_hand, Valuation.unit_cost)
        .join(StockBalance, StockBalance.product_id == Product.id)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .outerjoin(Valuation, Valuation.product_id == Product.id)
        .where(StockBalance.on_hand != 0)
        .order_by(Product.sku, Warehouse.code)
    )
    return [
        {"sku": sku, "warehouse": code, "quantity": on_hand, "unit": "", "cost": cost}
        for sku, code, on_hand, cost in session.execute(statement)
    ]
