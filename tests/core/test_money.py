"""Money rules: Decimal only, whole-rupiah rounding half up, Indonesian formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from niaga import l10n, money


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1250000", "Rp 1.250.000"),
        ("0", "Rp 0"),
        ("999.5", "Rp 1.000"),
        ("999.49", "Rp 999"),
        ("-50000", "Rp -50.000"),
        (Decimal("12345678901"), "Rp 12.345.678.901"),
    ],
)
def test_format_rupiah(amount, shown):
    assert l10n.format_money(amount) == shown


def test_round_half_up_not_bankers():
    assert money.round_rupiah(Decimal("2.5")) == Decimal("3")
    assert money.round_rupiah(Decimal("-2.5")) == Decimal("-3")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money.to_decimal(0.1)
    with pytest.raises(ValueError):
        money.to_decimal("sepuluh")


def test_ppn_on_eleven_twelfths_base_is_effectively_eleven_percent():
    assert money.tax_amount(Decimal("100000"), Decimal("0.12"), Decimal(11) / Decimal(12)) == 11000
    assert money.tax_amount(Decimal("100000"), Decimal("0.11")) == 11000


def test_numbers_and_quantities():
    assert l10n.format_number(Decimal("1234.5"), 1) == "1.234,5"
    assert l10n.format_quantity(Decimal("12.0000")) == "12"
    assert l10n.format_quantity(Decimal("1.5000")) == "1,5"
