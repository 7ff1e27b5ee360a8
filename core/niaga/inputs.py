"""Reading what a person typed into a form or on the command line, with the rules of
:mod:`niaga.l10n`.

Every admin and portal form reads its fields through a :class:`FormReader`; every CLI
option that takes an amount or quantity uses :class:`NumberParam`. Problems are collected
per field and raised together as one :class:`~niaga.errors.Invalid`, so the page can show
each message next to its field and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import click

from niaga import l10n
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext

MONEY_PLACES = 2
QUANTITY_PLACES = 4


class FormReader:
    """Typed values from a submitted form; call :meth:`check` before using them."""

    def __init__(self, form: Mapping[str, Any], language: str | None = None) -> None:
        self.form = form
        self.language = language
        self.errors: dict[str, list[str]] = {}

    def _fail(self, name: str, message: str, **params: Any) -> None:
        self.errors.setdefault(name, []).append(gettext(message, self.language, **params))

    def raw(self, name: str) -> str:
        value = self.form.get(name)
        return "" if value is None else str(value).strip()

    def text(self, name: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self.raw(name)
        if required and not value:
            self._fail(name, "Please fill this in")
        elif len(value) > max_length:
            self._fail(name, "At most {count} characters", count=max_length)
        elif any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            self._fail(name, "Contains characters that cannot be stored")
        return value

    def number(
        self,
        name: str,
        *,
        places: int = MONEY_PLACES,
        required: bool = False,
        default: Decimal | None = None,
        minimum: Decimal | None = None,
        positive: bool = False,
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        """A number typed the way the language writes it (``1.250.000,50`` in Indonesian)."""
        try:
            value = l10n.parse_number(self.raw(name), places=places, language=self.language)
        except NiagaError as exc:
            self.errors.setdefault(name, []).append(exc.message(self.language))
            return default
        if value is None:
            if required:
                self._fail(name, "Please fill this in")
            return default
        show = l10n.format_quantity
        if positive and value <= 0:
            self._fail(name, "Must be more than zero")
        elif minimum is not None and value < minimum:
            self._fail(name, "Must be at least {minimum}", minimum=show(minimum, self.language))
        elif maximum is not None and value > maximum:
            self._fail(name, "Must be at most {maximum}", maximum=show(maximum, self.language))
        return value

    def money(self, name: str, **kwargs: Any) -> Decimal | None:
        """An amount of rupiah; never negative unless ``minimum`` says otherwise."""
        kwargs.setdefault("minimum", Decimal(0))
        return self.number(name, places=MONEY_PLACES, **kwargs)

    def quantity(self, name: str, **kwargs: Any) -> Decimal | None:
        return self.number(name, places=QUANTITY_PLACES, **kwargs)

    def integer(self, name: str, **kwargs: Any) -> int | None:
        value = self.number(name, places=0, **kwargs)
        return None if value is None else int(value)

    def date(
        self, name: str, *, required: bool = False, default: dt.date | None = None
    ) -> dt.date | None:
        """A date from ``<input type="date">`` (``2026-12-01``), within years 2000-2099."""
        text = self.raw(name)
        if not text:
            if required:
                self._fail(name, "Please fill this in")
            return default
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            self._fail(name, "{value} is not a date", value=text)
            return default
        if not 2000 <= value.year <= 2099:
            self._fail(name, "Choose a date between the years 2000 and 2099")
            return default
        return value

    def flag(self, name: str) -> bool:
        return self.raw(name).lower() in {"on", "1", "true", "yes", "ya"}

    def check(self) -> None:
        """Raise one :class:`Invalid` naming every field that is wrong."""
        if self.errors:
            raise Invalid("Some fields are not valid", fields=self.errors)


class NumberParam(click.ParamType):
    """A click parameter typed like a form field, in the shop's language: ``40.000``."""

    name = "number"

    def __init__(self, places: int = MONEY_PLACES) -> None:
        self.places = places

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Decimal):
            return value
        try:
            parsed = l10n.parse_number(str(value), places=self.places)
        except NiagaError as exc:
            self.fail(exc.message(), param, ctx)
        if parsed is None:
            self.fail(gettext("Please fill this in"), param, ctx)
        return parsed


MONEY = NumberParam(MONEY_PLACES)
QUANTITY = NumberParam(QUANTITY_PLACES)
