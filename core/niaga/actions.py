"""One way for an admin or portal page to run what a form asked for.

:func:`run_action` runs the work in one unit of work (:func:`niaga.db.transaction`):
on success it commits, flashes the success message and redirects; on a
:class:`~niaga.errors.NiagaError` it rolls everything back, flashes the message (with the
field problems) and redirects to where the person can correct it. Nothing is half-saved.
:func:`run_form` does the same for a form that, refused, is shown again with each problem
under its field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import flash, redirect, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from niaga.db import session, transaction
from niaga.errors import NiagaError
from niaga.i18n import gettext

T = TypeVar("T")


#: a field on one line of a many-line form: ``line-0-quantity`` or ``quantity_0``
LINE_FIELD = re.compile(r"line-(?P<a>\d+)-(?P<name_a>\w+)|(?P<name_b>[a-z_]+?)_(?P<b>\d+)")


def name_label(name: str) -> str:
    """A column or field name as words, translated when a catalogue has them:
    ``credit_limit`` reads "Credit limit", in Indonesian "Limit kredit"."""
    return gettext(name.replace("_", " ").strip().capitalize())


def field_label(key: str, labels: Mapping[str, str] | None = None) -> str:
    """How a person reads a field's name: its label, translated (``Harga per satuan``), on
    a line of a many-line form with the line's number (``Baris 2, Jumlah``); a field
    without a label reads as its name in words (:func:`name_label`)."""
    labels = labels or {}
    if key in labels:
        return gettext(labels[key])
    line = LINE_FIELD.fullmatch(key)
    if line:
        name = line["name_a"] or line["name_b"]
        label = gettext(labels[name]) if name in labels else name_label(name)
        number = int(line["a"] or line["b"]) + 1
        return gettext("Line {number}, {field}", number=number, field=label)
    return name_label(key)


def error_text(exc: NiagaError, labels: Mapping[str, str] | None = None) -> str:
    """The error's message followed by each field's problems, for a flash message; fields
    are named by ``labels`` (field name: English label) where given."""
    details = [
        f"{field_label(field, labels)}: "
        f"{' '.join(map(str, problems if isinstance(problems, list) else [problems]))}"
        for field, problems in exc.field_messages().items()
        if not isinstance(problems, dict)
    ]
    return " — ".join([exc.message(), *details]) if details else exc.message()


def run_action(
    work: Callable[[Session], T],
    *,
    success: str,
    then: str | Callable[[T], str],
    failed: str | None = None,
    labels: Mapping[str, str] | None = None,
    **params: Any,
) -> Response:
    """Run ``work(session)``; commit, flash ``success`` (translated, with ``params``) and go
    to ``then`` (a URL, or a function of the work's result); or roll back, flash the error
    (fields named by ``labels``) and go to ``failed`` (default: the page the form came
    from, else ``then``)."""
    try:
        with transaction(session()) as db:
            result = work(db)
    except NiagaError as exc:
        flash(error_text(exc, labels), "error")
        fallback = then if isinstance(then, str) else request.referrer or request.path
        return redirect(failed or fallback)
    flash(gettext(success, **params), "success")
    return redirect(then(result) if callable(then) else then)


def run_form(
    work: Callable[[Session], T],
    *,
    then: str | Callable[[T], str],
    page: Callable[[dict[str, Any]], Any],
    labels: Mapping[str, str] | None = None,
    success: str = "Saved",
) -> Any:
    """Like :func:`run_action`, for a form that shows each problem under its field: on a
    refusal nothing is saved, the reason is flashed and ``page(errors)`` shows the form
    again (``errors``: field name to messages, in the page's language) with what was typed."""
    try:
        with transaction(session()) as db:
            result = work(db)
    except NiagaError as exc:
        flash(error_text(exc, labels), "error")
        return page(_in_words(exc.field_messages(), str(exc), exc.message()))
    flash(gettext(success), "success")
    return redirect(then(result) if callable(then) else then)


def _in_words(problems: Any, english: str, translated: str) -> Any:
    """``problems`` with the refusal's own message (English with its values filled in,
    which no catalogue can translate) replaced by its translation."""
    if isinstance(problems, dict):
        return {key: _in_words(value, english, translated) for key, value in problems.items()}
    if isinstance(problems, list):
        return [_in_words(value, english, translated) for value in problems]
    return translated if problems == english else problems
