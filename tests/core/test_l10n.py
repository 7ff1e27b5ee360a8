"""Numbers typed by people mean the same in every form and the CLI; output is localized."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from niaga import l10n
from niaga.errors import Invalid
from niaga.inputs import FormReader

REFUSED = "refused"

#: (typed, meaning in Indonesian, meaning in English)
TABLE = [
    ("12.500", Decimal("12500"), Decimal("12.5")),
    ("1.250.000", Decimal("1250000"), REFUSED),
    ("1.250.000,50", Decimal("1250000.50"), REFUSED),
    ("12,5", Decimal("12.5"), REFUSED),
    ("12.5", REFUSED, Decimal("12.5")),
    ("1,250,000.50", REFUSED, Decimal("1250000.50")),
    ("1250000", Decimal("1250000"), Decimal("1250000")),
    ("Rp 40.000", Decimal("40000"), Decimal("40.000")),
    ("1e3", REFUSED, REFUSED),
    ("-5", Decimal("-5"), Decimal("-5")),
    ("", None, None),
    ("   ", None, None),
    ("garbage", REFUSED, REFUSED),
    ("12..5", REFUSED, REFUSED),
    ("NaN", REFUSED, REFUSED),
    ("Infinity", REFUSED, REFUSED),
    ("1.2.3", REFUSED, REFUSED),
]


def meaning(text: str, language: str, places: int | None = None) -> object:
    try:
        return l10n.parse_number(text, places=places, language=language)
    except Invalid:
        return REFUSED


@pytest.mark.parametrize(("typed", "in_id", "in_en"), TABLE)
def test_a_typed_number_has_one_meaning_per_language(typed, in_id, in_en):
    assert meaning(typed, "id") == in_id
    assert meaning(typed, "en") == in_en


@pytest.mark.parametrize(("typed", "in_id", "in_en"), TABLE)
def test_form_reader_reads_the_same_as_the_parser(typed, in_id, in_en):
    for language, expected in (("id", in_id), ("en", in_en)):
        reader = FormReader({"amount": typed}, language=language)
        value = reader.number("amount", minimum=None)
        if expected == REFUSED:
            assert "amount" in reader.errors
            with pytest.raises(Invalid) as caught:
                reader.check()
            assert caught.value.fields["amount"]
        else:
            assert not reader.errors
            assert value == expected


def test_refusals_say_how_to_type_it():
    with pytest.raises(Invalid) as caught:
        l10n.parse_number("12.5", language="id")
    message = caught.value.message("id")
    assert "12.5" in message and "1.250.000,5" in message
    with pytest.raises(Invalid) as caught:
        l10n.parse_number("12,5", language="en")
    assert "1,250,000.5" in caught.value.message("en")


def test_more_decimals_than_the_field_keeps_are_refused_not_rounded():
    assert l10n.parse_number("2.500,50", places=2, language="id") == Decimal("2500.50")
    for typed, places in (("2.500,505", 2), ("1,5", 0), ("0,00001", 4)):
        with pytest.raises(Invalid):
            l10n.parse_number(typed, places=places, language="id")


def test_bounds_are_checked_with_messages_per_field():
    reader = FormReader({"price": "-5", "qty": "0", "name": ""}, language="id")
    reader.money("price")
    reader.quantity("qty", positive=True)
    reader.text("name", required=True)
    with pytest.raises(Invalid) as caught:
        reader.check()
    assert set(caught.value.fields) == {"price", "qty", "name"}


@pytest.mark.parametrize(
    ("value", "places", "in_id", "in_en"),
    [
        (Decimal("40000"), 2, "40.000", "40,000"),
        (Decimal("40000.00"), 2, "40.000", "40,000"),
        (Decimal("2500.50"), 2, "2.500,5", "2,500.5"),
        (Decimal("1.5000"), 4, "1,5", "1.5"),
        (Decimal("0.0001"), 4, "0,0001", "0.0001"),
        (Decimal("-50000"), 2, "-50.000", "-50,000"),
        (None, 2, "", ""),
    ],
)
def test_what_a_form_prefills_reads_back_as_the_same_value(value, places, in_id, in_en):
    assert l10n.number_for_input(value, places, "id") == in_id
    assert l10n.number_for_input(value, places, "en") == in_en
    for language, text in (("id", in_id), ("en", in_en)):
        assert l10n.parse_number(text, places=places, language=language) == value


def test_money_dates_and_percent_are_formatted_by_locale():
    assert l10n.format_money(Decimal("1250000"), language="id") == "Rp 1.250.000"
    assert l10n.format_money(Decimal("1250000"), language="en") == "Rp 1,250,000"
    assert l10n.format_money(Decimal("-50000.4"), language="id") == "Rp -50.000"
    assert l10n.format_quantity(Decimal("1.5000"), language="id") == "1,5"
    assert l10n.format_percent(Decimal("12.5"), language="id") == "12,5%"
    assert l10n.format_day(dt.date(2026, 12, 1), language="id") == "1 Desember 2026"
    assert l10n.format_day(dt.date(2026, 12, 1), language="en") == "1 December 2026"


def test_dates_typed_in_forms_are_bounded():
    reader = FormReader({"a": "2026-12-01", "b": "0001-01-01", "c": "31/12/2026"})
    assert reader.date("a") == dt.date(2026, 12, 1)
    reader.date("b")
    reader.date("c")
    assert set(reader.errors) == {"b", "c"}
