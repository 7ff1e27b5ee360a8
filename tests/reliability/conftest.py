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
