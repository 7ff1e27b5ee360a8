"""Where an order's Python time goes: ``cProfile`` over whole orders (PostgreSQL).

Runs ``--orders`` 3-line orders (create, confirm, deliver, invoice, pay) in process over
the Flask test client, every plugin enabled, after a few to warm up, and prints the
milliseconds per order under the profiler, then the functions with the most time of
their own and Niaga's functions by cumulative time. The profiler slows everything about
threefold; compare shares, not absolute times.

    python bench/profile_order.py [--orders 60] [--top 30] [--save /tmp/order.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from harness import niaga_app, postgres_database
from workload import client_post, full_order, order_lines, seed_shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--save", help="also write the raw profile here (for snakeviz etc.)")
    args = parser.parse_args()
    with postgres_database() as url, niaga_app(url) as (app, token):
        post = client_post(app.test_client(), token)
        shop = seed_shop(post, products=3, customers=1)
        lines = order_lines(shop.products[:3])
        for _ in range(5):
            full_order(post, shop.customers[0], lines)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(args.orders):
            full_order(post, shop.customers[0], lines)
        profile.disable()
        elapsed = time.perf_counter() - started
    print(f"ms per order under the profiler: {elapsed / args.orders * 1000:.1f}")
    if args.save:
        profile.dump_stats(args.save)
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(r"/(core|plugins)/", args.top)


if __name__ == "__main__":
    main()
