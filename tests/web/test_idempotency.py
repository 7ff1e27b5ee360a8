"""``Idempotency-Key`` on POSTs under /api/: replay byte for byte, 422 for a reused key with
another body, a wait (then 409) while the first is running, keys per caller, 5xx releases
the key. The concurrency tests send real HTTP from threads to a live threaded server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from flask import Blueprint, jsonify

from niaga.auth import require
from niaga.db import session
from niaga.testing import token_for

pytestmark = pytest.mark.plugins("sample")


def notes(db) -> list[str]:
    from niaga_sample.models import Note

    db.rollback()
    texts = list(db.scalars(sa.select(Note.text).order_by(Note.id)))
    db.rollback()  # SQLite: a read transaction here would block the live server's writers
    return texts


def test_retry_replays_the_first_answer_byte_for_byte(api, db):
    headers = {"Idempotency-Key": "order-1"}
    first = api.post("/api/sample/notes", json={"text": "once"}, headers=headers)
    again = api.post("/api/sample/notes", json={"text": "once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert notes(db) == ["once"]


def test_same_key_with_another_body_is_422(api, db):
    headers = {"Idempotency-Key": "k"}
    assert api.post("/api/sample/notes", json={"text": "a"}, headers=headers).status_code == 201
    response = api.post("/api/sample/notes", json={"text": "b"}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"
    assert notes(db) == ["a"]


def test_keys_belong_to_the_caller(app, api, api_as, make_user, db):
    other = api_as(make_user("owner", email="other@toko.id"))
    headers = {"Idempotency-Key": "same"}
    assert api.post("/api/sample/notes", json={"text": "x"}, headers=headers).status_code == 201
    assert other.post("/api/sample/notes", json={"text": "x"}, headers=headers).status_code == 201
    assert notes(db) == ["x", "x"]


def test_without_a_key_every_post_counts(api, db):
    for _ in range(2):
        assert api.post("/api/sample/notes", json={"text": "n"}).status_code == 201
    assert notes(db) == ["n", "n"]


def test_an_empty_key_is_refused(api):
    response = api.post("/api/sample/notes", json={"text": "n"}, headers={"Idempotency-Key": " "})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["error"]["fields"]


def test_validation_errors_are_replayed_too(api, db):
    headers = {"Idempotency-Key": "bad"}
    first = api.post("/api/sample/notes", json={}, headers=headers)
    again = api.post("/api/sample/notes", json={}, headers=headers)
    assert first.status_code == again.status_code == 422
    assert first.get_data() == again.get_data()


def test_expired_keys_run_again(app, api, db):
    headers = {"Idempotency-Key": "old"}
    api.post("/api/sample/notes", json={"text": "x"}, headers=headers)
    app.config["IDEMPOTENCY_TTL_HOURS"] = 0
    assert api.post("/api/sample/notes", json={"text": "x"}, headers=headers).status_code == 201
    assert notes(db) == ["x", "x"]


@pytest.fixture
def gated(app):
    """Two test routes: ``/api/gated/wait`` blocks until the test opens the gate;
    ``/api/gated/flaky`` fails with 500 the first time."""
    gate = threading.Event()
    started = threading.Event()
    calls = {"wait": 0, "flaky": 0}
    bp = Blueprint("gated", __name__)

    @bp.post("/wait")
    @require("core.dashboard")
    def wait():
        calls["wait"] += 1
        session().commit()  # hold no database lock while waiting
        started.set()
        assert gate.wait(30)
        return jsonify(call=calls["wait"]), 201

    @bp.post("/flaky")
    @require("core.dashboard")
    def flaky():
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise RuntimeError("first attempt breaks")
        return jsonify(call=calls["flaky"]), 201

    app.register_blueprint(bp, url_prefix="/api/gated")
    return {"gate": gate, "started": started, "calls": calls}


def bearer(app, owner) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(app, owner)}", "Accept-Language": "en"}


def test_a_retry_while_the_first_runs_waits_for_it_or_gets_409(app, owner, db, gated, live_server):
    """The first request holds its key only in its own open transaction. PostgreSQL: a
    retry waits up to IDEMPOTENCY_WAIT_SECONDS on the key's unique index, then answers 409
    with Retry-After while the first is alive. SQLite: the retry waits for the first
    writer and replays its answer. Either way the view ran once."""
    app.config["IDEMPOTENCY_WAIT_SECONDS"] = 1
    headers = {**bearer(app, owner), "Idempotency-Key": "slow"}
    url = f"{live_server}/api/gated/wait"
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(requests.post, url, json={"a": 1}, headers=headers, timeout=60)
        assert gated["started"].wait(30)
        if db.get_bind().dialect.name == "postgresql":
            retry = requests.post(url, json={"a": 1}, headers=headers, timeout=60)
            assert retry.status_code == 409, retry.text
            assert retry.json()["error"]["code"] == "idempotency_key_in_use"
            assert retry.headers["Retry-After"] == "1"
            gated["gate"].set()
        else:
            waiting = pool.submit(requests.post, url, json={"a": 1}, headers=headers, timeout=60)
            threading.Event().wait(0.5)
            assert not waiting.done()
            gated["gate"].set()
            retry = waiting.result()
            assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
        original = first.result()
    assert original.status_code == 201
    replay = requests.post(url, json={"a": 1}, headers=headers, timeout=60)
    assert replay.status_code == 201
    assert replay.content == original.content
    assert gated["calls"]["wait"] == 1


def test_a_failed_first_attempt_releases_the_key(app, owner, gated, live_server):
    headers = {**bearer(app, owner), "Idempotency-Key": "flaky"}
    url = f"{live_server}/api/gated/flaky"
    first = requests.post(url, json={}, headers=headers, timeout=60)
    assert first.status_code == 500
    assert first.json()["error"]["code"] == "internal_error"
    second = requests.post(url, json={}, headers=headers, timeout=60)
    assert second.status_code == 201
    third = requests.post(url, json={}, headers=headers, timeout=60)
    assert third.content == second.content
    assert gated["calls"]["flaky"] == 2


def test_simultaneous_retries_create_exactly_once(app, owner, db, live_server):
    headers = {**bearer(app, owner), "Idempotency-Key": "race"}
    url = f"{live_server}/api/sample/notes"
    workers = 8
    start = threading.Barrier(workers)

    def send(_: int) -> requests.Response:
        start.wait()
        return requests.post(url, json={"text": "raced"}, headers=headers, timeout=60)

    with ThreadPoolExecutor(workers) as pool:
        answers = list(pool.map(send, range(workers)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, statuses
    created = [a.content for a in answers if a.status_code == 201]
    assert created and len(set(created)) == 1
    assert notes(db) == ["raced"]
    final = requests.post(url, json={"text": "raced"}, headers=headers, timeout=60)
    assert final.status_code == 201 and final.content == created[0]
