"""A ceiling on the SQL statements one order costs, so an N+1 query slipping into a hook
shows up as a failing test rather than as a slow shop."""

from __future__ import annotations

import pytest
from workload import ALL_PLUGINS, StatementCounter, full_order, order_lines, seed_shop

pytestmark = pytest.mark.plugins(*ALL_PLUGINS)

#: The ceilings for 3 lines, from draft to paid, by database. Measured: 86 (PostgreSQL)
#: and 109 (SQLite, whose driver writes some batches row by row and which posts journal
#: entries by a flip): a document's lines read with it, the products of all lines in one
#: query, journal entries inserted posted (PostgreSQL), reservations without a savepoint,
#: the tier and the spend in one statement, and the enabled plugins, settings, posting
#: rules, warehouses and loyalty program kept per process behind the configuration version
#: (issue 17 asked for 100 on PostgreSQL; was 99 and 122, 115 and 134, 143 and 167, and
#: 223 and 233 before).
CEILING_3_LINES = {"postgresql": 90, "sqlite": 115}
#: Measured per extra line: 2 (PostgreSQL) and 6 (SQLite): the guarded balance UPDATE in
#: confirm and deliver. A query per line per hook is more (was 25 and 27).
PER_EXTRA_LINE = {"postgresql": 3, "sqlite": 7}


def statements_for(app, post, shop, lines: int) -> StatementCounter:
    full_order(post, shop.customers[0], order_lines(shop.products[:lines]))  # warm up
    with StatementCounter(app.extensions["niaga"].engine) as counter:
        full_order(post, shop.customers[0], order_lines(shop.products[:lines]), timed=counter.timed)
    return counter


def test_statements_per_order_stay_under_the_ceiling(app, post):
    shop = seed_shop(post, products=10, customers=1)
    three = statements_for(app, post, shop, 3)
    ten = statements_for(app, post, shop, 10)
    print("statements per order:", three.counts, three.total, ten.counts, ten.total)
    database = app.extensions["niaga"].engine.dialect.name
    assert three.total <= CEILING_3_LINES[database], three.counts
    assert ten.total <= CEILING_3_LINES[database] + 7 * PER_EXTRA_LINE[database], ten.counts
