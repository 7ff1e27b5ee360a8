"""The one line rule in ``niaga.money``, checked against an independent calculation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from niaga.money import LineInput, distribute, document_amounts, line_amounts


def half_up(value: Fraction) -> int:
    return int(Decimal(value.numerator / Decimal(value.denominator)).quantize(1, ROUND_HALF_UP))


def expected(quantity, price, percent, rate, base, inclusive):
    """The rule written again with exact fractions."""
    n, d = (Fraction(p) for p in base.split("/")) if "/" in base else (Fraction(base), 1)
    exact = Fraction(quantity) * Fraction(price)
    discount = half_up(exact * Fraction(percent) / 100)
    amount = half_up(exact) - discount
    if inclusive:
        net = half_up(Fraction(amount) / (1 + Fraction(rate) * n / d))
        return discount, net, amount - net, amount
    tax = half_up(amount * Fraction(rate) * n / d)
    return discount, amount, tax, amount + tax


lines = st.builds(
    LineInput,
    quantity=st.decimals(min_value="0.0001", max_value="10000", places=4),
    unit_price=st.decimals(min_value="0", max_value="5000000", places=2),
    discount_percent=st.decimals(min_value="0", max_value="100", places=2),
    tax_rate=st.sampled_from([Decimal("0"), Decimal("0.11"), Decimal("0.12")]),
    tax_base=st.sampled_from(["1", "11/12"]),
)


@given(lines, st.booleans())
def test_a_line_matches_the_rule_computed_with_fractions(line, inclusive):
    got = line_amounts(line, prices_include_tax=inclusive)
    assert (got.discount, got.net, got.tax, got.total) == expected(
        line.quantity,
        line.unit_price,
        line.discount_percent,
        line.tax_rate,
        line.tax_base,
        inclusive,
    )
    assert got.net + got.tax == got.total


def test_the_discount_is_rounded_on_its_own():
    # price 10, 5 % off: the buyer gets Rp 1 off (0,50 rounds half up), net Rp 9
    got = line_amounts(LineInput(Decimal(1), Decimal(10), Decimal(5)))
    assert (got.discount, got.net) == (Decimal(1), Decimal(9))


@given(st.lists(lines, min_size=1, max_size=12), st.booleans())
def test_tax_per_document_is_rounded_once_and_still_adds_up(document, inclusive):
    per_line = document_amounts(document, inclusive)
    per_doc = document_amounts(document, inclusive, tax_per_document=True)
    for line, amounts in zip(per_line, per_doc, strict=True):
        assert amounts.net + amounts.tax == amounts.total
        assert amounts.total == line.total if inclusive else amounts.net == line.net
    groups: dict = {}
    for line, amounts in zip(document, per_doc, strict=True):
        groups.setdefault((line.tax_rate, line.tax_base), []).append(amounts)
    for (rate, base), members in groups.items():
        n, d = (Fraction(p) for p in base.split("/")) if "/" in base else (Fraction(base), 1)
        if inclusive:
            paid = sum(m.total for m in members)
            tax = paid - half_up(Fraction(paid) / (1 + Fraction(rate) * n / d))
        else:
            tax = half_up(sum(Fraction(m.net) for m in members) * Fraction(rate) * n / d)
        assert sum(m.tax for m in members) == tax


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=20),
)
def test_distribute_adds_up_and_stays_within_a_rupiah_of_the_exact_share(amount, weights):
    shares = distribute(Decimal(amount), [Decimal(w) for w in weights])
    assert sum(shares) == amount
    total = sum(weights)
    if total:
        for share, weight in zip(shares, weights, strict=True):
            assert abs(Fraction(int(share)) - Fraction(amount * weight, total)) < 1
