"""REST API conventions: flask-smorest blueprints under ``/api/<plugin>/``, one error
envelope, one pagination style, and an OpenAPI 3 document at ``/api/openapi.json``.

A plugin returns :class:`Blueprint` objects from ``niaga_api_blueprints``::

    bp = Blueprint("inventory", __name__)

    @bp.route("/products")
    class Products(MethodView):
        @bp.arguments(ProductQuery, location="query")
        @bp.response(200, ProductSchema(many=True))
        @bp.paginate(Page)
        @require("inventory.view")
        def get(self, query, pagination): ...
"""

from __future__ import annotations

from typing import Any

import flask_smorest
import marshmallow as ma
from flask import Flask

from niaga import __version__


class ErrorBody(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "stable machine code"})
    message = ma.fields.String(required=True, metadata={"description": "for people"})
    fields = ma.fields.Dict(metadata={"description": "per-field problems"})


class ErrorSchema(ma.Schema):
    """The one error envelope of the API."""

    error = ma.fields.Nested(ErrorBody, required=True)


class Page(flask_smorest.Page):
    """Pagination of a SQLAlchemy ``Select``: ``?page=1&page_size=20``; the total and links
    go in the ``X-Pagination`` header."""

    def __init__(self, collection: Any, page_params: Any) -> None:
        super().__init__(collection, page_params)
        from niaga.db import session

        self._session = session()

    @property
    def items(self) -> list[Any]:
        statement = self.collection.offset(self.page_params.first_item).limit(
            self.page_params.page_size
        )
        return list(self._session.scalars(statement))

    @property
    def item_count(self) -> int:
        import sqlalchemy as sa

        counted = sa.select(sa.func.count()).select_from(self.collection.order_by(None).subquery())
        return int(self._session.scalar(counted) or 0)


class Blueprint(flask_smorest.Blueprint):
    """A plugin's API blueprint; its name must be the plugin's name or start with it."""

    PAGINATION_ARGUMENTS_PARSER = None


class Api(flask_smorest.Api):
    """flask-smorest's Api answering errors in Niaga's envelope."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        # Errors are handled app-wide in niaga.web so pages and API agree.
        pass


class Schema(ma.Schema):
    """Base schema: unknown fields are refused with a clear message."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


def init_app(app: Flask) -> None:
    app.config.update(
        API_TITLE="Niaga",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = Api(app)
    app.extensions["niaga_api"] = api


def register_plugin_blueprint(app: Flask, plugin: str, blueprint: Blueprint) -> None:
    app.extensions["niaga_api"].register_blueprint(blueprint, url_prefix=f"/api/{plugin}")
