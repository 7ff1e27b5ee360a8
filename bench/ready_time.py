"""Seconds from launching ``niaga serve`` to its first ``/readyz`` 200, and the CPU time
the process used until then (less sensitive to other load on the machine).

A fresh SQLite instance with every plugin and the demo data (``niaga demo --no-serve``),
then ``--launches`` launches of ``niaga serve``, each polled every 20 ms. Prints JSON.

    python bench/ready_time.py [--launches 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from harness import report


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--port", type=int, default=5790)
    parser.add_argument("--no-bytecode", action="store_true", help="keep no compiled modules")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="niaga_ready_")
    env = dict(
        os.environ,
        NIAGA_HOME=home,
        NIAGA_DATABASE_URL=f"sqlite:///{home}/niaga.db",
        NIAGA_SECRET_KEY="bench-" + "x" * 32,
    )
    # As on an owner's laptop: Python keeps the compiled modules (the first run, the demo
    # below, writes them), unless --no-bytecode asks to compile every module at each launch
    # (PYTHONDONTWRITEBYTECODE, as this project's CI machines set it).
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    niaga = os.path.join(os.path.dirname(sys.executable), "niaga")
    subprocess.run([niaga, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    seconds, cpu = [], []
    for launch in range(args.launches):
        port = args.port + launch
        start = time.perf_counter()
        process = subprocess.Popen(
            [niaga, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while time.perf_counter() - start < 60:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                time.sleep(0.02)
            else:
                raise SystemExit("not ready within 60 s")
            seconds.append(round(time.perf_counter() - start, 2))
            cpu.append(round(cpu_seconds(process.pid), 2))
        finally:
            process.terminate()
            process.wait()
    report(
        "ready_time",
        {
            "compiled_modules_kept": not args.no_bytecode,
            "ready_seconds": seconds,
            "cpu_seconds_until_ready": cpu,
        },
    )


if __name__ == "__main__":
    main()
