"""REST API conventions: flask-smorest blueprints under ``/api/<plugin>/``, one error
envelope, one way to paginate, filter and sort, and an OpenAPI 3 document at
``/api/openapi.json`` (only enabled plugins) with browsable docs at ``/api/docs``.

A plugin names its :class:`Blueprint` objects in ``PluginMeta.api``::

    bp = Blueprint("inventory", __name__)

    class ProductQuery(ListQuery):
        category = ma.fields.String()

    @bp.route("/products")
    class Products(MethodView):
        @bp.arguments(ProductQuery, location="query")
        @bp.response(200, ProductSchema(many=True))
        @bp.paginate(Page)
        @require("inventory.view")
        def get(self, query):
            statement = sa.select(Product)
            if "category" in query:
                statement = statement.where(Product.category == query["category"])
            return list_query(statement, query, sortable={"name": Product.name,
                              "created_at": Product.created_at}, searchable=[Product.name])

Lists answer ``?page=1&page_size=20`` (at most 100) with the total and links in the
``X-Pagination`` header; ``?q=`` searches, ``?sort=-created_at,name`` sorts (``-`` for
descending). Every POST accepts ``Idempotency-Key`` (see :mod:`niaga.idempotency`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

import flask_smorest
import marshmallow as ma
import sqlalchemy as sa
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, current_app, render_template, request
from webargs.flaskparser import FlaskParser

from niaga import __version__
from niaga.db import session
from niaga.errors import Invalid, NiagaError
from niaga.fields import date_property, decimal_property, json_number, json_type_problems
from niaga.runtime import enabled_plugins, niaga


class ErrorBody(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "stable machine code"})
    message = ma.fields.String(
        required=True, metadata={"description": "for people, in the Accept-Language language"}
    )
    # named "fields" on the wire; the attribute may not shadow marshmallow's Schema.fields
    problems = ma.fields.Dict(
        data_key="fields",
        attribute="fields",
        keys=ma.fields.String(),
        metadata={
            "description": (
                "per-field problems, always an object: field name to a list of messages, or to"
                " a nested object for nested fields and list positions; `_schema` for the"
                " body as a whole"
            )
        },
    )


class ErrorSchema(ma.Schema):
    """The one error envelope of the API."""

    error = ma.fields.Nested(ErrorBody, required=True)


class Page(flask_smorest.Page):
    """Pagination of a SQLAlchemy ``Select``: ``?page=1&page_size=20``; the total and links
    go in the ``X-Pagination`` header."""

    def __init__(self, collection: Any, page_params: Any) -> None:
        self._session = session()  # before super(), which already counts the items
        super().__init__(collection, page_params)

    @property
    def page_statement(self) -> Any:
        """The collection's ``Select`` limited to this page."""
        return self.collection.offset(self.page_params.first_item).limit(self.page_params.page_size)

    @property
    def items(self) -> list[Any]:
        return list(self._session.scalars(self.page_statement))

    @property
    def item_count(self) -> int:
        """The total for ``X-Pagination`` (flask-smorest reads it; ``len()`` of a ``Select``
        would fail): one ``count(*)`` over the unordered statement."""
        counted = sa.select(sa.func.count()).select_from(self.collection.order_by(None).subquery())
        return int(self._session.scalar(counted) or 0)


#: The one instance of each arguments schema class (:meth:`StrictJsonParser._get_schema`).
_SCHEMAS: dict[type[ma.Schema], ma.Schema] = {}


class StrictJsonParser(FlaskParser):
    """webargs' parser, refusing JSON values of the wrong JSON type (``0`` for a boolean,
    ``2.5`` for an integer) that marshmallow would coerce but the document refuses."""

    def _get_schema(self, argmap: Any, req: Any) -> ma.Schema:
        # webargs makes a new instance of a schema class for every request, deep-copying
        # each of its fields; an instance holds no state of its own between loads, so one
        # per class serves every request.
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            found = _SCHEMAS.get(argmap)
            if found is None:
                found = _SCHEMAS.setdefault(argmap, argmap())
            return found
        return super()._get_schema(argmap, req)

    def load_json(self, req: Any, schema: ma.Schema) -> Any:
        data = super().load_json(req, schema)
        problems = json_type_problems(schema, data)
        if problems:
            raise ma.ValidationError(problems)
        return data


class Blueprint(flask_smorest.Blueprint):
    """A plugin's API blueprint; its name must be the plugin's name or start with it."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}
    ARGUMENTS_PARSER = StrictJsonParser()


class Schema(ma.Schema):
    """Base schema: unknown fields are refused with a clear message."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


class ListQuery(Schema):
    """Query arguments every list takes besides pagination; subclass to add filters."""

    class Meta:
        unknown = ma.EXCLUDE  # page and page_size are read by the paginator
        ordered = True

    q = ma.fields.String(
        validate=ma.validate.Length(1, 100), metadata={"description": "text to search for"}
    )
    sort = ma.fields.String(
        metadata={"description": "comma-separated fields; prefix - for descending"}
    )


