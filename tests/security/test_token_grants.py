"""A token cannot mint a token wider or longer-lived than itself, and only the owner grants
``*``."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from niaga.db import utcnow
from niaga.models import ApiToken
from niaga.testing import csrf_token, login


def _mint(client, **body):
    return client.post("/api/core/tokens", json={"name": "baru", **body})


def test_a_narrow_token_cannot_mint_a_wider_one(owner, api_as):
    narrow = api_as(owner, ["core.tokens"])
    refused = _mint(narrow, scopes=["*"])
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "forbidden"
    assert _mint(narrow, scopes=["core.users"]).status_code == 403
    assert _mint(narrow, scopes=["core.tokens", "core.audit"]).status_code == 403
    assert _mint(narrow).status_code == 403  # no scopes means every one: refused too

    same = _mint(narrow, scopes=["core.tokens"])
    assert same.status_code == 201
    assert same.json["scopes"] == ["core.tokens"]


def test_a_token_cannot_mint_one_that_outlives_it(app, db, owner, api_as):
    client = api_as(owner, ["*"])
    mine = db.scalar(sa.select(ApiToken).order_by(ApiToken.id.desc()))
    mine.expires_at = utcnow() + dt.timedelta(days=2)
    db.commit()
    assert _mint(client, scopes=["core.audit"]).status_code == 403  # no expiry = forever
    assert _mint(client, scopes=["core.audit"], expires_days=3).status_code == 403
    assert _mint(client, scopes=["core.audit"], expires_days=1).status_code == 201


def test_only_the_owner_grants_every_permission(owner, make_user, api_as):
    manager = api_as(make_user("manager"), ["*"])
    refused = _mint(manager, scopes=["*"])
    assert refused.status_code == 403
    assert "owner" in refused.json["error"]["message"]
    assert _mint(manager, scopes=["core.users"]).status_code == 403  # not a manager's right
    assert _mint(manager, scopes=["core.audit"]).status_code == 201
    assert _mint(api_as(owner, ["*"]), scopes=["*"]).status_code == 201


def test_the_message_is_in_indonesian(make_user, api_as):
    manager = api_as(make_user("manager"), ["*"])
    refused = manager.post(
        "/api/core/tokens", json={"scopes": ["*"]}, headers={"Accept-Language": "id"}
    )
    assert refused.json["error"]["message"].startswith("Hanya pemilik")


def test_a_manager_choosing_no_scope_in_the_admin_page_gets_their_own_permissions(
    app, client, db, make_user
):
    manager = make_user("manager")
    login(client, manager)
    response = client.post(
        "/admin/tokens", data={"name": "kasir", "csrf_token": csrf_token(client, "/admin/tokens")}
    )
    assert response.status_code == 201
    token = db.scalar(sa.select(ApiToken).where(ApiToken.user_id == manager.id))
    assert "*" not in token.scopes and "core.audit" in token.scopes
    assert "core.users" not in token.scopes
