"""Tokens are listed and revoked by their owner and by whoever manages users: the owner
sees a manager's integration token on the tokens page and in the API and revokes it, after
which it no longer works; a manager sees and revokes only their own."""

from __future__ import annotations

import sqlalchemy as sa

from niaga.models import ApiToken
from niaga.testing import csrf_token, login


def _token_of(db, user) -> ApiToken:
    """The user's newest token, read in a transaction that ends at once (SQLite locks)."""
    db.expire_all()
    token = db.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).first()
    db.expunge(token)
    db.rollback()
    return token


def test_the_owner_revokes_a_managers_token_on_the_tokens_page(app, db, owner, make_user, api_as):
    manager = make_user("manager", email="manajer@toko.id", name="Pak Manajer")
    integration = api_as(manager, ["core.tokens"])
    assert integration.get("/api/core/me").status_code == 200
    token = _token_of(db, manager)

    browser = app.test_client()
    login(browser, owner)
    page = browser.get("/admin/tokens", headers={"Accept-Language": "id"})
    html = page.get_data(as_text=True)
    assert "Token pengguna lain" in html and "Pak Manajer" in html
    assert f"nga_{token.prefix}_" in html
    revoked = browser.post(
        f"/admin/tokens/{token.id}/revoke",
        data={"csrf_token": csrf_token(browser, "/admin/tokens")},
    )
    assert revoked.status_code == 302
    assert _token_of(db, manager).revoked_at is not None
    assert integration.get("/api/core/me").status_code == 401


def test_a_manager_sees_and_revokes_only_their_own_tokens(app, db, owner, make_user, api_as):
    manager = make_user("manager", email="manajer@toko.id", name="Pak Manajer")
    owners = api_as(owner)
    owner_token = _token_of(db, owner)

    browser = app.test_client()
    login(browser, manager)
    html = browser.get("/admin/tokens").get_data(as_text=True)
    assert f"nga_{owner_token.prefix}_" not in html and "Bu Owner" not in html
    refused = browser.post(
        f"/admin/tokens/{owner_token.id}/revoke",
        data={"csrf_token": csrf_token(browser, "/admin/tokens")},
    )
    assert refused.status_code == 404
    assert _token_of(db, owner).revoked_at is None

    managers = api_as(manager, ["core.tokens"])
    assert managers.get("/api/core/tokens?everyone=true").status_code == 403
    assert managers.delete(f"/api/core/tokens/{owner_token.id}").status_code == 404
    assert owners.get("/api/core/me").status_code == 200


def test_the_api_lists_everyones_tokens_for_the_owner_and_revokes_any(db, owner, make_user, api_as):
    manager = make_user("manager", email="manajer@toko.id")
    integration = api_as(manager, ["core.tokens"])
    token = _token_of(db, manager)
    owners = api_as(owner)

    mine = owners.get("/api/core/tokens").json
    assert {t["user_id"] for t in mine} == {owner.id}
    everyone = owners.get("/api/core/tokens?everyone=true").json
    assert {(t["id"], t["user_id"]) for t in everyone} >= {(token.id, manager.id)}
    assert all("token" not in t and "hash" not in t for t in everyone)  # never the secret

    assert owners.delete(f"/api/core/tokens/{token.id}").status_code == 204
    assert integration.get("/api/core/me").status_code == 401