def list_query(
    statement: sa.Select[Any],
    query: Mapping[str, Any],
    *,
    sortable: Mapping[str, Any],
    searchable: Iterable[Any] = (),
    default_sort: str = "",
) -> sa.Select[Any]:
    """Apply ``q`` (case-insensitive substring over ``searchable`` columns) and ``sort``
    (names from ``sortable``) to ``statement``. An unknown sort field is a 422."""
    text = query.get("q")
    columns = list(searchable)
    if text and columns:
        pattern = f"%{text.lower()}%"
        statement = statement.where(sa.or_(*(sa.func.lower(c).like(pattern) for c in columns)))
    order = []
    for part in filter(None, (query.get("sort") or default_sort).split(",")):
        name = part.strip().lstrip("-")
        column = sortable.get(name)
        if column is None:
            raise Invalid(
                "Cannot sort by {name}; choose from {known}",
                name=name,
                known=", ".join(sorted(sortable)),
                fields={"sort": [f"unknown field {name}"]},
            )
        order.append(column.desc() if part.strip().startswith("-") else column.asc())
    return statement.order_by(*order) if order else statement


class Api(flask_smorest.Api):
    """flask-smorest's Api, answering errors in Niaga's envelope and documenting only the
    enabled plugins."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        # Errors are handled app-wide in niaga.web so pages and API agree.
        pass

    def _openapi_json(self) -> Any:
        return current_app.json.response(current_spec())


def current_spec() -> dict[str, Any]:
    """The OpenAPI document for the plugins enabled right now."""
    spec = copy.deepcopy(current_app.extensions["niaga_api"].spec.to_dict())
    installed = set(niaga().host.installed)
    hidden = installed - set(enabled_plugins())
    paths = {}
    for path, operations in spec.get("paths", {}).items():
        plugin = path.split("/")[2] if path.count("/") >= 2 else ""
        if plugin in hidden:
            continue
        for method, operation in operations.items():
            if method == "post":
                operation.setdefault("parameters", []).append(
                    {"$ref": "#/components/parameters/IdempotencyKey"}
                )
        paths[path] = operations
    spec["paths"] = paths
    spec["tags"] = [t for t in spec.get("tags", []) if t["name"].split("_")[0] not in hidden]
    components = spec.setdefault("components", {})
    components.setdefault("parameters", {})["IdempotencyKey"] = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": (
            "Send a unique key to make a retry safe: the first answer is replayed for 24 hours "
            "(same key, other body: 422; first still running: 409)."
        ),
        "schema": {"type": "string", "maxLength": 200},
    }
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`niaga tokens create`, or Admin > API tokens)",
    }
    spec["security"] = [{"bearer": []}]
    components.setdefault("headers", {})["PAGINATION"] = PAGINATION_HEADER
    _optional_post_bodies(spec)
    _prune_schemas(spec)
    return _numbers_as_numbers(spec)


def _optional_post_bodies(spec: dict[str, Any]) -> None:
    """A POST whose body has no required field may be sent without one (``confirm``,
    ``reverse``): its request body is documented as optional. PATCH and PUT need one
    (400 ``missing_body``)."""
    schemas = spec.get("components", {}).get("schemas", {})
    for operations in spec["paths"].values():
        body = operations.get("post", {}).get("requestBody")
        if not body:
            continue
        for media in body.get("content", {}).values():
            schema = media.get("schema", {})
            schema = schemas.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
            if schema.get("type", "object") == "object" and not schema.get("required"):
                body["required"] = False


#: ``X-Pagination`` as sent: a header is text, here a JSON object.
PAGINATION_HEADER = {
    "description": (
        "Pagination metadata as a JSON object: total, total_pages, first_page, last_page,"
        ' page, previous_page, next_page, e.g. `{"total": 42, "total_pages": 3, "page": 1}`'
    ),
    "schema": {"type": "string", "pattern": "^\\{.*\\}$"},
}


def file_download(*media_types: str, description: str = "The file") -> dict[str, Any]:
    """The documented 200 answer of a download (CSV, XLSX, Beancount), for ``bp.doc``:
    ``@bp.doc(responses={"200": file_download("text/csv")})``."""
    binary = {"type": "string", "format": "binary"}
    return {
        "description": description,
        "content": {kind: {"schema": binary} for kind in media_types},
    }


NUMERIC_KEYWORDS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}


def _numbers_as_numbers(node: Any) -> Any:
    """Decimal bounds arrive as strings or ``Decimal`` (``"0.00"``); OpenAPI wants numbers
    there."""
    if isinstance(node, dict):
        return {
            key: (
                json_number(value)
                if key in NUMERIC_KEYWORDS and isinstance(value, str | Decimal)
                else _numbers_as_numbers(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_numbers_as_numbers(value) for value in node]
    return node


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _prune_schemas(spec: dict[str, Any]) -> None:
    """Drop component schemas only the hidden (disabled) plugins' paths used."""
    components = spec.get("components", {})
    schemas = components.get("schemas", {})
    roots = [spec["paths"], {k: v for k, v in components.items() if k != "schemas"}]
    wanted: set[str] = set()
    pending = [ref for root in roots for ref in _refs(root)]
    while pending:
        name = pending.pop().rsplit("/", 1)[-1]
        if name in schemas and name not in wanted:
            wanted.add(name)
            pending.extend(_refs(schemas[name]))
    components["schemas"] = {k: v for k, v in schemas.items() if k in wanted}


