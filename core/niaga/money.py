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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CURRENCY = "IDR"
ZERO = Decimal("0")
RUPIAH = Decimal("1")
CENT = Decimal("0.01")
COST_PLACES = Decimal("0.0001")
QUANTITY_PLACES = Decimal("0.0001")
HUNDRED = Decimal("100")
_FRACTION = re.compile(r"^\s*(\d{1,6}(?:\.\d{1,6})?)\s*(?:/\s*(\d{1,6}(?:\.\d{1,6})?)\s*)?$")


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


def tax_amount(net: Decimal, rate: Decimal, base_fraction: Decimal = Decimal("1")) -> Decimal:
    """Tax on ``net`` at ``rate`` (e.g. ``0.12``) on a tax base of ``base_fraction`` x net
    (``11/12`` for PPN on ordinary goods since 2025), rounded to whole rupiah."""
    return round_rupiah(net * base_fraction * rate)


def tax_base_parts(base: str) -> tuple[Decimal, Decimal]:
    """A tax base (DPP) written ``11/12``, ``1`` or ``0.9`` as ``(numerator, denominator)``.

    Raises ``ValueError`` unless it is a fraction from 0 to 1.
    """
    found = _FRACTION.match(base or "")
    if not found:
        raise ValueError(f"the tax base {base!r} must look like 11/12 or 1")
    numerator, denominator = Decimal(found.group(1)), Decimal(found.group(2) or "1")
    if denominator == 0 or numerator > denominator:
        raise ValueError(f"the tax base {base!r} must be a fraction from 0 to 1")
    return numerator, denominator


@dataclass(frozen=True)
class LineInput:
    """What a document line is priced from."""

    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = ZERO
    tax_rate: Decimal = ZERO
    tax_base: str = "1"


@dataclass(frozen=True)
class LineAmounts:
    """A line's amounts, each in whole rupiah: ``net + tax == total``."""

    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


def line_amounts(line: LineInput, prices_include_tax: bool = False) -> LineAmounts:
    """The one rule for a document line, used by sales, purchasing, POS and returns.

    ``gross = round(quantity × price)``, ``discount = round(gross × discount%)`` at full
    precision, ``amount = gross − discount``. Without tax in the price, ``net = amount`` and
    ``tax = round(net × base × rate)``; with tax in the price, ``total = amount``,
    ``net = round(amount / (1 + base × rate))`` and ``tax = total − net``, so the customer
    pays exactly the shelf price.
    """
    exact = to_decimal(line.quantity) * to_decimal(line.unit_price)
    gross = round_rupiah(exact)
    discount = round_rupiah(exact * to_decimal(line.discount_percent) / HUNDRED)
    amount = gross - discount
    numerator, denominator = tax_base_parts(line.tax_base)
    rate = to_decimal(line.tax_rate)
    if prices_include_tax:
        # one division, so that x.5 cases round exactly
        net = round_rupiah(amount * denominator / (denominator + rate * numerator))
        return LineAmounts(discount, net, amount - net, amount)
    tax = round_rupiah(amount * rate * numerator / denominator)
    return LineAmounts(discount, amount, tax, amount + tax)


def document_amounts(
    lines: Sequence[LineInput],
    prices_include_tax: bool = False,
    tax_per_document: bool = False,
) -> list[LineAmounts]:
    """The amounts of every line of a document.

    With ``tax_per_document`` PPN is rounded once per rate and tax base over the whole
    document (as some e-Faktur issuers do) and then spread back over the lines by their
    value, so the lines still add up to the document's totals.
    """
    per_line = [line_amounts(line, prices_include_tax) for line in lines]
    if not tax_per_document:
        return per_line
    result = list(per_line)
    groups: dict[tuple[Decimal, str], list[int]] = {}
    for index, line in enumerate(lines):
        groups.setdefault((to_decimal(line.tax_rate), line.tax_base), []).append(index)
    for (rate, base), members in groups.items():
        numerator, denominator = tax_base_parts(base)
        if prices_include_tax:
            paid = sum((per_line[i].total for i in members), ZERO)
            tax = paid - round_rupiah(paid * denominator / (denominator + rate * numerator))
            weights = [per_line[i].total for i in members]
        else:
            net = sum((per_line[i].net for i in members), ZERO)
            tax = round_rupiah(net * rate * numerator / denominator)
            weights = [per_line[i].net for i in members]
        for i, share in zip(members, distribute(tax, weights), strict=True):
            old = per_line[i]
            if prices_include_tax:
                result[i] = LineAmounts(old.discount, old.total - share, share, old.total)
            else:
                result[i] = LineAmounts(old.discount, old.net, share, old.net + share)
    return result


def distribute(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split whole-rupiah ``amount`` over ``weights`` in proportion, in whole rupiah that add
    up to ``amount`` exactly (largest remainder; ties go to the earlier line)."""
    amount = to_decimal(amount)
    total_weight = sum((to_decimal(w) for w in weights), ZERO)
    if not weights:
        return []
    if total_weight == 0:
        return [amount if i == 0 else ZERO for i in range(len(weights))]
    exact = [amount * to_decimal(w) / total_weight for w in weights]
    shares = [share.to_integral_value(rounding="ROUND_FLOOR") for share in exact]
    left = int(amount - sum(shares, ZERO))
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares
