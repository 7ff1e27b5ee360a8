"""Pure rules: number patterns, line rounding, NPWP, ageing buckets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from niaga.errors import Invalid
from niaga.money import LineInput, line_amounts, tax_base_parts
from niaga.numbering import render, validate_pattern
from niaga_purchasing.payables import bucket_of
from niaga_purchasing.settings import PurchasingSettings
from niaga_purchasing.suppliers import format_npwp, normalize_npwp


def test_pattern_renders_like_the_owner_wrote_it() -> None:
    """The pattern settings keep their old placeholders; core's numbering reads them."""
    assert render("PO/{year}/{month}/{seq:04d}", dt.date(2026, 11, 3), 1) == "PO/2026/11/0001"
    assert render("PB{yy}{month}{day}-{seq}", dt.date(2026, 2, 9), 12) == "PB260209-12"
    for bad in ("PO/{year}", "PO/{seq}/{colour}", "PO/{seq", "PO/{0}{seq}"):
        with pytest.raises(Invalid):
            validate_pattern(bad)
    problems = PurchasingSettings().validate({"order_number_pattern": "PO/{year}"})
    assert "order_number_pattern" in problems
    assert PurchasingSettings().validate({"order_number_pattern": "PO/{yyyy}/{seq:05}"}) == {}


def test_lines_round_half_up_per_line() -> None:
    """Purchasing lines follow core's one line rule (niaga.money.line_amounts)."""
    line = LineInput(Decimal("3"), Decimal("333.5"), Decimal("0"), Decimal("0.12"), "11/12")
    amounts = line_amounts(line)
    assert amounts.net == Decimal("1001")  # 1000.5 rounds up
    assert amounts.tax == Decimal("110")  # 1001 x 11/12 x 12 % = 110.11
    assert amounts.total == Decimal("1111")
    no_tax = line_amounts(LineInput(Decimal("2"), Decimal("1000"), Decimal("10")))
    assert (no_tax.discount, no_tax.net, no_tax.tax) == (Decimal("200"), Decimal("1800"), 0)
    assert tax_base_parts("11/12") == (Decimal(11), Decimal(12))
    for bad in ("13/12", "x", "1/0", ""):
        with pytest.raises(ValueError):
            tax_base_parts(bad)
        assert "tax_base" in PurchasingSettings().validate({"tax_base": bad})


def test_npwp() -> None:
    assert normalize_npwp(" 01.234.567.8-431.000 ") == "012345678431000"
    assert normalize_npwp("") is None
    assert format_npwp("012345678431000") == "01.234.567.8-431.000"
    with pytest.raises(Invalid):
        normalize_npwp("01.234.567.8-431.00")


def test_ageing_buckets() -> None:
    assert [bucket_of(d) for d in (0, 30, 31, 60, 61, 90, 91, 400, -2)] == [
        "0-30",
        "0-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "over_90",
        "over_90",
        "0-30",
    ]


def test_old_counters_map_onto_core_series_periods() -> None:
    """Migration purchasing0002 carries old counter keys over to core_sequence periods."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "niaga_purchasing/migrations/0002_core_numbering.py"
    spec = importlib.util.spec_from_file_location("purchasing0002", path)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    cases = [
        ("PO/{year}/{month}/{seq:04d}", "PO/2026/11/{seq}", "2026-11"),
        ("SUP{seq:04d}", "SUP{seq}", ""),
        ("PB{yy}{month}{day}-{seq}", "PB260209-{seq}", "2026-02-09"),
        ("X/{month}/{seq}", "X/11/{seq}", None),  # no year: cannot be told, dropped
    ]
    for pattern, key, period in cases:
        found = migration.key_matcher(pattern).match(key)
        assert found and migration.period_of(found) == period, (pattern, key)
    assert migration.key_matcher("PO/{year}/{month}/{seq:04d}").match("GR/2026/11/{seq}") is None
