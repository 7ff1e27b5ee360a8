"""Fuzz every operation of ``/api/openapi.json`` with schemathesis, every check, against a
real ``niaga serve`` over HTTP, every plugin enabled: no answer is a 500, every answer
matches the document (status, content type, headers, body, ``Allow`` on a 405), input the
document calls invalid is refused, and input it calls valid is not refused as malformed.

The document is used as served, without relaxations. One setting is not schemathesis'
default: a well-formed request may get 422 as well as 404 or 409, because a business rule
refuses it (a posted bill cannot be deleted; no schema can say which bills are posted);
malformed input is 400 or 422, as the document says.

The shop holds a few products, customers and an order first, so that generated ids find
rows. Bounded for CI (a few minutes on one database): ``NIAGA_FUZZ_EXAMPLES`` examples per
operation (default 5); ``docs/performance.md`` has the longer run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")

ALL = (
    "inventory",
    "sales",
    "cashbank",
    "purchasing",
    "payments",
    "loyalty",
    "tax",
    "notifications",
)
EXAMPLES = os.environ.get("NIAGA_FUZZ_EXAMPLES", "5")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
HERE = Path(__file__).resolve().parent
BENCH = str(HERE.parents[1] / "bench")
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)

from workload import client_post, order_lines, seed_shop  # noqa: E402

CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
"""


@pytest.mark.plugins(*ALL)
@pytest.mark.skipif(
    os.environ.get("NIAGA_TEST_DATABASE", "sqlite") != "sqlite",
    reason="the bounded fuzz run uses one database, SQLite (docs/performance.md)",
)
def test_every_operation_passes_every_check_over_http(
    app, api, owner, niaga_server, run_niaga, tmp_path
):
    post = client_post(app.test_client(), api.token)  # some rows for the ids to find
    shop = seed_shop(post, products=3, customers=2)
    order = {"customer_id": shop.customers[0], "lines": order_lines(shop.products)}
    assert post("/api/sales/orders", order, None)[0] == 201
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    env = {
        **run_niaga.env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "NIAGA_FUZZ_URL": niaga_server,
        "NIAGA_FUZZ_USER": owner.email,
        "NIAGA_FUZZ_TOKEN": api.token,
    }
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{niaga_server}/api/openapi.json",
        "--header",
        "Accept-Language: en",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        EXAMPLES,
        "--seed",
        "16",
        "--workers",
        "1",
        "--request-timeout",
        "60",
        "--generation-database",
        "none",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-2000:]
    assert "Authentication failed" not in result.stdout  # every operation was really tried
