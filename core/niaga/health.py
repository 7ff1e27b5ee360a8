"""``/healthz`` (the process answers; no database or plugin work) and ``/readyz`` (the
database answers and every migration is current)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, jsonify

from niaga import __version__, migrate
from niaga.plugins import CORE, migrations_folder
from niaga.runtime import niaga

bp = Blueprint("core_health", __name__)


@bp.get("/healthz")
def healthz():  # noqa: ANN201
    return jsonify(status="ok", version=__version__)


@bp.get("/readyz")
def readyz():  # noqa: ANN201
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


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
