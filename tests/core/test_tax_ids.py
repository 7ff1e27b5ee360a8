"""NPWP, NIK and NITKU are read and refused the same way everywhere, with messages a shop
owner can act on (in Bahasa Indonesia)."""

from __future__ import annotations

import pytest

from niaga import settings, tax_ids
from niaga.errors import Invalid


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("01.234.567.8-901.000", "012345678901000"),  # the old 15 digits
        ("0012 3456 7890 1000", "0012345678901000"),
        ("7271011203900001", "7271011203900001"),  # a person's NIK as NPWP
        ("", None),
        ("   ", None),
    ],
)
def test_npwp_as_typed(typed, digits):
    assert tax_ids.parse_npwp(typed) == digits


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("01.234.567.8-901", "has 12 digits"),
        ("0012345678901000999", "has 19 digits"),
        ("NPWP 0012345678901000", "only digits"),
        ("0000000000000000", "all zeros"),
    ],
)
def test_a_wrong_npwp_is_refused_saying_why(typed, says):
    with pytest.raises(Invalid) as refused:
        tax_ids.parse_npwp(typed, field="buyer_npwp")
    assert says in refused.value.message("en")
    assert "buyer_npwp" in refused.value.fields


def test_old_npwp_becomes_sixteen_digits_and_a_head_office_nitku():
    assert tax_ids.npwp16("012345678901000") == "0012345678901000"
    assert tax_ids.nitku_of("012345678901000") == "0012345678901000" + "000000"
    assert tax_ids.format_npwp("012345678901000") == "01.234.567.8-901.000"
    assert tax_ids.format_npwp("0012345678901000") == "0012 3456 7890 1000"


@pytest.mark.parametrize(
    "nik",
    [
        "7271011203900001",  # Palu, born 12-03-1990
        "7271015203900002",  # a woman born the same day: 12 + 40
        "1101010101000001",  # the first province code
        "9471013112990001",  # the last, born 31-12-1999
    ],
)
def test_a_nik_is_accepted(nik):
    assert tax_ids.parse_nik(nik) == nik


@pytest.mark.parametrize(
    "nik",
    [
        "1071011203900001",  # province 10 does not exist
        "9571011203900001",  # nor 95
        "7271013503900001",  # day 35
        "7271011213900001",  # month 13
        "7271011203900000",  # serial 0000
        "727101120390001",  # 15 digits
    ],
)
def test_a_wrong_nik_is_refused(nik):
    with pytest.raises(Invalid):
        tax_ids.parse_nik(nik)


def test_nitku_is_an_npwp_and_six_digits():
    assert tax_ids.parse_nitku("0012345678901000 000001") == "0012345678901000000001"
    for wrong in ("0012345678901000", "0000000000000000000000"):
        with pytest.raises(Invalid):
            tax_ids.parse_nitku(wrong)


def test_the_refusal_reads_in_indonesian(app):
    with pytest.raises(Invalid) as refused:
        tax_ids.parse_nik("7271011203")
    said = refused.value.message("id")
    assert said == "NIK 7271011203 memiliki 10 digit; NIK terdiri dari 16 digit"


def test_the_shops_own_npwp_and_nitku_are_checked_by_the_same_rule(db):
    settings.put(db, "core.npwp", "01.234.567.8-901.000")
    settings.put(db, "core.nitku", "0012345678901000000000")
    with pytest.raises(Invalid):
        settings.put(db, "core.npwp", "12345")
    with pytest.raises(Invalid):
        settings.put(db, "core.nitku", "0012345678901000")
