"""Marshmallow schemas of the inventory API (also used to validate imported rows)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import marshmallow as ma

from niaga.api import ListQuery, Schema
from niaga.fields import DateTime as DateTimeField
from niaga.fields import Decimal as DecimalField
from niaga_inventory.models import MAX_ID
from niaga_inventory.products import plain
from niaga_inventory.stock import business_date

QUANTITY = {"as_string": True, "places": 4}


def _id(**kwargs: Any) -> ma.fields.Integer:
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


def _money(**kwargs: Any) -> ma.fields.Decimal:
    return DecimalField(as_string=True, places=2, validate=ma.validate.Range(min=0), **kwargs)


def _quantity(**kwargs: Any) -> ma.fields.Decimal:
    return DecimalField(**QUANTITY, **kwargs)


def dump_factors(factors: Mapping[str, Decimal]) -> dict[str, str]:
    """A product's units as the API writes them: ``{"karton": "24"}``."""
    return {name: plain(factor) for name, factor in factors.items()}


def _dump_units(product: Any) -> dict[str, str]:
    return dump_factors(product.factors())


def _load_units(value: Any) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        raise ma.ValidationError('Give units as an object, e.g. {"karton": 100}.')
    field = DecimalField(as_string=True, validate=ma.validate.Range(min=0, min_inclusive=False))
    return {str(name): field.deserialize(factor) for name, factor in value.items()}


class ProductSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    sku = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    barcode = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    category = ma.fields.String(validate=ma.validate.Length(max=80))
    brand = ma.fields.String(validate=ma.validate.Length(max=80))
    active = ma.fields.Boolean()
    price = _money()
    cost = DecimalField(as_string=True, places=4, validate=ma.validate.Range(min=0))
    tax_class = ma.fields.String(validate=ma.validate.Length(1, 40))
    base_unit = ma.fields.String(required=True, validate=ma.validate.Length(1, 20))
    sale_unit = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    purchase_unit = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    units = ma.fields.Function(
        _dump_units,
        deserialize=_load_units,
        metadata={"description": "Other units and how many base units each holds"},
    )
    track_stock = ma.fields.Boolean()
    allow_negative = ma.fields.Boolean(
        metadata={"description": "Let sales take this product below zero"}
    )
    reorder_point = _quantity(allow_none=True, validate=ma.validate.Range(min=0))
    reorder_quantity = _quantity(allow_none=True, validate=ma.validate.Range(min=0))


#: The decimal fields of :class:`ProductSchema`: the only columns whose value it formats.
_PRODUCT_DECIMALS = {
    name: field
    for name, field in ProductSchema().dump_fields.items()
    if isinstance(field, ma.fields.Decimal)
}


def dump_product_row(row: Mapping[str, Any], factors: Mapping[str, Decimal]) -> dict[str, Any]:
    """What ``ProductSchema().dump`` writes for a product, from its plain column values and
    units, without an ORM object and at a fraction of the cost: the decimals go through
    their own fields; the other columns already have their field's type."""
    body = dict(row)
    for name, field in _PRODUCT_DECIMALS.items():
        # the field's own formatting, without looking the value up through its accessor
        body[name] = field._serialize(row[name], name, row)
    body["units"] = dump_factors(factors)
    return body


class ProductQuery(ListQuery):
    """``q`` searches name, SKU and barcode; sort by name, sku, price or created_at."""

    category = ma.fields.String()
    active = ma.fields.Boolean()


class WarehouseSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=ma.validate.Length(1, 20))
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    active = ma.fields.Boolean()
    is_default = ma.fields.Boolean()


class WarehouseStock(Schema):
    warehouse_id = _id()
    warehouse = ma.fields.String()
    on_hand = _quantity()
    reserved = _quantity()
    available = _quantity()


class ProductStock(Schema):
    product_id = _id()
    unit = ma.fields.String()
    on_hand = _quantity()
    reserved = _quantity()
    available = _quantity()
    unit_cost = DecimalField(as_string=True, places=4)
    value = DecimalField(as_string=True, places=2)
    warehouses = ma.fields.List(ma.fields.Nested(WarehouseStock))


class MoveSchema(Schema):
    id = ma.fields.Integer()
    occurred_at = DateTimeField()
    #: the shop's business day of ``occurred_at`` (WIB, WITA or WIT): a move at 00:30 WIB on
    #: 1 December is dated 1 December
    business_date = ma.fields.Function(lambda move: business_date(move).isoformat(), dump_only=True)
    product_id = _id()
    warehouse_id = _id()
    kind = ma.fields.String()
    quantity = _quantity()
    unit = ma.fields.String()
    unit_quantity = _quantity()
    unit_cost = DecimalField(as_string=True, places=4)
    value = DecimalField(as_string=True, places=2)
    reference = ma.fields.String()
    reason = ma.fields.String()
    actor = ma.fields.String()


