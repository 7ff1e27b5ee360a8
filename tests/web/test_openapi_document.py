"""The OpenAPI document says what the API does (issue 16): decimals are strings with a
pattern (in requests also whole numbers, with numeric bounds), the answers agree, a decimal
with a fraction sent as a JSON number or with more places than kept is refused,
``X-Pagination`` is documented as the text it is, every 405 names the allowed methods,
``fields`` of the error envelope is always an object, and a PATCH without a body is 400."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
import pytest
from flask.views import MethodView

from niaga.api import Blueprint, Schema, register_plugin_blueprint
from niaga.auth import require
from niaga.fields import Decimal as DecimalField

pytestmark = pytest.mark.plugins("sample")


class PriceSchema(Schema):
    quantity = DecimalField(
        places=4, required=True, validate=ma.validate.Range(0, 1000, min_inclusive=False)
    )
    discount = DecimalField(places=2, load_default="0", validate=ma.validate.Range(0))
    total = DecimalField(dump_only=True)
    boxes = ma.fields.List(ma.fields.Integer())
    rush = ma.fields.Boolean()


@pytest.fixture
def priced(app) -> list[dict[str, Any]]:
    """``/api/priced/lines``: POST a line, PATCH it, GET them (paginated); what was
    accepted is appended to the returned list."""
    seen: list[dict[str, Any]] = []
    bp = Blueprint("priced", __name__)

    @bp.route("/lines")
    class Lines(MethodView):
        @bp.arguments(PriceSchema)
        @bp.response(201, PriceSchema)
        @require("core.dashboard")
        def post(self, data: dict[str, Any]) -> Any:
            seen.append(data)
            return {**data, "total": data["quantity"] * 3}

        @bp.arguments(PriceSchema(partial=True))
        @bp.response(200, PriceSchema)
        @require("core.dashboard")
        def patch(self, data: dict[str, Any]) -> Any:
            seen.append(data)
            return {"quantity": Decimal("1"), **data, "total": Decimal("-1.5")}

    @bp.route("/lines/reprice")
    class Reprice(MethodView):
        @bp.arguments(PriceSchema(only=["discount"]))
        @bp.response(200, PriceSchema)
        @require("core.dashboard")
        def post(self, data: dict[str, Any]) -> Any:
            seen.append(data)
            return {"quantity": Decimal("1"), **data}

    register_plugin_blueprint(app, "priced", bp)
    return seen


def spec(api) -> dict[str, Any]:
    return api.get("/api/openapi.json").get_json()


def walk(node: Any) -> list[dict[str, Any]]:
    found = []
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            found.append(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def test_decimals_are_documented_as_strings_with_a_pattern(api, priced):
    document = spec(api)
    (schema,) = (
        s["properties"] for n, s in document["components"]["schemas"].items() if n.endswith("Price")
    )
    text, whole = schema["quantity"]["anyOf"]
    assert text["type"] == "string" and whole == {
        "type": "integer",
        "minimum": 0,
        "exclusiveMinimum": True,
        "maximum": 1000,
    }
    pattern = re.compile(text["pattern"])
    for good in ["1", "0.5", "12.0001", "2.50000", "999"]:
        assert pattern.search(good), good
    for bad in ["0", "0.0000", "-1", "1e-30", "0.00001", "1.5e3", " 1", "abc"]:
        assert not pattern.search(bad), bad
    assert schema["total"] == {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "readOnly": True}
    numeric = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
    for node in walk(document):
        assert node.get("type") != "number", node
        assert not any(isinstance(node.get(key), str) for key in numeric), node


def post(api, body: Any, method: str = "post") -> Any:
    return getattr(api, method)("/api/priced/lines", json=body)


def test_answers_carry_decimals_as_the_documented_strings(api, priced):
    response = post(api, {"quantity": 2, "discount": "1.5"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json() == {"quantity": "2.0000", "discount": "1.50", "total": "6.0000"}
    assert priced == [{"quantity": Decimal("2"), "discount": Decimal("1.5")}]


@pytest.mark.parametrize(
    ("quantity", "problem"),
    [
        (2.5, 'Send a number with decimals as text, for example "2.5"'),
        (1e-30, 'Send a number with decimals as text, for example "2.5"'),
        ("0.00001", "At most 4 decimal places"),
        ("0.000000000000000000000000000001", "At most 4 decimal places"),
        ("1e-30", "Not a valid number."),
        ("1E3", "Not a valid number."),
        (" 5", "Not a valid number."),
        ("0", "Must be greater than 0 and less than or equal to 1000."),
        (True, "Not a valid number."),
    ],
)
def test_decimals_the_document_refuses_are_refused(api, priced, quantity, problem):
    response = post(api, {"quantity": quantity})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["fields"] == {"quantity": [problem]}
    assert priced == []


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("rush", 0, {"rush": ["Not a valid boolean."]}),
        ("rush", "yes", {"rush": ["Not a valid boolean."]}),
        ("boxes", [1, 2.5], {"boxes": {"1": ["Not a valid integer."]}}),
        ("boxes", ["5"], {"boxes": {"0": ["Not a valid integer."]}}),
        ("boxes", [True], {"boxes": {"0": ["Not a valid integer."]}}),
    ],
)
def test_json_values_of_another_json_type_are_refused_not_coerced(
    api, priced, field, value, problem
):
    response = post(api, {"quantity": "1", field: value})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["fields"] == problem
    assert priced == []
    accepted = post(api, {"quantity": "1", "rush": False, "boxes": [1, 2.0]})
    assert accepted.status_code == 201, accepted.get_data(as_text=True)


def test_the_places_message_is_translated(api, priced):
    response = api.post(
        "/api/priced/lines", json={"quantity": "0.00001"}, headers={"Accept-Language": "id"}
    )
    assert response.get_json()["error"]["fields"] == {"quantity": ["Paling banyak 4 angka desimal"]}


@pytest.mark.parametrize("body", [None, b"", b"  "])
def test_a_patch_without_a_body_is_400_and_changes_nothing(api, priced, body):
    response = api.patch(
        "/api/priced/lines", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "missing_body"
    assert priced == []
    assert post(api, {}, method="patch").status_code == 200  # an empty change is a body


def test_a_post_whose_fields_are_all_optional_may_come_without_a_body(api, priced):
    paths = spec(api)["paths"]
    assert paths["/api/priced/lines/reprice"]["post"]["requestBody"]["required"] is False
    assert paths["/api/priced/lines"]["post"]["requestBody"]["required"] is True
    assert paths["/api/priced/lines"]["patch"]["requestBody"]["required"] is True
    response = api.post("/api/priced/lines/reprice")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(priced) == 1


def test_every_405_names_the_allowed_methods(api, priced):
    response = api.delete("/api/priced/lines")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"POST", "PATCH"}
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "Allow" in api.put("/api/sample/notes", json={}).headers


@pytest.mark.parametrize("body", [[], [{"quantity": "1"}], "text", 5])
def test_error_fields_are_always_an_object(api, priced, body):
    response = post(api, body)
    assert response.status_code == 422, response.get_data(as_text=True)
    fields = response.get_json()["error"]["fields"]
    assert isinstance(fields, dict) and fields
    documented = spec(api)["components"]["schemas"]["ErrorBody"]["properties"]["fields"]
    assert documented["type"] == "object"


def test_x_pagination_is_documented_as_the_json_text_it_is(api):
    for n in range(3):
        assert api.post("/api/sample/notes", json={"text": f"note {n}"}).status_code == 201
    response = api.get("/api/core/audit?entity=sample_note&page_size=2")
    header = response.headers["X-Pagination"]
    documented = spec(api)["components"]["headers"]["PAGINATION"]["schema"]
    assert documented["type"] == "string" and re.search(documented["pattern"], header)
    assert json.loads(header)["total"] == 3
