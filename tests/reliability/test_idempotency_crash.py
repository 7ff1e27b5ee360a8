"""A real ``niaga serve`` SIGKILLed inside the window between an order's work and its
``Idempotency-Key``'s completion (issue 16), on SQLite and PostgreSQL.

``NIAGA_TEST_CRASH_AFTER_WORK`` makes the server kill itself with SIGKILL right before the
request's one commit (nothing of it may survive: the retry runs once) or right after it,
before the answer leaves (the retry must replay the stored 201). The storm adds kills from
outside at random moments; every key ends with exactly one order, and no retry ever gets
409: a killed request's key is free the moment its process is gone."""

from __future__ import annotations

import json
import os
import random
import threading
import time

import pytest
import requests
import sqlalchemy as sa
from harness import NiagaProcess
from workload import ALL_PLUGINS, order_lines, seed_shop

from niaga.db import create_engine

pytestmark = pytest.mark.plugins(*ALL_PLUGINS)
CRASH = "NIAGA_TEST_CRASH_AFTER_WORK"


@pytest.fixture
def server_env(database_url, tmp_path):
    return dict(
        os.environ,
        NIAGA_HOME=str(tmp_path / "servers"),
        NIAGA_DATABASE_URL=database_url,
        NIAGA_SECRET_KEY="test",
        NIAGA_EMBEDDED_WORKER="false",
    )


def orders_by_note(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT notes, count(*) FROM sales_order GROUP BY notes")
        ).all()
    engine.dispose()
    return {note: count for note, count in rows}


def send(base: str, token: str, key: str, body: dict) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    return requests.post(f"{base}/api/sales/orders", json=body, headers=headers, timeout=60)


@pytest.mark.parametrize("where", ["before_commit", "after_commit"])
def test_a_kill_around_the_commit_leaves_one_order_and_the_retry_answers_it(
    post, api, database_url, server_env, where
):
    shop = seed_shop(post, products=2, customers=1)
    body = {"customer_id": shop.customers[0], "lines": order_lines(shop.products), "notes": where}
    crashing = NiagaProcess({**server_env, CRASH: where}, threads=2).start()
    try:
        with pytest.raises(requests.ConnectionError):
            send(crashing.base, api.token, "crash-1", body)
        assert crashing.process.wait(timeout=30) == -9  # SIGKILL, no cleanup
    finally:
        crashing.stop()
    assert orders_by_note(database_url).get(where, 0) == (1 if where == "after_commit" else 0)

    server = NiagaProcess(server_env, threads=2, port=crashing.port).start()
    try:
        retry = send(server.base, api.token, "crash-1", body)
        assert retry.status_code == 201, retry.text
        replayed = retry.headers.get("Idempotent-Replayed") == "true"
        assert replayed == (where == "after_commit")  # saved: replayed; not saved: ran now
        again = send(server.base, api.token, "crash-1", body)
        assert again.status_code == 201 and again.content == retry.content
    finally:
        server.stop()
    assert orders_by_note(database_url)[where] == 1


STORM_KEYS = 8
STORM_CLIENTS = 3


def test_a_storm_of_kills_ends_with_one_order_per_key(post, api, database_url, server_env):
    shop = seed_shop(post, products=3, customers=1)
    # the server kills itself before or after the commit of about two requests in three,
    # and is killed from outside at random moments besides
    server = NiagaProcess({**server_env, CRASH: "random"}, threads=4).start()
    restart = threading.Lock()
    stop = threading.Event()
    answers: dict[str, list[int]] = {}
    final: dict[str, bytes] = {}

    def alive() -> None:
        with restart:
            if server.process is None or server.process.poll() is not None:
                server.start()

    def client(n: int) -> None:
        for k in range(n, STORM_KEYS, STORM_CLIENTS):
            key = f"storm-{k}"
            body = {
                "customer_id": shop.customers[0],
                "lines": order_lines(shop.products, k + 1),
                "notes": key,
            }
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    answer = send(server.base, api.token, key, body)
                except requests.RequestException:
                    time.sleep(0.1)
                    alive()
                    continue
                answers.setdefault(key, []).append(answer.status_code)
                if answer.status_code == 201:
                    final[key] = answer.content
                    break
                time.sleep(0.1)

    def chaos() -> None:
        rng = random.Random(16)
        while not stop.wait(rng.uniform(0.3, 1.2)):
            with restart:
                server.kill()
                server.start()

    killer = threading.Thread(target=chaos)
    clients = [threading.Thread(target=client, args=(n,)) for n in range(STORM_CLIENTS)]
    try:
        killer.start()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=300)
    finally:
        stop.set()
        killer.join(timeout=60)
    try:
        with restart:
            server.stop()
        server.env = server_env  # no more crashes: check the replays
        server.start()
        assert sorted(final) == sorted(f"storm-{k}" for k in range(STORM_KEYS)), answers
        for key, content in final.items():
            body = json.loads(content)
            replay = send(
                server.base,
                api.token,
                key,
                {
                    "customer_id": shop.customers[0],
                    "lines": order_lines(shop.products, int(key.split("-")[1]) + 1),
                    "notes": key,
                },
            )
            assert replay.status_code == 201 and replay.content == content
            assert replay.headers["Idempotent-Replayed"] == "true"
            assert body["notes"] == key
    finally:
        server.stop()
    # no answer but 201 ever came back (no 409 for a key whose first attempt was killed)
    assert {status for statuses in answers.values() for status in statuses} == {201}, answers
    counts = orders_by_note(database_url)
    assert {key: counts.get(key, 0) for key in final} == {key: 1 for key in final}