class MoveQuery(ListQuery):
    """``q`` searches the reference; newest first unless ``sort`` says otherwise."""

    product_id = _id()
    warehouse_id = _id()
    kind = ma.fields.String()
    reference = ma.fields.String()


class LineSchema(Schema):
    product_id = _id(required=True)
    quantity = DecimalField(
        as_string=True, required=True, validate=ma.validate.Range(min=0, min_inclusive=False)
    )
    unit = ma.fields.String(validate=ma.validate.Length(max=20))
    cost = DecimalField(as_string=True, allow_none=True, validate=ma.validate.Range(min=0))
    warehouse_id = _id(allow_none=True)


class MoveRequest(Schema):
    reference = ma.fields.String(validate=ma.validate.Length(1, 80))
    kind = ma.fields.String()
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    lines = ma.fields.List(
        ma.fields.Nested(LineSchema), required=True, validate=ma.validate.Length(1, 500)
    )


class ReservationRequest(Schema):
    reference = ma.fields.String(required=True, validate=ma.validate.Length(1, 80))
    lines = ma.fields.List(
        ma.fields.Nested(LineSchema), required=True, validate=ma.validate.Length(1, 500)
    )


class ReservationSchema(Schema):
    reference = ma.fields.String()
    product_id = _id()
    warehouse_id = _id()
    quantity = _quantity()
    original = _quantity()


class AdjustmentRequest(Schema):
    product_id = _id(required=True)
    warehouse_id = _id(allow_none=True)
    quantity = DecimalField(
        as_string=True,
        required=True,
        metadata={"description": "signed: + found, - lost or damaged"},
    )
    unit = ma.fields.String(validate=ma.validate.Length(max=20))
    cost = DecimalField(as_string=True, allow_none=True, validate=ma.validate.Range(min=0))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))


class TransferRequest(Schema):
    product_id = _id(required=True)
    from_warehouse_id = _id(required=True)
    to_warehouse_id = _id(required=True)
    quantity = DecimalField(
        as_string=True, required=True, validate=ma.validate.Range(min=0, min_inclusive=False)
    )
    unit = ma.fields.String(validate=ma.validate.Length(max=20))
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class CountRequest(Schema):
    warehouse_id = _id(allow_none=True)
    category = ma.fields.String()
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    note = ma.fields.String(load_default="")
    all_products = ma.fields.Boolean(load_default=True)


class CountEntry(Schema):
    product_id = _id()
    sku = ma.fields.String()
    barcode = ma.fields.String()
    quantity = DecimalField(as_string=True, required=True, validate=ma.validate.Range(min=0))
    unit = ma.fields.String(validate=ma.validate.Length(max=20))
    add = ma.fields.Boolean(load_default=False, metadata={"description": "add to (scan)"})
    reason = ma.fields.String(validate=ma.validate.Length(max=200))
    unit_cost = DecimalField(as_string=True, allow_none=True, validate=ma.validate.Range(min=0))

    @ma.validates_schema
    def one_key(self, data: dict[str, Any], **_: Any) -> None:
        if not any(data.get(key) for key in ("product_id", "sku", "barcode")):
            raise ma.ValidationError("Give product_id, sku or barcode.", "product_id")


class CountQuery(ListQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "posted", "cancelled"]))


class CountPost(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class CountLineSchema(Schema):
    id = ma.fields.Integer()
    product_id = _id()
    sku = ma.fields.String()
    name = ma.fields.String()
    unit = ma.fields.String()
    expected = _quantity()
    counted = _quantity(allow_none=True)
    difference = _quantity(allow_none=True)
    value = DecimalField(as_string=True, places=2, allow_none=True)
    reason = ma.fields.String()


class CountSchema(Schema):
    id = ma.fields.Integer()
    warehouse_id = _id()
    status = ma.fields.String()
    reason = ma.fields.String()
    note = ma.fields.String()
    started_by = ma.fields.String()
    posted_by = ma.fields.String()
    created_at = DateTimeField()
    posted_at = DateTimeField(allow_none=True)
    lines = ma.fields.List(ma.fields.Nested(CountLineSchema))


class ValuationLine(Schema):
    product_id = _id()
    sku = ma.fields.String()
    name = ma.fields.String()
    category = ma.fields.String()
    unit = ma.fields.String()
    quantity = _quantity()
    unit_cost = DecimalField(as_string=True, places=4)
    value = DecimalField(as_string=True, places=2)


class ValuationSchema(Schema):
    total = DecimalField(as_string=True, places=2)
    lines = ma.fields.List(ma.fields.Nested(ValuationLine))


class ReorderNeedSchema(Schema):
    product_id = _id()
    sku = ma.fields.String()
    name = ma.fields.String()
    available = _quantity()
    reorder_point = _quantity()
    suggested_quantity = _quantity()
    unit = ma.fields.String()


class ImportResult(Schema):
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    moves = ma.fields.Integer()
