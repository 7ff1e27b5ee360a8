"""The REST conventions every plugin gets from core: one error envelope (translated per
Accept-Language), validation errors with per-field details, pagination, sorting and
filtering, permissions, and an OpenAPI document of the enabled plugins only."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.plugins("sample")


def error_of(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_validation_error_is_422_with_per_field_details(api):
    error = error_of(api.post("/api/sample/notes", json={}), 422, "invalid")
    assert "text" in error["fields"]
    error = error_of(api.post("/api/sample/notes", json={"text": "x", "colour": "red"}), 422)
    assert "colour" in error["fields"]


def test_body_that_is_not_json_is_refused_not_500(api):
    response = api.post(
        "/api/sample/notes", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()


def test_messages_follow_accept_language(api):
    english = error_of(api.get("/api/sample/nothing-here"), 404, "not_found")
    indonesian = error_of(
        api.get("/api/sample/nothing-here", headers={"Accept-Language": "id-ID,id;q=0.9"}),
        404,
        "not_found",
    )
    assert english["message"] == "Not found"
    assert indonesian["message"] == "Tidak ditemukan"
    field_error = error_of(
        api.post("/api/sample/notes", json={}, headers={"Accept-Language": "id"}), 422
    )
    assert field_error["message"] == "Beberapa isian tidak valid"


def test_anonymous_is_401_and_unscoped_token_is_403(client, api_as, owner):
    error_of(client.get("/api/sample/notes"), 401, "unauthorized")
    error_of(client.post("/api/sample/notes", json={}), 401, "unauthorized")
    reader = api_as(owner, ["sample.view"])
    assert reader.get("/api/sample/notes").status_code == 200
    # Refused before the body is even looked at: no 422 for someone who may not post.
    error_of(reader.post("/api/sample/notes", json={}), 403, "forbidden")


def test_bad_token_is_401(client):
    response = client.get("/api/core/me", headers={"Authorization": "Bearer nga_nope"})
    error_of(response, 401)


def test_disabled_plugin_routes_are_404(api, app):
    from niaga import lifecycle
    from niaga.db import session

    assert api.get("/api/sample/notes").status_code == 200
    with app.app_context():
        lifecycle.disable(session(), app.extensions["niaga"].host, "sample")
        session().commit()
    error_of(api.get("/api/sample/notes"), 404, "not_found")


def test_pagination_header_and_limits(api, db):
    for n in range(25):
        assert api.post("/api/sample/notes", json={"text": f"note {n}"}).status_code == 201
    response = api.get("/api/core/audit?entity=sample_note&page=2&page_size=10")
    assert response.status_code == 200
    assert len(response.get_json()) == 10
    meta = json.loads(response.headers["X-Pagination"])
    assert meta["total"] == 25 and meta["total_pages"] == 3 and meta["page"] == 2
    error = error_of(api.get("/api/core/audit?page_size=1000"), 422)
    assert "page_size" in error["fields"]
    error_of(api.get("/api/core/audit?page=0"), 422)


def test_sorting_and_search_one_way(api):
    for text in ("beta", "alpha", "gamma"):
        api.post("/api/sample/notes", json={"text": text})
    newest_first = api.get("/api/core/audit?entity=sample_note&sort=-id").get_json()
    oldest_first = api.get("/api/core/audit?entity=sample_note&sort=id").get_json()
    assert [r["id"] for r in newest_first] == [r["id"] for r in reversed(oldest_first)]
    assert oldest_first[0]["after"]["text"] == "beta"
    error = error_of(api.get("/api/core/audit?sort=password"), 422)
    assert "sort" in error["fields"]
    found = api.get("/api/core/users?q=OWNER@toko").get_json()
    assert [u["email"] for u in found] == ["owner@toko.id"]


def test_audit_log_is_read_only_and_filters_by_entity(api):
    api.post("/api/sample/notes", json={"text": "hello"})
    rows = api.get("/api/core/audit?entity=sample_note").get_json()
    assert rows[0]["action"] == "create" and rows[0]["after"]["text"] == "hello"
    assert rows[0]["actor"].startswith("token:")
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)("/api/core/audit", json={}).status_code == 405


def test_openapi_document_validates_and_lists_only_enabled_plugins(api, app):
    from niaga import lifecycle
    from niaga.db import session

    spec = api.get("/api/openapi.json").get_json()
    validate(spec)
    assert "/api/sample/notes" in spec["paths"]
    assert "/api/core/audit" in spec["paths"]
    post = spec["paths"]["/api/sample/notes"]["post"]
    assert {"$ref": "#/components/parameters/IdempotencyKey"} in post["parameters"]
    with app.app_context():
        lifecycle.disable(session(), app.extensions["niaga"].host, "sample")
        session().commit()
    spec = api.get("/api/openapi.json").get_json()
    validate(spec)
    assert not any(path.startswith("/api/sample/") for path in spec["paths"])


def test_docs_page_is_rendered_from_the_spec_without_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/sample/notes" in page and "/api/core/audit" in page
    assert "https://" not in page
    scripts = re.findall(r"<script[^>]*>", page)  # only core's own small behaviours file
    assert all("/static/niaga.js" in tag for tag in scripts), scripts


def test_me_tells_the_caller_their_permissions(api_as, make_user):
    cashier = make_user("cashier")
    me = api_as(cashier, ["sample.view"]).get("/api/core/me").get_json()
    assert me["role"] == "cashier"
    assert "sample.view" in me["permissions"]
    assert me["token_scopes"] == ["sample.view"]
