"""Line amounts: quantity x price, less the line discount, plus PPN; rounded per line.

Each line is computed at full precision and rounded to whole rupiah (``niaga.money``); the
document totals are sums of the rounded lines, so lines always add up (docs/money.md).
PPN per line is ``round(net x tax base x rate)`` with the rate and the tax base (DPP, e.g.
``11/12``) stored on the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from niaga import money
from niaga.errors import Invalid

if TYPE_CHECKING:
    from niaga_purchasing.models import PricedLine

ZERO = Decimal("0")
HUNDRED = Decimal("100")
_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?)\s*)?$")


def parse_tax_base(text: str) -> Decimal:
    """``"11/12"`` or ``"1"`` or ``"0.9"`` as a Decimal fraction between 0 and 1."""
    found = _FRACTION.match(text or "")
    if not found:
        raise Invalid("The tax base {value} must look like 11/12 or 1", value=text)
    numerator = Decimal(found.group(1))
    denominator = Decimal(found.group(2) or "1")
    if denominator == 0 or numerator > denominator:
        raise Invalid("The tax base {value} must be a fraction from 0 to 1", value=text)
    return numerator / denominator


@dataclass(frozen=True)
class LineAmounts:
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


def line_amounts(
    quantity: Decimal,
    unit_price: Decimal,
    discount_percent: Decimal,
    tax_rate: Decimal,
    tax_base: str,
) -> LineAmounts:
    """The discount, net, PPN and total of one line, each in whole rupiah."""
    gross = money.round_rupiah(quantity * unit_price)
    discount = money.round_rupiah(quantity * unit_price * discount_percent / HUNDRED)
    net = gross - discount
    tax = money.tax_amount(net, tax_rate, parse_tax_base(tax_base))
    return LineAmounts(discount=discount, net=net, tax=tax, total=net + tax)


def apply(line: PricedLine) -> None:
    """Fill a line's discount, net, tax and total from its quantity, price and rates."""
    amounts = line_amounts(
        line.quantity, line.unit_price, line.discount_percent, line.tax_rate, line.tax_base
    )
    line.discount = amounts.discount
    line.net = amounts.net
    line.tax = amounts.tax
    line.total = amounts.total
