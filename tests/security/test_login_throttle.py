"""Login throttling stops a guesser where they are without locking the owner out, stops one
password sprayed over many accounts, believes X-Forwarded-For only from a trusted proxy,
and does the same work for unknown and known accounts."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from niaga import auth
from niaga.db import utcnow
from niaga.models import AuditLog
from niaga.testing import PASSWORD, csrf_token

ATTACKER, OWNER_HOME, PROXY = "203.0.113.9", "198.51.100.7", "10.0.0.2"


def _try(client, login: str, password: str, address: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = client.post(
        "/admin/login",
        data={"login": login, "password": password, "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )
    return response.status_code


@pytest.fixture
def strict(app):
    app.config.update(LOGIN_RATE_LIMIT=3, LOGIN_ADDRESS_LIMIT=5)
    return app


def test_a_guesser_is_stopped_but_the_owner_still_logs_in_elsewhere(strict, owner):
    attacker = strict.test_client()
    assert [_try(attacker, owner.email, "salah-terus", ATTACKER) for _ in range(3)] == [200] * 3
    assert _try(attacker, owner.email, PASSWORD, ATTACKER) == 429
    assert _try(strict.test_client(), owner.email, PASSWORD, OWNER_HOME) == 302


def test_one_password_sprayed_over_many_accounts_is_stopped(strict, owner, make_user):
    users = [make_user("cashier") for _ in range(5)]
    attacker = strict.test_client()
    assert [_try(attacker, u.email, "Musim2026!", ATTACKER) for u in users] == [200] * 5
    refused = strict.test_client().post(
        "/admin/login",
        data={"login": owner.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": ATTACKER},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code in {400, 429}  # no CSRF token either; never a 500
    assert _try(attacker, owner.email, PASSWORD, ATTACKER) == 429
    assert _try(strict.test_client(), owner.email, PASSWORD, OWNER_HOME) == 302


def test_failures_older_than_the_window_no_longer_count(strict, owner, monkeypatch):
    attacker = strict.test_client()
    for _ in range(3):
        _try(attacker, owner.email, "salah-terus", ATTACKER)
    assert _try(attacker, owner.email, PASSWORD, ATTACKER) == 429
    # The audit log is append-only, so the window moves instead of the failures.
    later = utcnow() + dt.timedelta(seconds=strict.config["LOGIN_RATE_WINDOW"] + 1)
    monkeypatch.setattr("niaga.ratelimit.utcnow", lambda: later)
    assert _try(attacker, owner.email, PASSWORD, ATTACKER) == 302


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(strict, owner):
    attacker = strict.test_client()
    for n in range(3):
        _try(attacker, owner.email, "salah", ATTACKER, forwarded=f"192.0.2.{n}")
    assert _try(attacker, owner.email, PASSWORD, ATTACKER, forwarded="192.0.2.99") == 429

    strict.config["TRUSTED_PROXIES"] = [PROXY]
    behind = strict.test_client()
    for _ in range(3):
        _try(behind, owner.email, "salah", PROXY, forwarded=f"1.2.3.4, {ATTACKER}")
    assert _try(behind, owner.email, PASSWORD, PROXY, forwarded=ATTACKER) == 429
    # The owner behind the same proxy, from their own address, is not affected.
    assert _try(strict.test_client(), owner.email, PASSWORD, PROXY, forwarded=OWNER_HOME) == 302
    rows = strict.extensions["niaga"].sessionmaker()
    actors = set(rows.scalars(sa.select(AuditLog.actor).where(AuditLog.entity == "login_failure")))
    rows.close()
    assert actors == {f"address:{ATTACKER}"}


class CountingHasher:
    """The real Argon2 hasher, noting every hash a password is verified against."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.verified: list[str] = []

    def verify(self, hashed: str, password: str) -> bool:
        self.verified.append(hashed)
        return self.real.verify(hashed, password)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_unknown_inactive_and_known_accounts_cost_one_argon2_verification(
    app, db, owner, make_user, monkeypatch
):
    hasher = CountingHasher(auth.hasher)
    monkeypatch.setattr(auth, "hasher", hasher)
    gone = make_user("cashier")
    db.get(type(gone), gone.id).active = False
    db.commit()
    client = app.test_client()
    for login in ("tidak-ada@toko.id", gone.email, owner.email):
        hasher.verified.clear()
        assert _try(client, login, "salah-sandi-123", OWNER_HOME) == 200
        assert len(hasher.verified) == 1, login
        # the dummy hash is an Argon2id hash with the same cost as real ones
        assert hasher.verified[0].startswith("$argon2id$")
        assert not hasher.check_needs_rehash(hasher.verified[0])
