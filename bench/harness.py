"""What every benchmark needs: a throw-away PostgreSQL database, a migrated Niaga with
every plugin enabled and an owner's token, real ``niaga serve`` processes on 127.0.0.1,
bounded load from threads, and latency percentiles."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from workload import ALL_PLUGINS

ADMIN_URL = os.environ.get(
    "NIAGA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def report(name: str, figures: dict[str, Any]) -> None:
    """Print the figures as one JSON document."""
    print(json.dumps({"benchmark": name, **figures, "machine": machine()}, indent=2, default=str))


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database ``niaga_bench_<random>``, dropped afterwards; yields its URL."""
    from niaga.db import create_engine

    name = f"niaga_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def niaga_app(url: str, plugins: tuple[str, ...] = ALL_PLUGINS) -> Iterator[tuple[Any, str]]:
    """Migrate ``url``, enable ``plugins``, create an owner; yields ``(app, owner_token)``.
    ``NIAGA_HOME`` points at a temporary folder for this process and its servers."""
    os.environ.setdefault("NIAGA_HOME", tempfile.mkdtemp(prefix="niaga-bench-"))
    from niaga import auth
    from niaga.db import session
    from niaga.testing import build_app, enable_plugins, migrate_everything, token_for

    app = build_app(url)
    migrate_everything(app)
    enable_plugins(app, list(plugins))
    with app.app_context():
        owner = auth.create_user(
            session(), role="owner", email="bench@toko.id", password="bench-1234", name="Bench"
        )
        session().commit()
        session().refresh(owner)
    try:
        yield app, token_for(app, owner)
    finally:
        app.extensions["niaga"].engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{base} did not start") from None
            time.sleep(0.2)


def server_env(url: str) -> dict[str, str]:
    return dict(
        os.environ,
        NIAGA_DATABASE_URL=url,
        NIAGA_SECRET_KEY="bench",
        NIAGA_EMBEDDED_WORKER="false",
    )


#: process id of each server :func:`serve` started, by base URL
SERVER_PIDS: dict[str, int] = {}


def rss_mib(base: str) -> float | None:
    """Resident memory of the server at ``base`` (MiB; Linux), ``None`` when unknown."""
    try:
        status = Path(f"/proc/{SERVER_PIDS[base]}/status").read_text()
    except (KeyError, OSError):
        return None
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return round(kib / 1024, 1)


@contextmanager
def serve(
    command: Callable[[int], list[str]], env: dict[str, str], processes: int
) -> Iterator[list[str]]:
    """Start ``processes`` servers (``command(port)``) on 127.0.0.1; yields their base URLs."""
    started: list[subprocess.Popen] = []
    bases: list[str] = []
    try:
        for _ in range(processes):
            port = free_port()
            log = Path(os.environ["NIAGA_HOME"]) / f"server-{port}.log"
            with log.open("w") as stderr:  # kept for a look after a run
                process = subprocess.Popen(
                    command(port), env=env, stdout=subprocess.DEVNULL, stderr=stderr
                )
            started.append(process)
            bases.append(f"http://127.0.0.1:{port}")
            SERVER_PIDS[bases[-1]] = process.pid
        for base, process in zip(bases, started, strict=True):
            wait_ready(base, process)
        yield bases
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def script_server(script: str, threads: int, *arguments: str) -> Callable[[int], list[str]]:
    """The command that serves a bench's own floor app: ``script --threads N
    --serve-floor PORT *arguments`` (for :func:`serve`)."""
    return lambda port: [
        sys.executable,
        os.path.abspath(script),
        "--threads",
        str(threads),
        "--serve-floor",
        str(port),
        *arguments,
    ]


def niaga_servers(url: str, processes: int, threads: int) -> Any:
    """``processes`` × ``niaga serve --threads threads`` (waitress) on ``url``."""
    return serve(
        lambda port: [
            sys.executable,
            "-m",
            "niaga",
            "serve",
            "--port",
            str(port),
            "--threads",
            str(threads),
        ],
        server_env(url),
        processes,
    )


def percentiles(seconds: list[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in milliseconds."""
    if not seconds:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(seconds)
    cuts = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def run_clients(
    clients: int, work: Callable[[int, int], Any], count: int, seconds: float
) -> dict[str, Any]:
    """``clients`` threads call ``work(client, n)`` until ``count`` calls were started or
    ``seconds`` passed; each call's duration is recorded. Returns durations, results, errors
    and the elapsed wall time."""
    lock = threading.Lock()
    issued = [0]
    durations: list[float] = []
    results: list[Any] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds

    def loop(client: int) -> None:
        while time.monotonic() < stop_at:
            with lock:
                if issued[0] >= count:
                    return
                n = issued[0]
                issued[0] += 1
            began = time.perf_counter()
            try:
                result = work(client, n)
            except Exception as exc:  # noqa: BLE001 (a benchmark counts failures)
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            elapsed = time.perf_counter() - began
            with lock:
                durations.append(elapsed)
                results.append(result)

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(loop, range(clients)))
    return {
        "durations": durations,
        "results": results,
        "errors": errors,
        "elapsed": time.perf_counter() - began,
    }


class NiagaProcess:
    """One ``niaga serve`` on a fixed port that can be killed and started again."""

    def __init__(self, env: dict[str, str], threads: int = 4, port: int | None = None) -> None:
        self.env = env
        self.threads = threads
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> NiagaProcess:
        command = [sys.executable, "-m", "niaga", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--threads", str(self.threads)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_ready(self.base, self.process)
        return self

    def kill(self) -> None:
        """SIGKILL: no cleanup, whatever the process was doing is cut off."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
