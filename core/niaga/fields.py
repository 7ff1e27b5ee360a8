"""The API's decimal field and how the OpenAPI document describes it.

Amounts and quantities travel as JSON strings (``"1250000.00"``, ``"2.5000"``): a JSON number
is a binary float to most clients, and money is never a float. The one rule, for every
plugin (see ``docs/decisions.md``):

- answers always carry a decimal as a string of digits (``^-?\\d+(\\.\\d+)?$``, no exponent);
- requests send a string of the same form, or a whole JSON number (``2``); a JSON number
  with a fraction or an exponent (``2.5``, ``1e-30``) is refused, send ``"2.5"``;
- a value with more decimals than the field keeps (``places``) is refused, never rounded
  (``"0.00001"`` for a quantity of four places would be stored as 0).

The document says so: a string with a ``pattern`` (the sign and the places allowed, and no
zero where zero is refused) or, in requests, an integer with numeric bounds.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

import marshmallow as ma

#: The years a date or a moment of the API may fall in (both included): a typo's year 0001
#: or 9999 is refused, never stored (PostgreSQL cannot even shift 9999-12-31T23:59:59-12:00
#: to UTC and read it back). ``niaga check`` flags stored dates outside them.
FIRST_YEAR = 1900
LAST_YEAR = 2199
YEAR_MESSAGE = "The year must be from {first} to {last}"

#: What a decimal looks like on the wire: digits, an optional point and more digits.
DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?")
#: Whole JSON numbers beyond this are not exact in a float, so they are refused too.
MAX_WHOLE_NUMBER = 2**53


class Decimal(ma.fields.Decimal):
    """A decimal sent and read as a string, refusing floats and surplus decimals.

    ``places`` is how many decimals the database column keeps; without it any number of
    decimals is accepted (for ratios that are not stored)."""

    default_error_messages = {
        "float": 'Send a number with decimals as text, for example "2.5"',
        "places": "At most {places} decimal places",
    }

    def __init__(self, places: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("allow_nan", False)
        kwargs["as_string"] = True
        super().__init__(places=places, **kwargs)
        self.decimal_places = places

    def _validated(self, value: Any) -> decimal.Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float):
            if not value.is_integer() or abs(value) > MAX_WHOLE_NUMBER:
                raise self.make_error("float")
            value = int(value)
        if isinstance(value, int) and abs(value) > MAX_WHOLE_NUMBER:
            raise self.make_error("float")
        if isinstance(value, str):
            if not DECIMAL_TEXT.fullmatch(value):
                raise self.make_error("invalid")
            decimals = len(value.partition(".")[2].rstrip("0"))
            if self.decimal_places is not None and decimals > self.decimal_places:
                raise self.make_error("places", places=self.decimal_places)
        return super()._validated(value)


def decimal_pattern(places: int | None, *, negative: bool, zero: bool) -> str:
    """The regular expression of a decimal string: with a ``-`` when ``negative`` values
    are allowed, at most ``places`` significant decimals (trailing zeros are harmless), and
    not zero (``0``, ``0.00``) unless ``zero``."""
    fraction = r"\d+" if places is None else rf"\d{{1,{places}}}0*"
    if zero:
        body = rf"\d+(\.{fraction})?"
    else:
        if places is None:
            nonzero_fraction = r"\d*[1-9]\d*"
        else:
            # n leading zeros, a non-zero digit, then up to places - n - 1 digits
            leading = (rf"0{{{n}}}[1-9]\d{{0,{places - 1 - n}}}" for n in range(places))
            nonzero_fraction = f"({'|'.join(leading)})0*"
        body = rf"(\d*[1-9]\d*(\.{fraction})?|\d+\.{nonzero_fraction})"
    return "^" + ("-?" if negative else "") + body + "$"


#: Every decimal an answer carries matches this.
ANY_DECIMAL = r"^-?\d+(\.\d+)?$"


def decimal_property(self: Any, field: ma.fields.Field, ret: dict[str, Any], **_: Any) -> Any:
    """apispec attribute function: a decimal as the API really reads and writes it (a
    string with a pattern; in requests also a whole number with numeric bounds), in place
    of apispec's ``number`` with bounds written as strings."""
    if not isinstance(field, ma.fields.Decimal):
        return {}
    for key in ("type", "format", "minimum", "maximum", "x-minimum", "x-maximum", "nullable"):
        ret.pop(key, None)
    nullable = {"nullable": True} if field.allow_none else {}
    if field.dump_only:
        return {"type": "string", "pattern": ANY_DECIMAL, **nullable}
    low, low_inclusive, high, high_inclusive = _range(field)
    places = -int(field.places.as_tuple().exponent) if field.places is not None else None
    negative = low is None or low < 0
    zero = negative or (low == 0 and low_inclusive)
    text = {"type": "string", "pattern": decimal_pattern(places, negative=negative, zero=zero)}
    whole: dict[str, Any] = {"type": "integer"}
    if low is not None:
        whole["minimum"] = json_number(low)
        if not low_inclusive:
            whole["exclusiveMinimum"] = True
    if high is not None:
        whole["maximum"] = json_number(high)
        if not high_inclusive:
            whole["exclusiveMaximum"] = True
    bounds = _describe_bounds(low, low_inclusive, high, high_inclusive)
    description = ret.get("description", "")
    ret["description"] = "; ".join(filter(None, [description, "a decimal as text", bounds]))
    return {"anyOf": [{**text, **nullable}, {**whole, **nullable}]}


