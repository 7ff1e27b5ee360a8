"""A distributor's burst: 200 retailers each send a 20-line order within 10 seconds, all
on the same 50 products, through real ``niaga serve`` processes on PostgreSQL.

Each retailer starts at a random moment in the window, creates the order and confirms
it (stock reserved). Stock is set so that not every order can be served: some are
refused with "insufficient stock". A retailer behaves as a good client: a 503 (the server
is busy) is sent again with the same Idempotency-Key after ``Retry-After``. Prints JSON:
accepted/refused/error counts, 503 answers, latency per order (retries included) and per
request, and the consistency checker's findings afterwards (none expected).

    python bench/distributor_burst.py [--retailers 200] [--window 10] [--stock 400]
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from harness import niaga_app, niaga_servers, percentiles, postgres_database, report
from workload import Post, client_post, confirm, create_order, http_post, inconsistencies, seed_shop

from niaga.health import RETRY_AFTER_SECONDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=200)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--products", type=int, default=50)
    parser.add_argument("--window", type=float, default=10, help="seconds the orders arrive in")
    parser.add_argument("--stock", type=int, default=400, help="units on hand per product")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(200)
    with postgres_database() as url, niaga_app(url) as (app, token):
        shop = seed_shop(
            client_post(app.test_client(), token),
            products=args.products,
            stock=args.stock,
            customers=args.retailers,
        )
        plans = [
            (
                rng.uniform(0, args.window),
                [
                    {"product_id": pid, "quantity": str(rng.randint(1, 12))}
                    for pid in rng.sample(shop.products, args.lines)
                ],
            )
            for _ in range(args.retailers)
        ]
        with niaga_servers(url, args.processes, args.threads) as bases:
            local = threading.local()
            began = time.monotonic() + 1
            waits: list[float] = []  # each HTTP request's own time
            busy: list[int] = []  # one entry per 503 answer

            def patient(post: Post) -> Post:
                def send(url: str, body: dict[str, Any], key: str | None) -> tuple[int, Any]:
                    while True:
                        started = time.monotonic()
                        status, answer = post(url, body, key)
                        waits.append(time.monotonic() - started)
                        if status != 503:
                            return status, answer
                        busy.append(1)
                        time.sleep(RETRY_AFTER_SECONDS)

                return send

            def retailer(n: int) -> tuple[str, float, float]:
                start_at, lines = plans[n]
                if not hasattr(local, "session"):
                    local.session = requests.Session()
                post = patient(http_post(local.session, bases[n % len(bases)], token, timeout=300))
                time.sleep(max(0.0, began + start_at - time.monotonic()))
                sent = time.monotonic()
                try:
                    status, order = create_order(post, shop.customers[n], lines, f"burst-{n}")
                    if status != 201:
                        return f"create {status}", sent, time.monotonic() - sent
                    status, body = confirm(post, order["id"], f"burst-{n}-confirm")
                except requests.RequestException as exc:
                    return type(exc).__name__, sent, time.monotonic() - sent
                outcome = {200: "accepted", 409: "refused"}.get(status, f"confirm {status}")
                return outcome, sent, time.monotonic() - sent

            with ThreadPoolExecutor(args.retailers) as pool:
                results = list(pool.map(retailer, range(args.retailers)))
        outcomes = Counter(outcome for outcome, _, _ in results)
        with app.extensions["niaga"].engine.connect() as connection:
            problems = inconsistencies(connection)
    sent = [moment for _, moment, _ in results]
    report(
        "distributor_burst",
        {
            "database": "PostgreSQL",
            "servers": f"{args.processes} processes x waitress {args.threads} threads",
            "retailers": args.retailers,
            "lines_per_order": args.lines,
            "shared_products": args.products,
            "stock_per_product": args.stock,
            "arrival_window_s": args.window,
            "sent_over_s": round(max(sent) - min(sent), 2),
            "accepted": outcomes.pop("accepted", 0),
            "refused_insufficient_stock": outcomes.pop("refused", 0),
            "errors": dict(outcomes),
            "busy_503_answers_retried": len(busy),
            "latency_create_and_confirm": percentiles([d for _, _, d in results]),
            "latency_per_request": percentiles(waits),
            "last_answer_after_s": round(max(m + d for _, m, d in results) - min(sent), 2),
            "consistency_problems": problems,
        },
    )


if __name__ == "__main__":
    main()
