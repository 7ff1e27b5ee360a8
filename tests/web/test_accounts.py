"""Sessions, CSRF, login rate limit, log out everywhere, tokens (expiry, revocation), users
and roles, through the UI, the API and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from niaga.testing import PASSWORD, build_app, csrf_token, login, token_for


def test_session_cookie_is_httponly_and_samesite(client, owner):
    login(client, owner)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_secure_flag_when_configured(database_url, owner):
    app = build_app(database_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    login(client, owner)
    assert client.get_cookie("session").secure
    app.extensions["niaga"].engine.dispose()


def test_forms_without_csrf_token_are_refused(logged_in):
    response = logged_in.post("/admin/plugins/sample/enable", data={})
    assert response.status_code == 400
    response = logged_in.post("/admin/logout-everywhere", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_login_is_rate_limited(database_url, owner):
    app = build_app(database_url, LOGIN_RATE_LIMIT=3)
    client = app.test_client()
    for _ in range(3):
        response = client.post(
            "/admin/login",
            data={"login": owner.email, "password": "wrong-one", "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 200
    response = client.post(
        "/admin/login",
        data={"login": owner.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 429  # even the right password waits now
    other = client.post(
        "/admin/login",
        data={"login": "else@toko.id", "password": "x", "csrf_token": csrf_token(client)},
    )
    assert other.status_code == 200  # counted per login name
    app.extensions["niaga"].engine.dispose()


def test_logout_everywhere_ends_every_session(app, owner):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, owner)
    login(laptop, owner)
    assert laptop.get("/admin/").status_code == 200
    response = phone.post(
        "/admin/logout-everywhere", data={"csrf_token": csrf_token(phone, "/admin/account")}
    )
    assert response.status_code == 302
    for client in (phone, laptop):
        answer = client.get("/admin/")
        assert answer.status_code == 302 and "/admin/login" in answer.headers["Location"]


def test_password_is_hashed_with_argon2(db, owner):
    from niaga.models import User

    stored = db.get(User, owner.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_expired_and_revoked_tokens_are_refused(app, db, owner):
    from niaga import accounts
    from niaga.models import ApiToken, User

    client = app.test_client()
    live = token_for(app, owner)
    secret, token = accounts.issue_token(
        db, db.get(User, owner.id), ["*"], expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1)
    )
    db.commit()
    assert (
        client.get("/api/core/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )
    headers = {"Authorization": f"Bearer {live}"}
    assert client.get("/api/core/me", headers=headers).status_code == 200
    row = db.scalar(sa.select(ApiToken).where(ApiToken.prefix == live.split("_")[1]))
    accounts.revoke_token(row)
    db.commit()
    assert client.get("/api/core/me", headers=headers).status_code == 401
    assert token.token_hash != secret


def test_tokens_via_api_are_shown_once_and_scoped(api, db):
    response = api.post("/api/core/tokens", json={"name": "POS 1", "scopes": ["core.audit"]})
    assert response.status_code == 201
    secret = response.get_json()["token"]
    listed = api.get("/api/core/tokens").get_json()
    assert all("token" not in row for row in listed)
    assert all(secret not in str(row) for row in listed)
    bad = api.post("/api/core/tokens", json={"scopes": ["no.such"]})
    assert bad.status_code == 422 and "scopes" in bad.get_json()["error"]["fields"]
    new = api.__class__(api.client, secret)
    assert new.get("/api/core/audit").status_code == 200
    assert new.get("/api/core/users").status_code == 403
    token_id = response.get_json()["id"]
    assert api.delete(f"/api/core/tokens/{token_id}").status_code == 204
    assert new.get("/api/core/audit").status_code == 401


def test_tokens_page_shows_a_new_token_once(logged_in, db):
    response = logged_in.post(
        "/admin/tokens",
        data={"name": "Kasir", "csrf_token": csrf_token(logged_in, "/admin/tokens")},
    )
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    assert 'id="new-token"' in page
    import re

    secret = re.search(r'id="new-token" readonly value="([^"]+)"', page).group(1)
    assert secret.startswith("nga_")
    assert secret not in logged_in.get("/admin/tokens").get_data(as_text=True)
    assert (
        logged_in.get("/api/core/me", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )


def test_owner_edits_a_role_and_the_cashier_gains_the_permission(app, logged_in, make_user):
    cashier = make_user("cashier", email="kasir@toko.id")
    cashier_api = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(app, cashier)}"}
    assert cashier_api.get("/api/core/audit", headers=headers).status_code == 403
    page = logged_in.get("/admin/roles").get_data(as_text=True)
    assert "core.audit" in page
    response = logged_in.post(
        "/admin/roles/cashier",
        data={
            "permission": ["core.dashboard", "core.audit"],
            "csrf_token": csrf_token(logged_in, "/admin/roles"),
        },
    )
    assert response.status_code == 302
    assert cashier_api.get("/api/core/audit", headers=headers).status_code == 200
    refused = logged_in.post(
        "/admin/roles/owner",
        data={"permission": [], "csrf_token": csrf_token(logged_in, "/admin/roles")},
        follow_redirects=True,
    )
    assert "selalu memiliki semua izin" in refused.get_data(as_text=True)


def test_users_page_creates_users_and_keeps_the_last_owner(logged_in, db, owner):
    from niaga.models import User

    token = csrf_token(logged_in, "/admin/users")
    response = logged_in.post(
        "/admin/users",
        data={
            "email": "gudang@toko.id",
            "role": "warehouse",
            "password": "gudang-123",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    db.rollback()
    created = db.scalar(sa.select(User).where(User.email == "gudang@toko.id"))
    assert created.role.name == "warehouse"
    page = logged_in.post(
        f"/admin/users/{owner.id}",
        data={"role": "cashier", "csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "pemilik terakhir" in page
    db.rollback()
    assert db.get(User, owner.id).role.name == "owner"


@pytest.fixture
def cli(app, monkeypatch, database_url):
    from niaga.cli import main

    monkeypatch.setenv("NIAGA_DATABASE_URL", database_url)
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(main, list(args), catch_exceptions=False)
        return result

    return run


def test_cli_users_and_tokens(cli, owner):
    import json

    created = cli(
        "users",
        "create",
        "--email",
        "kasir@toko.id",
        "--role",
        "cashier",
        "--password",
        "kasir-1234",
    )
    assert created.exit_code == 0, created.output
    listed = json.loads(cli("users", "list", "--json").output)
    assert {u["email"]: u["role"] for u in listed} == {
        "owner@toko.id": "owner",
        "kasir@toko.id": "cashier",
    }
    assert cli("users", "set-role", "kasir@toko.id", "manager").exit_code == 0
    assert (
        cli("users", "reset-password", "kasir@toko.id", "--password", "baru-12345").exit_code == 0
    )
    refused = cli("users", "set-role", "owner@toko.id", "cashier")
    assert refused.exit_code == 1 and "last owner" in refused.output
    made = cli(
        "tokens",
        "create",
        "--user",
        "kasir@toko.id",
        "--scope",
        "core.audit",
        "--expires-days",
        "7",
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("nga_")
    tokens = json.loads(cli("tokens", "list", "--json").output)
    assert tokens[0]["scopes"] == ["core.audit"] and tokens[0]["state"] == "active"
    assert secret not in cli("tokens", "list").output
    assert cli("tokens", "revoke", str(tokens[0]["id"])).exit_code == 0
    assert json.loads(cli("tokens", "list", "--json").output)[0]["state"] == "revoked"
    unknown = cli("tokens", "create", "--user", "nobody@x.id")
    assert unknown.exit_code == 1 and "No user" in unknown.output
