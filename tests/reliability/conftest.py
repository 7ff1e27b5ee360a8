"""The reliability tests share the benchmarks' shop and order flow (``bench/workload.py``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = str(Path(__file__).resolve().parents[2] / "bench")
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)

from workload import client_post  # noqa: E402


@pytest.fixture
def post(app: Any, api: Any) -> Any:
    """``post(url, body, idempotency_key) -> (status, json)`` as the owner, in process."""
    return client_post(app.test_client(), api.token)


@pytest.fixture
def http(live_server: str, api: Any) -> Any:
    """``http(work, count, threads=16)``: run ``work(post, n)`` for n in range(count) on
    ``threads`` threads, each with its own keep-alive connection to the live server (its own
    database session per request). Returns the results in order of n."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import requests
    from workload import http_post

    local = threading.local()
    opened: list[Any] = []

    def run(work: Any, count: int, threads: int = 16) -> list[Any]:
        def one(n: int) -> Any:
            if not hasattr(local, "post"):
                local.session = requests.Session()
                opened.append(local.session)
                local.post = http_post(local.session, live_server, api.token)
            return work(local.post, n)

        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(one, range(count)))

    yield run
    for session in opened:
        session.close()
