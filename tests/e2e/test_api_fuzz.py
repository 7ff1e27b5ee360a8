"""Fuzz every operation of ``/api/openapi.json`` with schemathesis, every check, against a
real ``niaga serve`` over HTTP, every plugin enabled: no answer is a 500, every answer
matches the document (status, content type, headers, body, ``Allow`` on a 405), input the
document calls invalid is refused, and input it calls valid is not refused as malformed.

The document is used as served, without relaxations. One setting is not schemathesis'
default: a well-formed request may get 422 as well as 404 or 409, because a business rule
refuses it (a posted bill cannot be deleted; no schema can say which bills are posted);
malformed input is 400 or 422, as the document says.

Bounded for CI (a few minutes on one database): ``NIAGA_FUZZ_EXAMPLES`` examples per
operation (default 5); ``docs/performance.md`` has the longer run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")

ALL = ("inventory", "sales", "cashbank", "purchasing", "payments", "loyalty")
EXAMPLES = os.environ.get("NIAGA_FUZZ_EXAMPLES", "5")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
HERE = Path(__file__).resolve().parent
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
"""


@pytest.mark.plugins(*ALL)
def test_every_operation_passes_every_check_over_http(
    app, api, owner, niaga_server, run_niaga, tmp_path
):
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
