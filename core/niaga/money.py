"""Money and quantities: Decimal only, rounding rules in one place.

Rules (see ``docs/money.md``):

* Amounts are ``Decimal`` and stored as ``NUMERIC(18, 2)``; quantities ``NUMERIC(18, 4)``.
* IDR has no minor unit in use: document totals are rounded to whole rupiah, half up
  (``ROUND_HALF_UP``), the way a cashier rounds.
* Lines are computed at full precision, rounded to whole rupiah per line, and the document
  total is the sum of the rounded lines, so lines always add up to the total.
* Unit costs (moving average) keep 4 decimals so that valuation does not drift.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CURRENCY = "IDR"
ZERO = Decimal("0")
RUPIAH = Decimal("1")
CENT = Decimal("0.01")
COST_PLACES = Decimal("0.0001")
QUANTITY_PLACES = Decimal("0.0001")


def to_decimal(value: Any) -> Decimal:
    """Convert an int, str or Decimal to Decimal; floats are refused to keep money exact."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("money and quantities must not be floats; pass a str or Decimal")
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def round_rupiah(amount: Decimal) -> Decimal:
    """Round to whole rupiah, half up."""
    return to_decimal(amount).quantize(RUPIAH, rounding=ROUND_HALF_UP)


def round_cost(amount: Decimal) -> Decimal:
    """Round a unit cost to 4 decimals, half up."""
    return to_decimal(amount).quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def round_quantity(quantity: Decimal) -> Decimal:
    """Round a quantity to 4 decimals, half up."""
    return to_decimal(quantity).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)


def format_rupiah(amount: Any, with_symbol: bool = True) -> str:
    """Format as Indonesians write it: ``Rp 1.250.000`` (``Rp -50.000`` when negative)."""
    value = round_rupiah(to_decimal(amount))
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.0f}".replace(",", ".")
    return f"Rp {sign}{digits}" if with_symbol else f"{sign}{digits}"


def format_number(value: Any, places: int = 0) -> str:
    """Format a number the Indonesian way: ``1.234,5`` (dot thousands, comma decimals)."""
    number = to_decimal(value)
    text = f"{number:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_quantity(value: Any) -> str:
    """A quantity without trailing zeros: ``12``, ``1,5``."""
    number = to_decimal(value)
    if number == number.to_integral_value():
        return format_number(number, 0)
    normalized = number.normalize()
    return format_number(normalized, -int(normalized.as_tuple().exponent))


def tax_amount(net: Decimal, rate: Decimal, base_fraction: Decimal = Decimal("1")) -> Decimal:
    """Tax on ``net`` at ``rate`` (e.g. ``0.12``) on a tax base of ``base_fraction`` x net
    (``11/12`` for PPN on ordinary goods since 2025), rounded to whole rupiah."""
    return round_rupiah(net * base_fraction * rate)
