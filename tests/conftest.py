"""Fixtures shared by core, end-to-end and reliability tests: the real `niaga` command in a
subprocess, and `niaga serve` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

NIAGA = [sys.executable, "-m", "niaga"]


@pytest.fixture
def run_niaga(database_url: str, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run ``niaga ARGS`` in a subprocess against this test's database."""
    env = dict(
        os.environ,
        NIAGA_HOME=str(tmp_path / "home"),
        NIAGA_DATABASE_URL=database_url,
        NIAGA_SECRET_KEY="test",
    )

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*NIAGA, *args], env=env, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(f"niaga {' '.join(args)} failed:\n{result.stderr}")
        return result

    run.env = env  # type: ignore[attr-defined]
    return run


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def niaga_server(run_niaga: Callable[..., subprocess.CompletedProcess]):
    """Start ``niaga serve`` in a subprocess on a free port; yields its base URL."""
    import time
    import urllib.error
    import urllib.request

    port = free_port()
    server = subprocess.Popen(
        [*NIAGA, "serve", "--port", str(port)],
        env=run_niaga.env,  # type: ignore[attr-defined]
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if server.poll() is not None:
                raise AssertionError(server.stderr.read() if server.stderr else "server died")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise AssertionError("server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
