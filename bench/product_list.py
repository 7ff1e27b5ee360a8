"""Listing a 10,000-product catalogue through the real HTTP stack, beside a bare floor.

A distributor's catalogue of ``--products`` products (every fifth with a karton unit) is
paged through ``GET /api/inventory/products?page=N&page_size=50`` (bearer token, every
plugin enabled) by ``--clients`` threads against 2 × ``niaga serve``. The **floor** is a
bare Flask + SQLAlchemy app on the same database, served the same way, that answers the
same page: the token looked up, the products counted, the page of products and their
units selected, and the same fields written as JSON. Rounds are interleaved (Niaga, floor,
Niaga, floor, …) and each round's ratio of requests per second reported with their median.

    python bench/product_list.py [--products 10000] [--requests 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import threading
from typing import Any

import sqlalchemy as sa
from harness import (
    niaga_app,
    niaga_servers,
    percentiles,
    postgres_database,
    report,
    run_clients,
    script_server,
    serve,
    server_env,
)

from niaga_inventory.products import PLAIN_FIELDS

PAGE_SIZE = 50
FIELDS = ("id", *PLAIN_FIELDS)


def seed_catalogue(url: str, count: int) -> None:
    """``count`` products and a karton unit on every fifth, inserted in bulk."""
    from niaga.db import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO inventory_product (sku, barcode, name, category, brand, active,"
                " price, cost, tax_class, base_unit, track_stock, allow_negative,"
                " created_at, updated_at)"
                " SELECT 'SKU-' || n, '899' || lpad(n::text, 10, '0'), 'Barang ' || n,"
                " 'Kategori ' || (n % 20), 'Merek ' || (n % 50), true, 10000 + n, 6000,"
                " 'standard', 'pcs', true, false, now(), now() FROM generate_series(1, :count) AS n"
            ),
            {"count": count},
        )
        connection.execute(
            sa.text(
                "INSERT INTO inventory_product_unit (product_id, name, factor)"
                " SELECT id, 'karton', 24 FROM inventory_product WHERE id % 5 = 0"
            )
        )
        connection.execute(sa.text("CREATE TABLE bench_floor_token (id serial, token text)"))
    engine.dispose()


def floor_app(url: str) -> Any:
    """The floor: the same page of products and units as JSON, nothing else."""
    from flask import Flask, abort, jsonify, request

    from niaga.db import create_engine

    engine = create_engine(url, pool_size=16, max_overflow=16)
    columns = ", ".join(FIELDS)
    app = Flask("floor")

    @app.get("/healthz")
    def healthz() -> Any:
        return "ok"

    @app.get("/floor/products")
    def products() -> Any:
        page = int(request.args.get("page", 1))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with engine.connect() as connection:
            if (
                connection.execute(
                    sa.text("SELECT id FROM bench_floor_token WHERE token = :t"), {"t": token}
                ).first()
                is None
            ):
                abort(401)
            total = connection.execute(sa.text("SELECT count(*) FROM inventory_product")).scalar()
            rows = connection.execute(
                sa.text(
                    f"SELECT {columns} FROM inventory_product ORDER BY name, id"
                    " LIMIT :limit OFFSET :offset"
                ),
                {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE},
            ).mappings()
            items = [{k: str(v) if v is not None else None for k, v in row.items()} for row in rows]
            units: dict[int, list[dict[str, str]]] = {}
            for product_id, name, factor in connection.execute(
                sa.text(
                    "SELECT product_id, name, factor FROM inventory_product_unit"
                    " WHERE product_id = ANY(:ids)"
                ),
                {"ids": [int(item["id"]) for item in items]},
            ):
                units.setdefault(product_id, []).append({"name": name, "factor": str(factor)})
        for item in items:
            item["units"] = units.get(int(item["id"]), [])
        response = jsonify(items)
        response.headers["X-Pagination"] = json.dumps({"total": total, "page": page})
        return response

    return app


def measure(bases: list[str], path: str, token: str, args: Any) -> dict[str, Any]:
    import requests

    local = threading.local()
    pages = args.products // PAGE_SIZE

    def work(client: int, _n: int) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        page = random.randint(1, pages)
        response = local.http.get(
            f"{bases[client % len(bases)]}{path}?page={page}&page_size={PAGE_SIZE}",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
            timeout=60,
        )
        if response.status_code != 200 or len(response.json()) != PAGE_SIZE:
            raise AssertionError(f"HTTP {response.status_code}")

    run_clients(args.clients, work, args.clients * 5, args.seconds)  # warm-up
    run = run_clients(args.clients, work, args.requests, args.seconds)
    done = len(run["durations"])
    return {
        "requests": done,
        "errors": len(run["errors"]),
        "first_errors": run["errors"][:3],
        "requests_per_s": round(done / run["elapsed"], 1),
        "latency": percentiles(run["durations"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per round and side")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per round and side")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve-floor", nargs=2, metavar=("PORT", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_floor:
        import waitress

        port, url = args.serve_floor
        waitress.serve(
            floor_app(url), host="127.0.0.1", port=int(port), threads=args.threads, _quiet=True
        )
        return

    with postgres_database() as url, niaga_app(url) as (_app, token):
        seed_catalogue(url, args.products)
        from niaga.db import create_engine

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO bench_floor_token (token) VALUES (:t)"), {"t": token}
            )
        engine.dispose()
        floor_command = script_server(__file__, args.threads, url)
        rounds = []
        with (
            niaga_servers(url, args.processes, args.threads) as niaga_bases,
            serve(floor_command, server_env(url), args.processes) as floor_bases,
        ):
            for _ in range(max(1, args.rounds)):
                niaga = measure(niaga_bases, "/api/inventory/products", token, args)
                floor = measure(floor_bases, "/floor/products", token, args)
                rounds.append(
                    {
                        "niaga_requests_per_s": niaga["requests_per_s"],
                        "floor_requests_per_s": floor["requests_per_s"],
                        "niaga_to_floor": round(
                            niaga["requests_per_s"] / (floor["requests_per_s"] or 1), 3
                        ),
                        "niaga_p50_ms": niaga["latency"]["p50_ms"],
                        "floor_p50_ms": floor["latency"]["p50_ms"],
                        "errors": niaga["errors"] + floor["errors"],
                        "first_errors": niaga["first_errors"] + floor["first_errors"],
                        "load_average_1m": round(os.getloadavg()[0], 1),
                    }
                )
    middle = sorted(rounds, key=lambda r: r["niaga_to_floor"])[len(rounds) // 2]
    report(
        "product_list",
        {
            "setup": {
                "database": "PostgreSQL",
                "products": args.products,
                "page_size": PAGE_SIZE,
                "servers": f"{args.processes} processes x waitress {args.threads} threads",
                "clients": args.clients,
            },
            "niaga_to_floor_median": middle["niaga_to_floor"],
            "rounds": rounds,
        },
    )


if __name__ == "__main__":
    main()