def _docs() -> str:
    spec = current_spec()
    return render_template("api/docs.html", spec=spec, schemas=_schema_rows(spec))


def _schema_rows(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Component schemas as rows of (field, type, required, notes) for the docs page."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        rows[name] = [
            {
                "name": field,
                "type": describe_type(prop),
                "required": field in required,
                "notes": _notes(prop),
            }
            for field, prop in schema.get("properties", {}).items()
        ]
    return rows


def describe_type(prop: dict[str, Any]) -> str:
    """``string``, ``integer``, ``array of Product``, ``Product``: a short type name."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "allOf" in prop and prop["allOf"]:
        return describe_type(prop["allOf"][0])
    kind = prop.get("type", "object")
    if kind == "array":
        return "array of " + describe_type(prop.get("items", {}))
    return kind + (f" ({prop['format']})" if "format" in prop else "")


def _notes(prop: dict[str, Any]) -> str:
    notes = []
    if prop.get("readOnly"):
        notes.append("read-only")
    if "enum" in prop:
        notes.append("one of " + ", ".join(str(v) for v in prop["enum"] if v is not None))
    if "description" in prop:
        notes.append(prop["description"])
    return "; ".join(notes)


def schema_name(schema: Any) -> str | None:
    """Component names unique across plugins: ``inventory.api.ProductSchema`` becomes
    ``InventoryProduct``; schemas narrowed with ``only``/``exclude`` are written inline."""
    cls = resolve_schema_cls(schema)
    if isinstance(cls, list):
        return None
    modifiers = ("only", "exclude", "load_only", "dump_only", "partial")
    if not isinstance(schema, type) and any(getattr(schema, m, None) for m in modifiers):
        return None
    base = cls.__name__.removesuffix("Schema") or cls.__name__
    package = cls.__module__.split(".")[0]
    if package == "niaga" and not cls.__module__.startswith("niaga.core_api"):
        return base
    prefix = "Core" if package == "niaga" else package.removeprefix("niaga_").title()
    prefix = prefix.replace("_", "")
    return base if base.startswith(prefix) else prefix + base


#: JSON deeper than this is refused (a body nested 10,000 deep overflowed the parser).
MAX_DEPTH = 64
#: C0 control characters except tab, line feed and carriage return; and DEL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


class BadRequest(NiagaError):
    """The request itself cannot be read (HTTP 400): not JSON, too deep, not UTF-8, or a
    body sent to an operation that takes none."""

    code = "bad_request"
    status = 400


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_strict_json(data: bytes) -> Any:
    """``data`` as JSON, or :class:`BadRequest`: invalid UTF-8 (also escaped lone
    surrogates such as ``"\\ud800"``), malformed JSON, ``NaN``/``Infinity``, or nesting
    deeper than :data:`MAX_DEPTH`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            "The request body is not valid UTF-8 text", code="invalid_unicode"
        ) from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BadRequest(
            "The request body is nested deeper than {depth} levels",
            code="too_deep",
            depth=MAX_DEPTH,
        ) from None
    except ValueError as exc:
        raise BadRequest(
            "The request body is not valid JSON: {problem}",
            code="invalid_json",
            problem=str(exc)[:200],
        ) from None
    _walk(value)
    return value


def _walk(value: Any) -> None:
    """Depth and Unicode of a parsed body, iteratively (no recursion to exhaust)."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list) and depth > MAX_DEPTH:
            raise BadRequest(
                "The request body is nested deeper than {depth} levels",
                code="too_deep",
                depth=MAX_DEPTH,
            )
        if isinstance(node, dict):
            for key, item in node.items():
                _check_unicode(key)
                pending.append((item, depth + 1))
        elif isinstance(node, list):
            pending.extend((item, depth + 1) for item in node)
        elif isinstance(node, str):
            _check_unicode(node)


def _check_unicode(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(
            "The request body contains invalid Unicode (a lone surrogate)",
            code="invalid_unicode",
        ) from None


def control_character_fields(value: Any, path: tuple[Any, ...] = ()) -> dict[str, Any]:
    """Per-field problems for strings (or keys) holding NUL or another control character,
    nested like marshmallow's messages; empty when there are none."""
    found: dict[str, Any] = {}
    pending = [(value, path)]
    problem = "Must not contain NUL or other control characters"
    while pending:
        node, where = pending.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if CONTROL_CHARACTERS.search(key):
                    _put(found, (*where, "_schema"), problem)
                pending.append((item, (*where, key)))
        elif isinstance(node, list):
            pending.extend((item, (*where, n)) for n, item in enumerate(node))
        elif isinstance(node, str) and CONTROL_CHARACTERS.search(node):
            _put(found, where or ("_schema",), problem)
    return found