def _range(field: ma.fields.Field) -> tuple[Any, bool, Any, bool]:
    """The tightest ``(low, low_inclusive, high, high_inclusive)`` of the field's ranges."""
    low, low_inclusive, high, high_inclusive = None, True, None, True
    for validator in field.validators:
        if not isinstance(validator, ma.validate.Range):
            continue
        if validator.min is not None and (low is None or validator.min >= low):
            low, low_inclusive = validator.min, validator.min_inclusive
        if validator.max is not None and (high is None or validator.max <= high):
            high, high_inclusive = validator.max, validator.max_inclusive
    return low, low_inclusive, high, high_inclusive


def json_number(value: Any) -> int | float:
    number = decimal.Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _describe_bounds(low: Any, low_inclusive: bool, high: Any, high_inclusive: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'≥' if low_inclusive else '>'} {low}")
    if high is not None:
        parts.append(f"{'≤' if high_inclusive else '<'} {high}")
    return " and ".join(parts)


def json_type_problems(schema: ma.Schema, data: Any) -> dict[Any, Any]:
    """Messages for JSON values of the wrong JSON type that marshmallow would coerce:
    ``0``/``1``/``"yes"`` for a boolean, ``true``, ``"5"`` or ``2.5`` for an integer. The document
    (derived from the same schema) refuses them, so the API does too; query strings are
    text and are not checked here. Nested like marshmallow's messages."""
    if isinstance(data, list) and schema.many:
        found = {n: p for n, item in enumerate(data) if (p := json_type_problems(schema, item))}
        return found
    if not isinstance(data, dict):
        return {}
    problems: dict[Any, Any] = {}
    for field in schema.load_fields.values():
        name = field.data_key or field.name
        if name in data and (problem := _value_problem(field, data[name])):
            problems[name] = problem
    return problems


def _value_problem(field: ma.fields.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, ma.fields.Boolean) and not isinstance(value, bool):
        return ["Not a valid boolean."]
    if isinstance(field, ma.fields.Integer) and (
        isinstance(value, bool | str) or isinstance(value, float) and not value.is_integer()
    ):
        return ["Not a valid integer."]
    if isinstance(field, ma.fields.Nested) and isinstance(field.schema, ma.Schema):
        if field.many and isinstance(value, list):
            found = {
                n: p for n, v in enumerate(value) if (p := json_type_problems(field.schema, v))
            }
            return found or None
        return json_type_problems(field.schema, value) or None
    if isinstance(field, ma.fields.List) and isinstance(value, list):
        found = {n: p for n, v in enumerate(value) if (p := _value_problem(field.inner, v))}
        return found or None
    if isinstance(field, ma.fields.Dict) and field.value_field and isinstance(value, dict):
        found = {
            k: {"value": p} for k, v in value.items() if (p := _value_problem(field.value_field, v))
        }
        return found or None
    return None


class _Bounded:
    """Refuses a loaded date or moment outside :data:`FIRST_YEAR`..:data:`LAST_YEAR`."""

    make_error: Any

    def _check_year(self, value: dt.date) -> None:
        moment = value
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            try:  # the year where it is stored (UTC); past the calendar's end is out too
                moment = value.astimezone(dt.UTC)
            except OverflowError:
                raise self.make_error("year", first=FIRST_YEAR, last=LAST_YEAR) from None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise self.make_error("year", first=FIRST_YEAR, last=LAST_YEAR)


def _year_bounds(ret: dict[str, Any]) -> None:
    bounds = f"year {FIRST_YEAR} to {LAST_YEAR}"
    ret["description"] = "; ".join(filter(None, [ret.get("description", ""), bounds]))


class Date(_Bounded, ma.fields.Date):
    """An ISO date (``2026-12-01``) of a sensible year: every date the API reads."""

    default_error_messages = {"year": YEAR_MESSAGE}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.date:
        loaded: dt.date = super()._deserialize(value, attr, data, **kwargs)
        self._check_year(loaded)
        return loaded


class DateTime(_Bounded, ma.fields.DateTime):
    """An ISO moment (``2026-12-01T10:30:00+07:00``) of a sensible year: every date and
    time the API reads."""

    default_error_messages = {"year": YEAR_MESSAGE}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.datetime:
        loaded: dt.datetime = super()._deserialize(value, attr, data, **kwargs)
        self._check_year(loaded)
        return loaded


class AwareDateTime(DateTime, ma.fields.AwareDateTime):
    """A :class:`DateTime` that must carry its offset (``+07:00``, ``Z``)."""


def date_property(self: Any, field: ma.fields.Field, ret: dict[str, Any], **_: Any) -> Any:
    """apispec attribute function: a bounded date or moment says its years."""
    if isinstance(field, _Bounded) and not field.dump_only:
        _year_bounds(ret)
    return {}
