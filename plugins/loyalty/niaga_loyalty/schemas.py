"""Marshmallow schemas of loyalty records, shared by the API and the admin forms so both
validate input the same way."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from niaga.api import Schema
from niaga.fields import Date as DateField
from niaga.fields import DateTime as DateTimeField
from niaga.fields import Decimal as DecimalField
from niaga_loyalty.models import MAX_ID

#: Columns are NUMERIC(18, 2) and (18, 4): larger input is refused, not stored.
MAX_MONEY = 10**15
MAX_FACTOR = 10**13
POSITIVE = validate.Range(min=0, max=MAX_MONEY, min_inclusive=False)
NOT_NEGATIVE = validate.Range(min=0, max=MAX_MONEY)
ID = validate.Range(min=1, max=MAX_ID)
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Contains a NUL character")


def text(low: int, high: int, **kwargs: Any) -> ma.fields.String:
    """A string of ``low`` to ``high`` characters (PostgreSQL refuses NUL characters)."""
    return ma.fields.String(validate=[validate.Length(low, high), NO_NUL], **kwargs)


def money(**kwargs: Any) -> ma.fields.Decimal:
    return DecimalField(as_string=True, places=2, allow_nan=False, **kwargs)


def factor(**kwargs: Any) -> ma.fields.Decimal:
    return DecimalField(as_string=True, places=4, allow_nan=False, **kwargs)


class LoyaltyProgramSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = text(1, 120, required=True)
    active = ma.fields.Boolean(load_default=True)
    amount_per_step = money(load_default="10000", validate=POSITIVE)
    points_per_step = ma.fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    min_order = money(load_default="0", validate=NOT_NEGATIVE)
    product_multipliers = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Regexp(r"^\d{1,9}$", error="Use a product id")),
        values=factor(validate=validate.Range(0, 1000)),
        load_default=dict,
    )
    category_multipliers = ma.fields.Dict(
        keys=text(1, 120),
        values=factor(validate=validate.Range(0, 1000)),
        load_default=dict,
    )

    @ma.post_load
    def as_json(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for name in ("product_multipliers", "category_multipliers"):
            if name in data:
                data[name] = {key: str(value) for key, value in data[name].items()}
        return data


class LoyaltyTierSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = text(1, 60, required=True)
    min_spend = money(required=True, validate=NOT_NEGATIVE)
    multiplier = factor(load_default="1", validate=validate.Range(min=0, max=100))


class LoyaltyCampaignSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = text(1, 120, required=True)
    starts_on = DateField(required=True)
    ends_on = DateField(required=True)
    multiplier = factor(load_default="1", validate=validate.Range(min=0, max=100))
    bonus_points = ma.fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    scope = ma.fields.String(
        load_default="everyone",
        validate=validate.OneOf(["everyone", "product", "category", "group"]),
    )
    target = text(0, 120, load_default="")
    active = ma.fields.Boolean(load_default=True)

    @ma.validates_schema
    def check(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            raise ma.ValidationError("The campaign ends before it starts", "ends_on")
        if data.get("scope", "everyone") != "everyone" and not data.get("target") and not partial:
            raise ma.ValidationError("Name the product, category or group", "target")


class LoyaltyRewardSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = text(1, 160, required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(["voucher", "gift"]))
    points_cost = ma.fields.Integer(required=True, validate=validate.Range(1, 100_000_000))
    discount_amount = money(allow_none=True, load_default=None, validate=POSITIVE)
    discount_percent = factor(
        allow_none=True, load_default=None, validate=validate.Range(0, 100, min_inclusive=False)
    )
    min_order = money(load_default="0", validate=NOT_NEGATIVE)
    product_id = ma.fields.Integer(allow_none=True, load_default=None, validate=ID)
    quantity = factor(load_default="1", validate=validate.Range(0, MAX_FACTOR, min_inclusive=False))
    active = ma.fields.Boolean(load_default=True)

    @ma.validates_schema
    def check(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        if partial:
            return
        if data.get("kind") == "voucher":
            given = [n for n in ("discount_amount", "discount_percent") if data.get(n)]
            if len(given) != 1:
                raise ma.ValidationError(
                    "A voucher gives either an amount or a percent off", "discount_amount"
                )
        if data.get("kind") == "gift" and not data.get("product_id"):
            raise ma.ValidationError("A gift names the product to give", "product_id")


class LoyaltyMemberSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    customer_id = ma.fields.Integer(required=True, validate=ID)
    name = text(0, 160, load_default="")
    user_id = ma.fields.Integer(allow_none=True, load_default=None, validate=ID)
    balance = ma.fields.Integer(dump_only=True)
    tier = ma.fields.Function(lambda m: m.tier.name if m.tier else None, dump_only=True)


class LoyaltyMemberLinkSchema(Schema):
    user_id = ma.fields.Integer(required=True, allow_none=True, validate=ID)


class LoyaltyEntrySchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    points = ma.fields.Integer()
    value = money()
    reference = ma.fields.String()
    order_reference = ma.fields.String()
    spend = money()
    reason = ma.fields.String()
    actor = ma.fields.String()
    occurred_at = DateTimeField()


class LoyaltyExpiringSchema(Schema):
    expires_at = DateTimeField()
    points = ma.fields.Integer()


class LoyaltyTierChangeSchema(Schema):
    from_tier = ma.fields.String()
    to_tier = ma.fields.String()
    spend = money()
    occurred_at = DateTimeField()


class LoyaltyMemberDetailSchema(Schema):
    member = ma.fields.Nested(LoyaltyMemberSchema)
    spend = money()
    expiring = ma.fields.List(ma.fields.Nested(LoyaltyExpiringSchema))
    tier_changes = ma.fields.List(ma.fields.Nested(LoyaltyTierChangeSchema))


class LoyaltyAdjustSchema(Schema):
    points = ma.fields.Integer(required=True, validate=validate.Range(-100_000_000, 100_000_000))
    reason = text(1, 200, required=True)


class LoyaltyRedeemSchema(Schema):
    reward_id = ma.fields.Integer(required=True, validate=ID)


class LoyaltyRedemptionSchema(Schema):
    id = ma.fields.Integer()
    member_id = ma.fields.Integer()
    reward_id = ma.fields.Integer()
    reward_name = ma.fields.Function(lambda r: r.reward.name)
    kind = ma.fields.String()
    points = ma.fields.Integer()
    status = ma.fields.String()
    code = ma.fields.String()
    order_reference = ma.fields.String(allow_none=True)
    used_at = DateTimeField(allow_none=True)
    created_at = DateTimeField()


class LoyaltyPeriodSchema(Schema):
    start = DateField(load_default=None)
    end = DateField(load_default=None)
    limit = ma.fields.Integer(load_default=10, validate=validate.Range(1, 100))


class LoyaltySearchSchema(Schema):
    q = text(0, 100, load_default="")


class LoyaltySummarySchema(Schema):
    points = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    value = ma.fields.Dict(keys=ma.fields.String(), values=money())
    point_value = money()
    members = ma.fields.Integer()


class LoyaltyTopMemberSchema(Schema):
    member_id = ma.fields.Integer()
    name = ma.fields.String()
    customer_id = ma.fields.Integer()
    points = ma.fields.Integer()
    spend = money()


class LoyaltyExpireResultSchema(Schema):
    expired_rows = ma.fields.Integer()
    expired_points = ma.fields.Integer()
    tier_changes = ma.fields.Integer()
