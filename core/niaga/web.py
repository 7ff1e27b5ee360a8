"""What every page and API answer shares: error rendering (JSON or HTML by request),
template helpers (money, dates, translations) and the language of the request."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import InvalidOperation
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from niaga import clock, l10n
from niaga.db import session
from niaga.documents import document_link
from niaga.errors import Invalid, NiagaError
from niaga.i18n import current_language, gettext, pgettext, pick, translate_field_messages
from niaga.module_pages import disabled_module

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: ("bad_request", "The request could not be understood"),
    401: ("unauthorized", "Please log in first"),
    403: ("forbidden", "You do not have permission to do this"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "This method is not allowed here"),
    409: ("conflict", "The request conflicts with the current state"),
    413: ("too_large", "The request is too large"),
    415: ("unsupported_media_type", "Send JSON with Content-Type: application/json"),
    422: ("invalid", "Some fields are not valid"),
    429: ("too_many_requests", "Too many attempts; wait a few minutes and try again"),
    500: ("internal_error", "Something went wrong on our side; nothing was saved"),
}


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(code: str, message: str, status: int, fields: Any = None) -> Response:
    """The one error envelope, as JSON or as an HTML page."""
    if wants_json():
        body: dict[str, Any] = {"code": code, "message": message}
        if fields:
            fields = fields if isinstance(fields, dict) else {"_schema": fields}
            body["fields"] = translate_messages(fields)
        response = jsonify({"error": body})
        response.status_code = status
        return response
    html = render_template("error.html", code=code, message=message, status=status)
    return Response(html, status=status, mimetype="text/html")


def translate_messages(messages: Any) -> Any:
    """Translate every message of a nested field-error structure; keys stay as they are."""
    return translate_field_messages(messages)


def handle_niaga_error(exc: NiagaError) -> Response:
    return error_response(exc.code, exc.message(), exc.status, exc.fields)


def handle_validation_error(exc: ValidationError) -> Response:
    error = Invalid("Some fields are not valid", fields=exc.messages_dict)
    return handle_niaga_error(error)


def handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, message = HTTP_CODES.get(status, ("error", exc.description or "Error"))
    fields = None
    data = getattr(exc, "data", None)  # webargs / flask-smorest put validation messages here
    if isinstance(data, dict) and "messages" in data:
        fields = _strip_location(data["messages"])
        status, code = 422, "invalid"
        message = HTTP_CODES[422][1]
    response = error_response(code, gettext(message), status, fields)
    if status == exc.code:  # keep what the status needs, e.g. Allow on a 405
        response.headers.extend((k, v) for k, v in exc.get_headers() if k != "Content-Type")
    return response


def handle_out_of_range(exc: Exception) -> Response:
    """A number the database cannot hold (an id or page like 10**30: SQLite raises
    OverflowError, PostgreSQL a DataError; a quantity like 1e200 cannot be rounded to
    its places: InvalidOperation) is bad input, not our failure."""
    session().rollback()
    return handle_niaga_error(Invalid("A number in the request is out of range"))


def handle_unexpected(exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.path)
    _rollback_quietly()  # a failed flush must not break the language lookup below
    code, message = HTTP_CODES[500]
    return error_response(code, gettext(message), 500)


def _rollback_quietly() -> None:
    try:
        session().rollback()
    except Exception:
        log.warning("rollback after an error failed", exc_info=True)


def safely(handler: Any) -> Any:
    """Run an error handler; if rendering the error itself fails (a broken session, a
    message that cannot be encoded), answer the same status with a plain English envelope
    instead of letting the server print a bare text page."""

    def handle(exc: Exception) -> Response:
        try:
            return handler(exc)
        except Exception:
            log.exception("error handler %s failed", getattr(handler, "__name__", handler))
            _rollback_quietly()
            status = getattr(exc, "status", None) or getattr(exc, "code", None)
            status = status if isinstance(status, int) and 400 <= status < 600 else 500
            code, message = HTTP_CODES.get(status, HTTP_CODES[500])
            body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=True)
            return Response(body, status=status, mimetype="application/json")

    handle.__name__ = getattr(handler, "__name__", "handle")
    return handle


def _strip_location(messages: Any) -> Any:
    # webargs nests messages under the location ("json", "query"); callers want fields.
    if isinstance(messages, dict) and len(messages) == 1:
        ((location, inner),) = messages.items()
        if location in {"json", "query", "form", "headers", "files", "view_args"}:
            return inner
    return messages


def format_date(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    """``17 Agustus 2026`` in Indonesian, ``17 August 2026`` in English; an instant is shown
    on the shop's business date (and, ``with_time``, its clock time and zone)."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return l10n.format_day(value)
    local = clock.to_shop_time(value)
    suffix = f" {local:%H:%M} {clock.shop_zone_name()}" if with_time else ""
    return l10n.format_day(local.date()) + suffix


def init_app(app: Flask) -> None:
    app.register_error_handler(NiagaError, safely(handle_niaga_error))
    app.register_error_handler(ValidationError, safely(handle_validation_error))
    app.register_error_handler(HTTPException, safely(handle_http_exception))
    app.register_error_handler(Exception, safely(handle_unexpected))
    app.register_error_handler(OverflowError, safely(handle_out_of_range))
    app.register_error_handler(DataError, safely(handle_out_of_range))
    app.register_error_handler(InvalidOperation, safely(handle_out_of_range))
    app.jinja_env.filters.update(
        rupiah=l10n.format_money,
        number=l10n.format_number,
        quantity=l10n.format_quantity,
        percent=l10n.format_percent,
        for_input=l10n.number_for_input,
        date=format_date,
        datetime=lambda v: format_date(v, with_time=True),
        pick=pick,
        document=document_link,
    )
    app.jinja_env.globals.update(_=gettext, current_language=current_language)
    app.jinja_env.globals.update(pgettext=pgettext)
    app.jinja_env.globals.update(disabled_module=disabled_module)
