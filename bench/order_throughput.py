"""Orders through the real HTTP stack, beside a bare Flask + SQLAlchemy floor.

Niaga runs as ``--processes`` × ``niaga serve --threads N`` (waitress) on a fresh PostgreSQL
database with every plugin enabled. Each order is five POSTs with an ``Idempotency-Key``
(create 3 lines with stock → confirm (reserve) → deliver (issue, cost of goods posted) →
invoice (sale posted) → pay (payment posted, points earned)). The floor is a bare Flask app
on the same database, served the same way, whose five endpoints insert the same number of
rows per step (measured on one real order first) into one plain table, with one token
lookup per request. Prints JSON: orders/s and latency percentiles of both, and the ratio.

    python bench/order_throughput.py [--orders 300] [--seconds 60] [--clients 8] [--rounds 3]

Both sides are served at once and measured in turn, ``--rounds`` times (Niaga, floor,
Niaga, floor, ...), so a machine whose load changes affects both alike; the ratio reported
is the median of the rounds' ratios, each round's figures beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from typing import Any

import sqlalchemy as sa
from harness import (
    niaga_app,
    niaga_servers,
    percentiles,
    postgres_database,
    report,
    rss_mib,
    run_clients,
    script_server,
    serve,
    server_env,
)
from workload import STEPS, Shop, client_post, full_order, http_post, order_lines, seed_shop

FLOOR_TABLE = "bench_floor_row"


def rows_per_step(app: Any, token: str, shop: Shop) -> dict[str, dict[str, int]]:
    """Rows each step of one real order adds, per table."""
    from niaga.db import Model

    engine = app.extensions["niaga"].engine
    post = client_post(app.test_client(), token)

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {
                t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in Model.metadata.sorted_tables
            }

    added: dict[str, dict[str, int]] = {}
    before = [counts()]

    def timed(step: str, call: Any) -> Any:
        result = call()
        after = counts()
        added[step] = {k: after[k] - before[0][k] for k in after if after[k] != before[0][k]}
        before[0] = after
        return result

    full_order(post, shop.customers[0], order_lines(shop.products[:3]), timed=timed)
    return added


def floor_app(url: str, rows: dict[str, dict[str, int]]) -> Any:
    """The floor: Flask + SQLAlchemy, one token lookup and the same inserts per step."""
    from flask import Flask, abort, jsonify, request

    from niaga.db import create_engine

    engine = create_engine(url, pool_size=16, max_overflow=16)
    table = sa.table(
        FLOOR_TABLE,
        sa.column("kind"),
        sa.column("ref"),
        sa.column("quantity"),
        sa.column("amount"),
        sa.column("data"),
    )
    app = Flask("floor")

    @app.get("/healthz")
    def healthz() -> Any:
        return "ok"

    @app.post("/floor/<step>")
    def step(step: str) -> Any:
        body = request.get_json()
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with engine.begin() as connection:
            found = connection.execute(
                sa.text("SELECT id FROM bench_floor_token WHERE token = :t"), {"t": token}
            ).scalar()
            if found is None:
                abort(401)
            ref = connection.execute(sa.text("SELECT nextval('bench_floor_ref')")).scalar_one()
            for kind, count in rows[step].items():
                connection.execute(
                    table.insert(),
                    [
                        {
                            "kind": kind,
                            "ref": ref,
                            "quantity": 1,
                            "amount": 10000,
                            "data": json.dumps(body),
                        }
                        for _ in range(count)
                    ],
                )
        return jsonify({"id": ref, "total": "30000.00"}), 201

    return app


def prepare_floor(url: str, token: str) -> None:
    from niaga.db import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, kind text NOT NULL,"
                " ref bigint NOT NULL, quantity numeric(18,4), amount numeric(18,2), data text,"
                " created_at timestamptz NOT NULL DEFAULT now())"
            )
        )
        connection.execute(sa.text(f"CREATE INDEX ON {FLOOR_TABLE} (ref)"))
        connection.execute(sa.text("CREATE SEQUENCE bench_floor_ref"))
        connection.execute(sa.text("CREATE TABLE bench_floor_token (id serial, token text UNIQUE)"))
        connection.execute(
            sa.text("INSERT INTO bench_floor_token (token) VALUES (:t)"), {"t": token}
        )
    engine.dispose()


def floor_order(post: Any) -> None:
    for step in STEPS:
        status, body = post(f"/floor/{step}", {"step": step}, None)
        if status != 201:
            raise AssertionError(f"floor {step}: HTTP {status}")


def measure(
    bases: list[str], token: str, clients: int, args: Any, one_order: Any
) -> dict[str, Any]:
    import requests

    local = threading.local()

    def work(client: int, n: int) -> None:
        if not hasattr(local, "post"):
            local.post = http_post(requests.Session(), bases[client % len(bases)], token)
        one_order(local.post, n)

    # warm-up: every server connects and loads its plugins
    run_clients(clients, work, clients * 2, args.seconds)
    run = run_clients(clients, work, args.orders, args.seconds)
    done = len(run["durations"])
    return {
        "orders": done,
        "errors": len(run["errors"]),
        "first_errors": run["errors"][:3],
        "seconds": round(run["elapsed"], 2),
        "orders_per_s": round(done / run["elapsed"], 2),
        "requests_per_s": round(done * len(STEPS) / run["elapsed"], 2),
        "order_latency": percentiles(run["durations"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300, help="orders per side (at most)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per side")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per side")
    parser.add_argument(
        "--serve-floor", nargs=3, metavar=("PORT", "URL", "ROWS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve_floor:
        import waitress

        port, url, rows = args.serve_floor
        waitress.serve(
            floor_app(url, json.loads(rows)),
            host="127.0.0.1",
            port=int(port),
            threads=args.threads,
            _quiet=True,
        )
        return

    with postgres_database() as url, niaga_app(url) as (app, token):
        post = client_post(app.test_client(), token)
        shop = seed_shop(post, products=30, stock="1000000", customers=args.clients)
        rows = rows_per_step(app, token, shop)
        prepare_floor(url, token)

        step_ms: dict[str, list[float]] = {}

        def timed_step(step: str, call: Any) -> Any:
            started = time.perf_counter()
            try:
                return call()
            finally:
                step_ms.setdefault(step, []).append(time.perf_counter() - started)

        def niaga_order(http: Any, n: int) -> None:
            lines = order_lines([shop.products[(n + i * 7) % len(shop.products)] for i in range(3)])
            full_order(http, shop.customers[n % len(shop.customers)], lines, timed=timed_step)

        floor_command = script_server(__file__, args.threads, url, json.dumps(rows))
        rounds = []
        with (
            niaga_servers(url, args.processes, args.threads) as niaga_bases,
            serve(floor_command, server_env(url), args.processes) as floor_bases,
        ):
            memory_at_start = [rss_mib(base) for base in niaga_bases]
            for _ in range(max(1, args.rounds)):
                niaga = measure(niaga_bases, token, args.clients, args, niaga_order)
                floor = measure(
                    floor_bases, token, args.clients, args, lambda http, n: floor_order(http)
                )
                ratio = niaga["orders_per_s"] / (floor["orders_per_s"] or 1)
                rounds.append(
                    {
                        "niaga_orders_per_s": niaga["orders_per_s"],
                        "floor_orders_per_s": floor["orders_per_s"],
                        "niaga_to_floor": round(ratio, 3),
                        "load_average_1m": round(os.getloadavg()[0], 1),
                        "niaga": niaga,
                        "floor": floor,
                    }
                )
            memory = {
                "rss_mib_at_start": memory_at_start,
                "rss_mib_after": [rss_mib(base) for base in niaga_bases],
                "orders_per_process": round(
                    sum(r["niaga"]["orders"] for r in rounds) / len(niaga_bases)
                ),
            }
    middle = sorted(rounds, key=lambda r: r["niaga_to_floor"])[len(rounds) // 2]
    niaga, floor = middle["niaga"], middle["floor"]
    report(
        "order_throughput",
        {
            "setup": {
                "database": "PostgreSQL",
                "servers": f"{args.processes} processes x waitress {args.threads} threads",
                "clients": args.clients,
                "plugins": "all six",
                "order": "3 lines; create, confirm, deliver, invoice, pay; Idempotency-Key on each",
                "rows_per_step": rows,
            },
            "niaga_to_floor_median": middle["niaga_to_floor"],
            "niaga_memory": memory,
            "niaga_step_p50_ms": {
                step: percentiles(seconds)["p50_ms"] for step, seconds in step_ms.items()
            },
            "rounds": [
                {k: v for k, v in r.items() if k not in ("niaga", "floor")}
                | {
                    "niaga_p50_ms": r["niaga"]["order_latency"]["p50_ms"],
                    "niaga_errors": r["niaga"]["errors"],
                }
                for r in rounds
            ],
            "niaga": niaga,
            "floor": floor,
            "ratio_orders_per_s_floor_to_niaga": round(
                floor["orders_per_s"] / niaga["orders_per_s"], 2
            )
            if niaga["orders_per_s"]
            else None,
            "ratio_p50_niaga_to_floor": round(
                niaga["order_latency"]["p50_ms"] / floor["order_latency"]["p50_ms"], 2
            )
            if floor["order_latency"]["p50_ms"]
            else None,
        },
    )


if __name__ == "__main__":
    main()
