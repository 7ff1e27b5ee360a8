"""Strict input, in one place in core (issue 16): malformed JSON, nesting too deep, invalid
Unicode, NaN, a body sent where none is taken, NUL and control characters. Each answers
4xx with the JSON envelope in the caller's language (also without Accept-Language), with a
stable code, and stores nothing, not even an Idempotency-Key."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.views import MethodView

from niaga.api import Blueprint, register_plugin_blueprint
from niaga.auth import require
from niaga.errors import Invalid
from niaga.models import IdempotencyKey

pytestmark = pytest.mark.plugins("sample")


def stored(db) -> tuple[list[str], int]:
    from niaga_sample.models import Note

    db.rollback()
    notes = list(db.scalars(sa.select(Note.text)))
    keys = db.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey))
    db.rollback()
    return notes, int(keys or 0)


def send(app, api, body: bytes, url: str = "/api/sample/notes", method: str = "POST", **headers):
    headers = {
        "Authorization": f"Bearer {api.token}",
        "Content-Type": "application/json",
        **headers,
    }
    return app.test_client().open(url, method=method, data=body, headers=headers)


BAD_BODIES = {
    "malformed": (b"{", 400, "invalid_json"),
    "truncated": (b'{"text": "a"', 400, "invalid_json"),
    "nan": (b'{"text": NaN}', 400, "invalid_json"),
    "deep 10000": (b"[" * 10000 + b"]" * 10000, 400, "too_deep"),
    "deep 65": (b'{"text": ' + b"[" * 65 + b"]" * 65 + b"}", 400, "too_deep"),
    "lone surrogate": (b'{"text": "\\ud800"}', 400, "invalid_unicode"),
    "surrogate key": (b'{"\\udfff": "x"}', 400, "invalid_unicode"),
    "bytes not utf-8": (b'{"text": "\xff\xfe"}', 400, "invalid_unicode"),
    "nul": (b'{"text": "a\\u0000b"}', 422, "control_character"),
    "unit separator": (b'{"text": "a\\u001fb"}', 422, "control_character"),
    "escape": (b'{"text": "a\\u001b[31m"}', 422, "control_character"),
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
@pytest.mark.parametrize("language", ["en", "id", None])
def test_bad_bodies_answer_4xx_with_the_envelope_and_store_nothing(app, api, db, name, language):
    body, status, code = BAD_BODIES[name]
    headers = {"Idempotency-Key": f"bad-{name}"}
    if language:
        headers["Accept-Language"] = language
    response = send(app, api, body, **headers)
    assert response.status_code == status, response.get_data()
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert "{" not in error["message"]
    if language == "en":
        assert error["message"].startswith(("The request body", "Text must not"))
    else:  # Indonesian: asked for, or the shop's default without Accept-Language
        assert error["message"].startswith(("Isi permintaan", "Teks tidak boleh"))
    if code == "control_character":
        assert list(error["fields"]) == ["text"]
    assert stored(db) == ([], 0)


def test_tab_and_newline_are_text(api, db):
    response = api.post("/api/sample/notes", json={"text": "baris 1\n\tbaris 2\r"})
    assert response.status_code == 201, response.get_data()
    assert stored(db)[0] == ["baris 1\n\tbaris 2\r"]


def test_requests_sharing_one_schema_instance_each_get_their_own_answer(api, db):
    """The arguments schema is made once per class (``StrictJsonParser``), not per
    request: nothing of one request's load may reach the next one's."""
    first = api.post("/api/sample/notes", json={"text": "a", "colour": "red"})
    second = api.post("/api/sample/notes", json={"text": "b", "size": 3})
    third = api.post("/api/sample/notes", json={"text": "c"})
    assert first.status_code == second.status_code == 422
    assert list(first.get_json()["error"]["fields"]) == ["colour"]
    assert list(second.get_json()["error"]["fields"]) == ["size"]
    assert third.status_code == 201, third.get_data()
    assert third.get_json()["text"] == "c"
    assert stored(db)[0] == ["c"]


def test_nesting_up_to_the_limit_reaches_the_schema(app, api, db):
    body = b'{"text": ' + b"[" * 60 + b"]" * 60 + b"}"
    response = send(app, api, body, **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_control_characters_in_the_query_are_refused(api):
    response = api.get("/api/core/audit?q=a%00b")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "control_character" and "q" in error["fields"]


@pytest.fixture
def no_body(app):
    """``POST /api/nobody/run`` takes no body; ``/api/nobody/broken`` raises an error that
    cannot be rendered."""
    calls: list[Any] = []
    bp = Blueprint("nobody", __name__)

    @bp.route("/run")
    class Run(MethodView):
        @bp.response(201)
        @require("core.dashboard")
        def post(self) -> Any:
            calls.append(1)
            return {"ran": len(calls)}

    class Unrenderable(Invalid):
        def message(self, language: str | None = None) -> str:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    @bp.route("/broken")
    class Broken(MethodView):
        @bp.response(201)
        def post(self) -> Any:
            raise Unrenderable("never shown")

    register_plugin_blueprint(app, "nobody", bp)
    return calls


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"a": 1}', b"null", b"1"])
def test_a_body_where_none_is_taken_is_400(app, api, db, no_body, body):
    response = send(app, api, body, url="/api/nobody/run", **{"Accept-Language": "en"})
    assert response.status_code == 400, response.get_data()
    assert response.get_json()["error"]["code"] in {"unexpected_body", "invalid_json"}
    assert no_body == []


@pytest.mark.parametrize("body", [b"", b"{}", b" {} "])
def test_no_body_or_an_empty_object_is_fine(app, api, no_body, body):
    response = send(app, api, body, url="/api/nobody/run")
    assert response.status_code == 201, response.get_data()
    assert no_body == [1]


def test_delete_with_a_body_is_400(app, api):
    response = send(app, api, b"[]", url="/api/core/tokens/999", method="DELETE")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unexpected_body"


def test_an_error_handler_that_fails_still_answers_the_envelope(app, api, no_body):
    response = send(app, api, b"{}", url="/api/nobody/broken")
    assert response.status_code == 422
    assert response.get_json() == {
        "error": {"code": "invalid", "message": "Some fields are not valid"}
    }
