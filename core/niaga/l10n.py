"""Numbers, money and dates as people type and read them, in Indonesian and English.

One rule for every form, page, report and CLI command (see ``docs/money.md``):

* In Indonesian ``.`` groups thousands and ``,`` marks decimals: ``1.250.000`` is one
  million two hundred and fifty thousand, ``12,5`` is twelve and a half. In English the
  other way round. Plain digits (``1250000``) mean the same in both.
* Input that a reader of the language could take two ways is refused with a message, never
  reinterpreted: ``12.5`` in Indonesian (is it 125 or 12,5?), ``12,5`` in English.
  Exponents (``1e3``), more decimals than the field keeps, and anything not a number are
  refused too.
* Output goes through Babel with the same locale data: ``Rp 1.250.000``, ``1,5``,
  ``12,5%``, ``1 Desember 2026``.

Functions take an optional ``language``; by default the current request's (the shop's
language outside a request).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from niaga import settings
from niaga.db import session
from niaga.errors import Invalid
from niaga.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language

#: What a number may look like before Babel reads it: digits, separators and one sign.
_NUMBER_SHAPE = re.compile(r"^[+-]?[0-9.,]+$")
_CURRENCY_PREFIX = re.compile(r"^(?:rp|idr)\.?", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class NumberInputError(Invalid):
    """A typed number that cannot be read without guessing."""

    code = "invalid_number"


def _language(language: str | None) -> str:
    """The given language, else the request's, else (CLI, jobs) the shop's."""
    if language:
        return language
    from flask import has_app_context, has_request_context

    if has_request_context() or not has_app_context():
        return current_language()
    return shop_language()


def shop_language() -> str:
    """The shop's language (``core.language``), for work outside a request."""
    try:
        chosen = settings.get_stored(session(), "core.language", DEFAULT_LANGUAGE)
    except Exception:  # before `niaga init` there is no settings table yet
        return DEFAULT_LANGUAGE
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def example(language: str | None = None) -> str:
    """How to type one million two hundred fifty thousand and a half, in ``language``."""
    return format_decimal(Decimal("1250000.5"), format="#,##0.0#", locale=_language(language))


def parse_number(
    text: str | None,
    *,
    places: int | None = None,
    language: str | None = None,
) -> Decimal | None:
    """Read a number typed by a person; ``None`` for empty input.

    ``places`` is how many decimals the field keeps (2 for money, 4 for quantities, 0 for
    whole numbers); more are refused rather than rounded away. Raises
    :class:`NumberInputError` with a message saying how to type it.
    """
    cleaned = _SPACES.sub("", _CURRENCY_PREFIX.sub("", (text or "").strip()).strip())
    cleaned = cleaned.rstrip("%")
    if not cleaned:
        return None
    lang = _language(language)
    if not _NUMBER_SHAPE.match(cleaned):
        raise NumberInputError(
            "{value} is not a number; type it like {example}",
            value=text,
            example=example(lang),
        )
    try:
        value = parse_decimal(cleaned, locale=lang, strict=True)
    except NumberFormatError:
        raise NumberInputError(
            "{value} can be read more than one way; type it like {example}",
            value=text,
            example=example(lang),
        ) from None
    if not value.is_finite():
        raise NumberInputError("{value} is not a number", value=text)
    if places is not None and -int(value.normalize().as_tuple().exponent) > places:
        if places == 0:
            raise NumberInputError("{value} must be a whole number", value=text)
        raise NumberInputError("{value} has more than {places} decimals", value=text, places=places)
    return value


def format_number(value: Any, places: int = 0, language: str | None = None) -> str:
    """``1.234,5`` in Indonesian, ``1,234.5`` in English, with exactly ``places`` decimals."""
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(
        Decimal(str(value)), format=pattern, locale=_language(language), decimal_quantization=True
    )


def format_quantity(value: Any, language: str | None = None) -> str:
    """A quantity without trailing zeros: ``12``, ``1,5``, ``0,25``."""
    number = Decimal(str(value)).normalize()
    places = max(-int(number.as_tuple().exponent), 0)
    return format_number(number, places, language)


def format_money(amount: Any, with_symbol: bool = True, language: str | None = None) -> str:
    """Whole rupiah as people write it: ``Rp 1.250.000``, ``Rp -50.000``."""
    from niaga.money import round_rupiah, to_decimal

    text = format_number(round_rupiah(to_decimal(amount)), 0, language)
    return f"Rp {text}" if with_symbol else text


def format_percent(value: Any, language: str | None = None) -> str:
    """A percentage given in percent units: ``12,5%`` for ``12.5``."""
    return format_quantity(value, language) + "%"


def format_day(day: dt.date, language: str | None = None) -> str:
    """``1 Desember 2026`` in Indonesian, ``1 December 2026`` in English."""
    return babel_format_date(day, format="d MMMM y", locale=_language(language))


def number_for_input(value: Any, places: int = 0, language: str | None = None) -> str:
    """A stored number as a form pre-fills it, so that submitting it unchanged stores the
    same value: ``40.000`` for Rp 40.000 in Indonesian; empty for ``None``."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if places == 0 or number == number.to_integral_value():
        return format_number(number, 0, language)
    trimmed = number.quantize(Decimal(1).scaleb(-places)).normalize()
    return format_number(trimmed, max(-int(trimmed.as_tuple().exponent), 0), language)
