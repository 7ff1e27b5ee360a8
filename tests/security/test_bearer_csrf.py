"""CSRF is skipped only for a valid bearer token, and then the session cookie is ignored;
an invalid token is refused instead of riding on the cookie."""

from __future__ import annotations

from niaga.testing import token_for


def test_an_invalid_bearer_token_does_not_skip_csrf_on_a_logged_in_browser(logged_in):
    response = logged_in.post(
        "/api/core/tokens",
        json={"name": "curian", "scopes": ["core.audit"]},
        headers={"Authorization": "Bearer nga_palsu_123", "Accept-Language": "id"},
    )
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "Token API tidak valid" in response.json["error"]["message"]


def test_a_valid_token_is_the_caller_and_the_cookie_is_ignored(app, logged_in, make_user):
    cashier = make_user("cashier")
    token = token_for(app, cashier, ["core.dashboard"])
    me = logged_in.get("/api/core/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["email"] == cashier.email  # not the owner whose cookie came along
    refused = logged_in.get("/api/core/audit", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403


def test_without_a_token_the_browser_still_needs_its_csrf_token(logged_in):
    response = logged_in.post("/api/core/tokens", json={"name": "x", "scopes": ["core.audit"]})
    assert response.status_code == 400
