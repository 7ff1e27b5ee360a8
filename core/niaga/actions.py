"""One way for an admin or portal page to run what a form asked for.

:func:`run_action` runs the work in one unit of work (:func:`niaga.db.transaction`):
on success it commits, flashes the success message and redirects; on a
:class:`~niaga.errors.NiagaError` it rolls everything back, flashes the message (with the
field problems) and redirects to where the person can correct it. Nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from niaga.db import session, transaction
from niaga.errors import NiagaError
from niaga.i18n import gettext

T = TypeVar("T")


def error_text(exc: NiagaError) -> str:
    """The error's message followed by each field's problems, for a flash message."""
    details = [
        f"{field}: {' '.join(map(str, problems if isinstance(problems, list) else [problems]))}"
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
    **params: Any,
) -> Response:
    """Run ``work(session)``; commit, flash ``success`` (translated, with ``params``) and go
    to ``then`` (a URL, or a function of the work's result); or roll back, flash the error
    and go to ``failed`` (default: the page the form came from, else ``then``)."""
    try:
        with transaction(session()) as db:
            result = work(db)
    except NiagaError as exc:
        flash(error_text(exc), "error")
        fallback = then if isinstance(then, str) else request.referrer or request.path
        return redirect(failed or fallback)
    flash(gettext(success, **params), "success")
    return redirect(then(result) if callable(then) else then)
