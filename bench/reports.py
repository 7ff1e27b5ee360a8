"""Reports over a million journal lines and a million stock moves, beside plain SQL.

A fresh PostgreSQL database gets ``--scale`` journal lines (balanced two-line entries
spread over the last twelve months on revenue, cost, expense, cash and receivable
accounts, inserted as drafts and then posted, so cash/bank's balance trigger checks each
one) and ``--scale`` stock moves (receipt/issue pairs that cancel out, so balances
and costs stay true) by COPY. Then the trial balance, the profit and loss, and the stock
value are asked for through the real API (Flask test client: routing, auth, the report
code, JSON), each beside the plain SQL aggregate that computes the same figures.

    python bench/reports.py [--scale 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from typing import Any

import sqlalchemy as sa
from harness import niaga_app, postgres_database, report
from workload import client_post, seed_shop

PLAIN = {
    "trial_balance": """
        SELECT l.account_id, SUM(l.debit), SUM(l.credit)
        FROM cashbank_journal_line l JOIN cashbank_journal_entry e ON e.id = l.entry_id
        WHERE e.posted AND e.date BETWEEN :start AND :end GROUP BY l.account_id""",
    "profit_and_loss": """
        SELECT a.type, SUM(l.credit - l.debit)
        FROM cashbank_journal_line l JOIN cashbank_journal_entry e ON e.id = l.entry_id
        JOIN cashbank_account a ON a.id = l.account_id
        WHERE e.posted AND e.date BETWEEN :start AND :end
          AND a.type IN ('revenue', 'cost', 'expense') GROUP BY a.type""",
    "stock_value": """
        SELECT product_id, SUM(quantity), SUM(value) FROM inventory_stock_move
        GROUP BY product_id""",
}


def copy_rows(raw: Any, table: str, columns: list[str], rows: Any) -> None:
    """COPY ``rows`` (tuples) into ``table`` in chunks."""
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def load(engine: Any, scale: int, products: list[int]) -> dict[str, Any]:
    """Bulk-insert ``scale`` journal lines and ``scale`` stock moves; returns timings."""
    rng = random.Random(7)
    today = dt.date.today()
    with engine.connect() as connection:
        accounts = dict(connection.execute(sa.text("SELECT code, id FROM cashbank_account")).all())
        by_type = dict(
            connection.execute(
                sa.text("SELECT type, MIN(id) FROM cashbank_account GROUP BY type")
            ).all()
        )
        warehouse = connection.execute(sa.text("SELECT MIN(id) FROM inventory_warehouse")).scalar()
        first_entry = connection.execute(
            sa.text("SELECT COALESCE(MAX(id), 0) + 1 FROM cashbank_journal_entry")
        ).scalar_one()
    pairs = [
        (accounts.get("1-1300", by_type["asset"]), by_type["revenue"]),
        (by_type["cost"], accounts.get("1-1400", by_type["asset"])),
        (by_type["expense"], accounts.get("1-1100", by_type["asset"])),
        (accounts.get("1-1100", by_type["asset"]), accounts.get("1-1300", by_type["asset"])),
    ]
    entries = scale // 2
    now = dt.datetime.now(dt.UTC)
    timings = {}
    raw = engine.raw_connection()
    try:
        began = time.perf_counter()
        days = [today - dt.timedelta(days=rng.randrange(365)) for _ in range(entries)]
        copy_rows(
            raw.driver_connection,
            "cashbank_journal_entry",
            [
                "id",
                "date",
                "description",
                "reference",
                "event",
                "event_key",
                "posted",
                "created_at",
                "created_by",
            ],
            (
                (
                    first_entry + n,
                    days[n],
                    "bench",
                    f"bench:{n}",
                    "bench",
                    str(n),
                    False,
                    now,
                    "bench",
                )
                for n in range(entries)
            ),
        )

        def lines() -> Any:
            for n in range(entries):
                debit, credit = pairs[n % len(pairs)]
                amount = rng.randrange(1, 5000) * 1000
                yield (first_entry + n, debit, amount, 0, "", "", "")
                yield (first_entry + n, credit, 0, amount, "", "", "")

        copy_rows(
            raw.driver_connection,
            "cashbank_journal_line",
            ["entry_id", "account_id", "debit", "credit", "memo", "party_name", "document"],
            lines(),
        )
        # posted as cash/bank does it: draft, lines, then the flip its trigger checks
        with raw.driver_connection.cursor() as cursor:
            cursor.execute("UPDATE cashbank_journal_entry SET posted = true WHERE event = 'bench'")
        raw.commit()
        timings["journal_copy_s"] = round(time.perf_counter() - began, 1)

        began = time.perf_counter()

        def moves() -> Any:
            for n in range(scale // 2):
                product = products[n % len(products)]
                quantity = rng.randrange(1, 20)
                when = now - dt.timedelta(minutes=rng.randrange(525_600))
                for kind, sign in (("receipt", 1), ("issue", -1)):
                    yield (
                        when,
                        product,
                        warehouse,
                        kind,
                        sign * quantity,
                        "pcs",
                        sign * quantity,
                        6000,
                        sign * quantity * 6000,
                        f"bench:{n}",
                        "",
                        "bench",
                    )

        copy_rows(
            raw.driver_connection,
            "inventory_stock_move",
            [
                "occurred_at",
                "product_id",
                "warehouse_id",
                "kind",
                "quantity",
                "unit",
                "unit_quantity",
                "unit_cost",
                "value",
                "reference",
                "reason",
                "actor",
            ],
            moves(),
        )
        raw.commit()
        timings["moves_copy_s"] = round(time.perf_counter() - began, 1)
    finally:
        raw.close()
    with engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))
    return timings


def best_of(repeat: int, call: Any) -> float:
    """The fastest of ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return round(min(times) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="journal lines and moves")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with postgres_database() as url, niaga_app(url) as (app, token):
        client = app.test_client()
        shop = seed_shop(client_post(client, token), products=args.products, stock=1000)
        engine = app.extensions["niaga"].engine
        loaded = load(engine, args.scale, shop.products)
        today = dt.date.today()
        start, end = today - dt.timedelta(days=365), today
        headers = {"Authorization": f"Bearer {token}"}
        span = f"from={start}&to={end}&compare=false"
        api = {
            "trial_balance": f"/api/cashbank/reports/trial-balance?{span}",
            "profit_and_loss": f"/api/cashbank/reports/laba-rugi?{span}",
            "stock_value": "/api/inventory/valuation",
        }

        def via_api(url_: str) -> Any:
            def call() -> None:
                answer = client.get(url_, headers=headers)
                assert answer.status_code == 200, answer.get_data(as_text=True)[:300]

            return call

        def via_sql(query: str) -> Any:
            def call() -> None:
                with engine.connect() as connection:
                    connection.execute(sa.text(query), {"start": start, "end": end}).all()

            return call

        figures = {}
        for name in PLAIN:
            niaga_ms = best_of(args.repeat, via_api(api[name]))
            plain_ms = best_of(args.repeat, via_sql(PLAIN[name]))
            figures[name] = {
                "niaga_api_ms": niaga_ms,
                "plain_sql_ms": plain_ms,
                "ratio": round(niaga_ms / plain_ms, 2) if plain_ms else None,
                "api": api[name],
            }
    report(
        "reports",
        {
            "database": "PostgreSQL",
            "scale": {
                "journal_lines": args.scale,
                "stock_moves": args.scale,
                "products": args.products,
            },
            "bulk_load": loaded,
            "best_of": args.repeat,
            "reports": figures,
            "note": "stock value: Niaga reads its running valuation (one row per product); "
            "the plain SQL sums every move",
        },
    )


if __name__ == "__main__":
    main()
