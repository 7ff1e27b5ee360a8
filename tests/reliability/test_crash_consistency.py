"""Crash consistency: orders run against two ``niaga serve`` processes while one of them is
SIGKILLed and restarted again and again (and, on PostgreSQL, every database connection of
the servers is dropped with ``pg_terminate_backend``). Afterwards no order lacks its stock
moves or journal entries, no entry is unbalanced, stock equals opening minus delivered,
and ``niaga check`` is clean."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
import requests
import sqlalchemy as sa
from harness import NiagaProcess
from workload import ALL_PLUGINS, full_order, http_post, inconsistencies, order_lines, seed_shop

from niaga.db import create_engine

pytestmark = pytest.mark.plugins(*ALL_PLUGINS)
OPENING = 1000
CLIENTS = 4
CHAOS_SECONDS = 10


def drop_connections(url: str) -> int:
    """Terminate every other connection to this test's PostgreSQL database."""
    engine = create_engine(url)
    with engine.begin() as connection:
        dropped = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    return int(dropped)


@pytest.fixture
def server_env(database_url, tmp_path):
    return dict(
        os.environ,
        NIAGA_HOME=str(tmp_path / "servers"),
        NIAGA_DATABASE_URL=database_url,
        NIAGA_SECRET_KEY="test",
        NIAGA_EMBEDDED_WORKER="false",
    )


def test_killed_servers_and_dropped_connections_leave_consistent_books(
    app, post, api, database_url, server_env
):
    shop = seed_shop(post, products=3, stock=OPENING, customers=CLIENTS)
    servers = [NiagaProcess(server_env, threads=4).start() for _ in range(2)]
    stop = threading.Event()
    outcomes = {"completed": 0, "failed": 0}
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        session = requests.Session()
        while not stop.is_set():
            server = servers[rng.randrange(2)]
            lines = order_lines(rng.sample(shop.products, 3), rng.randint(1, 3))
            try:
                full_order(
                    http_post(session, server.base, api.token, timeout=30), shop.customers[n], lines
                )
                result = "completed"
            except (AssertionError, requests.RequestException):
                result = "failed"
            with lock:
                outcomes[result] += 1

    def chaos() -> None:
        rng = random.Random(99)
        deadline = time.monotonic() + CHAOS_SECONDS
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.5, 1.5))
            victim = servers[0]
            victim.kill()
            if database_url.startswith("postgresql"):
                drop_connections(database_url)
            victim.start()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        chaos()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        for server in servers:
            server.stop()

    print("orders:", outcomes)
    assert outcomes["completed"] > 0, outcomes
    engine = create_engine(database_url)
    with engine.connect() as connection:
        problems = inconsistencies(connection, {p: Decimal(OPENING) for p in shop.products})
        delivered = connection.execute(
            sa.text("SELECT count(*) FROM sales_delivery WHERE state = 'delivered'")
        ).scalar_one()
    engine.dispose()
    assert problems == [], problems
    assert delivered >= outcomes["completed"]
    check = subprocess.run(
        [sys.executable, "-m", "niaga", "check", "--json"],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert not any(json.loads(check.stdout).values())
