"""A POS replay: 1,000 offline sales, each sent twice, from 10 clients at once, through
real ``niaga serve`` processes on PostgreSQL with every plugin enabled.

Each client owns 100 sales (3 lines each, with stock, books and cash); it sends them all,
then sends them all again (a device that lost the answers), while the other clients do
the same. Every sale carries its ``client_ref``; no Idempotency-Key is used, so the
guarantee tested is the POS's own. Prints JSON: sales recorded (exactly 1,000 expected),
first-time and replayed answers, errors, latency and the consistency checker's findings.

    python bench/pos_replay.py [--sales 1000] [--clients 10]
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests
from harness import niaga_app, niaga_servers, percentiles, postgres_database, report
from workload import client_post, expect, http_post, inconsistencies, order_lines, seed_shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with postgres_database() as url, niaga_app(url) as (app, token):
        post = client_post(app.test_client(), token)
        shop = seed_shop(post, products=10, stock=100_000)
        session_id = expect(
            *post("/api/sales/pos/sessions", {"opening_cash": "500000"}, None), 201
        )["id"]
        tag = uuid.uuid4().hex[:6]
        per_client = args.sales // args.clients
        with niaga_servers(url, args.processes, args.threads) as bases:

            def device(client: int) -> list[tuple[int, float]]:
                http = http_post(requests.Session(), bases[client % len(bases)], token)
                answers = []
                for _round in range(2):
                    for n in range(per_client):
                        products = [shop.products[(client + n + i) % 10] for i in range(3)]
                        body = {
                            "client_ref": f"till-{tag}-{client}-{n:04d}",
                            "session_id": session_id,
                            "lines": order_lines(products, 1 + n % 3),
                            "method": "cash",
                        }
                        began = time.perf_counter()
                        try:
                            status, _ = http("/api/sales/pos/sales", body, None)
                        except requests.RequestException:
                            status = 0
                        answers.append((status, time.perf_counter() - began))
                return answers

            began = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                answers = [a for batch in pool.map(device, range(args.clients)) for a in batch]
            elapsed = time.perf_counter() - began
        listed = app.test_client().get(
            "/api/sales/pos/sales?page_size=1", headers={"Authorization": f"Bearer {token}"}
        )
        recorded = json.loads(listed.headers["X-Pagination"])["total"]
        with app.extensions["niaga"].engine.connect() as connection:
            problems = inconsistencies(connection)
    statuses = Counter(status for status, _ in answers)
    report(
        "pos_replay",
        {
            "database": "PostgreSQL",
            "servers": f"{args.processes} processes x waitress {args.threads} threads",
            "clients": args.clients,
            "sales": per_client * args.clients,
            "requests": len(answers),
            "recorded": recorded,
            "created_201": statuses.pop(201, 0),
            "replayed_200": statuses.pop(200, 0),
            "errors": {str(k): v for k, v in statuses.items()},
            "seconds": round(elapsed, 1),
            "requests_per_s": round(len(answers) / elapsed, 1),
            "latency": percentiles([d for _, d in answers]),
            "consistency_problems": problems,
        },
    )


if __name__ == "__main__":
    main()
