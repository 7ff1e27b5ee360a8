"""How ``niaga serve`` behaves when busy: the connection pool follows the thread count, a
request that cannot get a connection or waited too long for a thread is answered 503 with
``Retry-After`` and the error envelope, and an oversized body 413 — on both databases."""

from __future__ import annotations

import sqlite3
import threading
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa
import waitress

from niaga import serving
from niaga.db import POOL_SPARE, create_engine
from niaga.testing import database_kind

pytestmark = pytest.mark.plugins("inventory", "sales")


def test_the_pool_follows_the_thread_count(database_url):
    for threads in (1, 20, 64):
        engine = create_engine(database_url, threads=threads)
        assert engine.pool.size() == threads + POOL_SPARE
        engine.dispose()


def test_no_connection_within_the_pool_timeout_is_a_503_with_retry_after(app, client):
    app.extensions["niaga"].use_engine(
        create_engine(app.config["DATABASE_URL"], pool_size=1, max_overflow=0, pool_timeout=0.2)
    )
    with app.extensions["niaga"].engine.connect():  # another request holds the only one
        response = client.get("/api/sales/orders", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"]["code"] == "busy"
    assert client.get("/api/sales/orders").status_code == 401  # served again once it is back


def test_the_busy_answer_is_in_the_callers_language(app, client):
    app.extensions["niaga"].use_engine(
        create_engine(app.config["DATABASE_URL"], pool_size=1, max_overflow=0, pool_timeout=0.2)
    )
    with app.extensions["niaga"].engine.connect():
        response = client.get("/api/sales/orders", headers={"Accept-Language": "id"})
    assert response.status_code == 503
    assert response.get_json()["error"]["message"].startswith("Server sedang sibuk")


def test_a_body_over_the_limit_is_refused_with_413_and_stores_nothing(app, api):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    body = '{"code": "C1", "shop_name": "Toko", "notes": "%s"}' % ("x" * 2048)
    response = api.post(
        "/api/sales/customers", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert api.get("/api/sales/customers").get_json() == []


def test_waitress_is_sized_from_the_configuration(app):
    options = serving.waitress_options(app, threads=24)
    assert options["threads"] == 24
    assert options["connection_limit"] == app.config["SERVE_CONNECTION_LIMIT"]
    assert options["channel_timeout"] == app.config["SERVE_CHANNEL_TIMEOUT"]
    assert options["backlog"] == app.config["SERVE_BACKLOG"]
    assert options["max_request_body_size"] >= app.config["MAX_CONTENT_LENGTH"]


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_a_request_queued_past_the_deadline_is_answered_503_by_a_real_server(app):
    serving.size_pool(app, threads=2)
    dispatcher = serving._TimedDispatcher()
    dispatcher.set_thread_count(2)
    options = serving.waitress_options(app, threads=2)
    server = waitress.create_server(
        app,
        host="127.0.0.1",
        port=0,
        _dispatcher=dispatcher,
        **{k: v for k, v in options.items() if k != "threads"},
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}/healthz"
    try:
        app.config["SERVE_QUEUE_SECONDS"] = -1  # every request counts as waiting too long
        status, headers = _get(url)
        assert status == 503
        assert headers["Retry-After"].isdigit()
        app.config["SERVE_QUEUE_SECONDS"] = 60
        assert _get(url)[0] == 200
    finally:  # closed from its own loop, which then ends
        server.trigger.pull_trigger(lambda: server.asyncore.close_all(server._map))
        thread.join(timeout=5)
        dispatcher.shutdown()


def test_a_get_on_sqlite_reads_while_another_process_holds_the_write_lock(app, api):
    if database_kind() != "sqlite":
        pytest.skip("deferred reads are SQLite's; PostgreSQL readers never wait for writers")
    api.post("/api/sales/customers", json={"code": "C1", "shop_name": "Toko Satu"})
    other = sqlite3.connect(sa.engine.make_url(app.config["DATABASE_URL"]).database, timeout=0)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        response = api.get("/api/sales/customers")
        assert response.status_code == 200
        assert [c["code"] for c in response.get_json()] == ["C1"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    created = api.post("/api/sales/customers", json={"code": "C2", "shop_name": "Toko Dua"})
    assert created.status_code == 201  # writes still begin IMMEDIATE and go through
