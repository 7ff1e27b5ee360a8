"""Hook dispatch cost with every installed plugin enabled.

Prints JSON: nanoseconds per call of an event hook through ``niaga.runtime.hooks()``
(enabled-plugin filtering included), of the same hook through pluggy directly, and of a
plain Python function call, so the framework's share shows as a ratio.

    python bench/hook_dispatch.py [--calls 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path


def per_call_ns(function, calls: int) -> float:
    started = time.perf_counter_ns()
    for _ in range(calls):
        function()
    return (time.perf_counter_ns() - started) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="niaga-bench-"))
    os.environ["NIAGA_HOME"] = str(home)
    from niaga.testing import build_app, enable_plugins, migrate_everything

    app = build_app(f"sqlite:///{home / 'bench.db'}")
    migrate_everything(app)
    host = app.extensions["niaga"].host
    enable_plugins(app, host.loaded_names())

    with app.test_request_context("/"):
        from niaga.db import session
        from niaga.runtime import enabled_plugins, hooks

        db = session()
        enabled = sorted(enabled_plugins())
        relay = hooks()

        def via_niaga() -> None:
            hooks().inventory_stock_moved(session=db, moves=[])

        def via_cached_relay() -> None:
            relay.inventory_stock_moved(session=db, moves=[])

        def via_pluggy() -> None:
            host.pm.hook.inventory_stock_moved(session=db, moves=[])

        def plain(session=None, moves=None) -> None:  # noqa: ANN001
            return None

        def via_function() -> None:
            plain(session=db, moves=[])

        listeners = len(host.pm.hook.inventory_stock_moved.get_hookimpls())
        figures = {
            name: round(per_call_ns(fn, args.calls), 1)
            for name, fn in (
                ("niaga_hooks_ns", via_niaga),
                ("niaga_relay_ns", via_cached_relay),
                ("pluggy_ns", via_pluggy),
                ("plain_function_ns", via_function),
            )
        }
    print(
        json.dumps(
            {
                "benchmark": "hook_dispatch",
                "hook": "inventory_stock_moved",
                "listeners": listeners,
                "enabled_plugins": enabled,
                "calls": args.calls,
                **figures,
                "ratio_niaga_to_pluggy": round(figures["niaga_hooks_ns"] / figures["pluggy_ns"], 2),
                "python": platform.python_version(),
                "machine": f"{platform.machine()} {os.cpu_count()} cpus",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
