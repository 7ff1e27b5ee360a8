"""SQL statements per order, per step, with every plugin enabled (PostgreSQL).

Counts every statement the engine sends (``before_cursor_execute``) while one 3-line order
goes through create, confirm, deliver, invoice and pay over the Flask test client (the
whole request: authentication, idempotency key, plugin hooks, audit log). The order is
repeated and the last run reported, so one-time work (first member, sequences) is out.

    python bench/sql_per_order.py [--lines 3] [--repeat 3] [--show]

``--show`` prints the last run's statements (step and the statement's first line) to
stderr, grouped and counted, to see where they go.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from harness import niaga_app, postgres_database, report
from workload import StatementCounter, client_post, full_order, order_lines, seed_shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print the statements to stderr")
    args = parser.parse_args()
    with postgres_database() as url, niaga_app(url) as (app, token):
        post = client_post(app.test_client(), token)
        shop = seed_shop(post, products=max(args.lines, 3), customers=1)
        runs = []
        for _ in range(args.repeat):
            with StatementCounter(app.extensions["niaga"].engine, keep=args.show) as counter:
                full_order(
                    post,
                    shop.customers[0],
                    order_lines(shop.products[: args.lines]),
                    timed=counter.timed,
                )
            runs.append(counter)
    last = runs[-1]
    if args.show:
        show(last)
    report(
        "sql_per_order",
        {
            "database": "PostgreSQL",
            "lines": args.lines,
            "statements_per_step": {k: v for k, v in last.counts.items() if k != "other"},
            "statements_per_order": last.total,
            "statements_per_order_each_run": [run.total for run in runs],
            "round_trips_per_order": last.round_trips,
        },
    )


def show(counter: StatementCounter) -> None:
    """Each step's statements in order, repeats of the same statement folded."""
    folded: Counter[tuple[str, str]] = Counter(
        (label, " ".join(statement.split())[:160]) for label, statement in counter.statements or []
    )
    for (label, statement), count in folded.items():
        print(f"{label:8} {count:3}  {statement}", file=sys.stderr)


if __name__ == "__main__":
    main()
