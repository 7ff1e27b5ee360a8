"""Hook dispatch cost with every installed plugin enabled.

Prints JSON: nanoseconds per call of an event hook through ``niaga.runtime.hooks()``
(enabled-plugin filtering included), of the same hook through pluggy directly, and of a
plain Python function call, so the framework's share shows as a ratio. Then ``--orders``
full orders (3 lines: create, confirm, deliver, invoice, pay over the test client, on
SQLite) are run while pluggy counts every hook call, and the dispatch cost (calls × the
per-call cost above the plain function) is put beside the order's time.

    python bench/hook_dispatch.py [--calls 200000] [--orders 20]
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


def order_share(app, host, orders: int) -> dict:
    """Hook calls per full order and the order's mean time (in process, SQLite)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from workload import client_post, full_order, order_lines, seed_shop

    from niaga import auth
    from niaga.db import session
    from niaga.testing import token_for

    with app.app_context():
        owner = auth.create_user(session(), role="owner", email="h@b.id", password="bench-1234")
        session().commit()
        session().refresh(owner)
    post = client_post(app.test_client(), token_for(app, owner))
    shop = seed_shop(post, products=3)
    full_order(post, shop.customers[0], order_lines(shop.products))  # warm up
    calls = [0]

    def before(_name, _impls, _kwargs) -> None:
        calls[0] += 1

    undo = host.pm.add_hookcall_monitoring(before, lambda *_: None)
    began = time.perf_counter()
    for _ in range(orders):
        full_order(post, shop.customers[0], order_lines(shop.products))
    elapsed = time.perf_counter() - began
    undo()
    return {
        "orders": orders,
        "order_ms": round(elapsed / orders * 1000, 1),
        "hook_calls_per_order": round(calls[0] / orders, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=20)
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

        def plain(session=None, moves=None) -> None:
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
    order = order_share(app, host, args.orders)
    dispatch_ns = figures["niaga_hooks_ns"] - figures["plain_function_ns"]
    order["dispatch_ms_per_order"] = round(order["hook_calls_per_order"] * dispatch_ns / 1e6, 3)
    order["dispatch_share_of_order"] = round(order["dispatch_ms_per_order"] / order["order_ms"], 5)
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
                "order": order,
                "python": platform.python_version(),
                "machine": f"{platform.machine()} {os.cpu_count()} cpus",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