def _put(tree: dict[Any, Any], path: tuple[Any, ...], message: str) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree.setdefault(path[-1], []).append(message)


def _takes_body() -> bool | None:
    """Whether the view of this request reads a body through flask-smorest arguments
    (``True``), is documented without one (``False``), or is a plain view (``None``)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    method = getattr(view_class, request.method.lower(), None) if view_class else view
    apidoc = getattr(method, "_apidoc", None)
    if not apidoc:
        return None
    arguments = apidoc.get("arguments", {}).get("parameters", [])
    return any(a.get("location", "json") in {"json", "form", "files"} for a in arguments)


def check_request_input() -> None:
    """Strict input for every ``/api/`` request, in one place, before any view or claim:
    control characters in the query or a JSON body refused (422 ``control_character``);
    an unreadable body (400 ``invalid_json``, ``too_deep``, ``invalid_unicode``); a body
    sent to an operation that takes none (400 ``unexpected_body``; ``{}`` is tolerated); a
    PATCH or PUT without one (400 ``missing_body``)."""
    if not request.path.startswith("/api/"):
        return
    bad_args = {
        name: ["Must not contain NUL or other control characters"]
        for name, value in request.args.items(multi=True)
        if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value)
    }
    if bad_args:
        raise Invalid(_CONTROL_MESSAGE, code="control_character", fields=bad_args)
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return
    if request.mimetype in FORM_TYPES:
        return
    data = request.get_data(cache=True)
    takes = _takes_body()
    if not data.strip() and takes and request.method in {"PATCH", "PUT"}:
        raise BadRequest("This operation needs a JSON request body", code="missing_body")
    if not data.strip() or (takes is None and not request.is_json):
        return
    if takes is False and not request.is_json and request.mimetype not in {"", "text/plain"}:
        return  # an upload read by the view itself
    value = parse_strict_json(data)
    if takes is False and value != {}:
        raise BadRequest("This operation takes no request body", code="unexpected_body")
    if takes:
        fields = control_character_fields(value)
        if fields:
            raise Invalid(_CONTROL_MESSAGE, code="control_character", fields=fields)


_CONTROL_MESSAGE = "Text must not contain NUL or other control characters"


API_DESCRIPTION = """Niaga's REST API.

- **Errors**: `{"error": {"code", "message", "fields"}}`: a stable snake_case `code`, a
  `message` in the `Accept-Language` language, and `fields`, always an object (field name to
  a list of messages or a nested object; `_schema` for the whole body). A 405 names the
  allowed methods in `Allow`.
- **Decimals** (amounts, quantities) are strings such as `"1250000.00"`. Send a string, or a
  whole JSON number; a JSON number with a fraction (`2.5`) or more decimals than the field
  keeps is refused with 422.
- **Dates** are ISO (`2026-12-01`, `2026-12-01T10:30:00+07:00`) with a year from 1900 to
  2199; any other year is refused with 422.
- **Lists** take `page`, `page_size` (at most 100), `q` and `sort` (`-created_at,name`); the
  `X-Pagination` header holds a JSON object (`total`, `total_pages`, `page`, ...).
- **Retries**: every POST accepts `Idempotency-Key`.
"""


def init_app(app: Flask) -> None:
    app.before_request(check_request_input)
    app.config.update(
        API_TITLE="Niaga",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = Api(
        app,
        spec_kwargs={
            # apispec takes None from the resolver as "write it inline"; its stub says str
            "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=cast(Any, schema_name)),
            "info": {"description": API_DESCRIPTION},
        },
    )
    api.ma_plugin.converter.add_attribute_function(decimal_property)
    api.ma_plugin.converter.add_attribute_function(date_property)
    app.extensions["niaga_api"] = api
    app.jinja_env.filters["api_type"] = describe_type
    app.add_url_rule("/api/docs", "core_api_docs", _docs)
    app.add_url_rule("/api/", "core_api_index", _docs)


def register_plugin_blueprint(app: Flask, plugin: str, blueprint: Blueprint) -> None:
    app.extensions["niaga_api"].register_blueprint(blueprint, url_prefix=f"/api/{plugin}")
