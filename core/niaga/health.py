"""``/healthz`` (the process answers; no database or plugin work) and ``/readyz`` (the
database answers and every migration is current); and the 503 a busy server answers.

A request that waited longer than ``SERVE_QUEUE_SECONDS`` for a serving thread
(:func:`niaga.serving.queued_seconds`), or ``DATABASE_POOL_TIMEOUT`` for a database
connection, is answered 503 with ``Retry-After`` and the error envelope: nothing was done,
and the client may send it again (with its ``Idempotency-Key``).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, jsonify, request

from niaga import __version__, migrate
from niaga.db import reads_only, session
from niaga.i18n import gettext
from niaga.plugins import CORE, migrations_folder
from niaga.runtime import niaga
from niaga.serving import queued_seconds
from niaga.web import error_response, handle_unexpected, safely

bp = Blueprint("core_health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", version=__version__)


@bp.get("/readyz")
def readyz():
    ext = niaga()
    try:
        with ext.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            pending = [
                name
                for name in [CORE, *ext.host.enabled_names(connection)]
                if (folder := migrations_folder(ext.host, name)) is not None
                and folder.is_dir()
                and not migrate.is_current(connection, name, folder)
            ]
    except sa.exc.SQLAlchemyError as exc:
        return jsonify(status="unavailable", database="unreachable", detail=type(exc).__name__), 503
    if pending:
        return jsonify(status="unavailable", database="ok", pending_migrations=pending), 503
    return jsonify(status="ok", database="ok", version=__version__)


log = logging.getLogger(__name__)

#: Seconds a client is asked to wait before it tries a busy server again.
RETRY_AFTER_SECONDS = 5


def busy() -> Response:
    """503 with ``Retry-After``: the server is too busy to take this request now."""
    response = error_response(
        "busy", gettext("The server is busy; nothing was done, try again in a moment"), 503
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _mark_reads_only() -> None:
    reads_only(request.method in {"GET", "HEAD"})


def _refuse_overdue() -> Response | None:
    waited = queued_seconds()
    if waited > current_app.config["SERVE_QUEUE_SECONDS"]:
        log.warning("answered 503: the request waited %.1f s for a thread", waited)
        return busy()
    return None


def _pool_exhausted(_exc: sa.exc.TimeoutError) -> Response:
    log.warning("answered 503: no database connection within the pool timeout")
    session().rollback()
    return busy()


def _database_busy(exc: sa.exc.OperationalError) -> Response:
    """SQLite still locked after its busy timeout, or a read-only request's late write
    refused: 503, try again; any other operational error is unexpected (500)."""
    if "database is locked" not in str(exc.orig):
        return handle_unexpected(exc)
    log.warning("answered 503: the database stayed locked")
    session().rollback()
    return busy()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, [])[:0] = [_mark_reads_only, _refuse_overdue]
    app.teardown_request(lambda _exc: reads_only(False))
    app.register_error_handler(sa.exc.TimeoutError, safely(_pool_exhausted))
    app.register_error_handler(sa.exc.OperationalError, safely(_database_busy))
