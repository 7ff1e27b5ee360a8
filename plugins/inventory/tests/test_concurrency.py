"""50 clients order the last 10 units at once: exactly 10 succeed, 40 hear
"insufficient stock", and the ledger, balances and reservations still agree.

Run on SQLite (writers queue behind BEGIN IMMEDIATE) and on PostgreSQL
(``NIAGA_TEST_DATABASE=postgresql``: the conditional UPDATE re-checks the committed row).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.db import close_session, create_engine, make_sessionmaker
from niaga.db import session as db_session
from niaga.errors import InsufficientStock
from niaga.runtime import hooks
from niaga.testing import token_for
from niaga_inventory import checks, stock
from niaga_inventory.contracts import StockLine
from niaga_inventory.models import Reservation, StockBalance

pytestmark = pytest.mark.plugins("inventory")
CLIENTS = 50
LAST_UNITS = 10


@pytest.fixture
def last_ten(db: Any, make_product: Any, receive: Any) -> Any:
    product = make_product(sku="LAST", name="Sampoerna A Mild 16")
    receive(product, LAST_UNITS, cost=32100)
    return product


@pytest.fixture
def roomy_pool(app: Any) -> None:
    """Enough connections for 50 clients at once (the default pool holds 15)."""
    state = app.extensions["niaga"]
    engine = create_engine(str(state.engine.url), pool_size=CLIENTS + 5, max_overflow=0)
    previous = state.sessionmaker
    state.sessionmaker = make_sessionmaker(engine)
    yield
    state.sessionmaker = previous
    engine.dispose()


def _assert_exactly_ten(db: Any, product: Any, outcomes: list[str]) -> None:
    assert outcomes.count("ok") == LAST_UNITS, outcomes
    assert outcomes.count("insufficient_stock") == CLIENTS - LAST_UNITS, outcomes
    db.rollback()
    balance = db.execute(sa.select(StockBalance.on_hand, StockBalance.reserved)).one()
    assert tuple(balance) == (LAST_UNITS, LAST_UNITS)
    assert stock.available(db, product.id) == 0
    assert db.scalar(sa.select(sa.func.count(Reservation.id))) == LAST_UNITS
    assert checks.problems(db) == []


def test_fifty_clients_through_the_reserve_hook(app, db, last_ten, roomy_pool):
    start = threading.Barrier(CLIENTS)

    def order(n: int) -> str:
        with app.app_context():
            relay = hooks()
            session = db_session()  # one session per client, as in a request
            session.commit()
            try:
                start.wait()
                relay.inventory_reserve(
                    session=session,
                    reference=f"sales.order:{n}",
                    lines=[StockLine(product_id=last_ten.id, quantity=Decimal(1))],
                )
                session.commit()
                return "ok"
            except InsufficientStock as exc:
                session.rollback()
                return exc.code
            finally:
                close_session()

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(order, range(CLIENTS)))
    _assert_exactly_ten(db, last_ten, outcomes)


def test_fifty_clients_over_real_http(app, db, owner, last_ten, live_server):
    token = token_for(app, owner)
    start = threading.Barrier(CLIENTS)

    def order(n: int) -> str:
        body = json.dumps(
            {"reference": f"sales.order:{n}", "lines": [{"product_id": last_ten.id, "quantity": 1}]}
        ).encode()
        request = urllib.request.Request(
            f"{live_server}/api/inventory/reservations",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Accept-Language": "en",
            },
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                assert response.status == 201
                return "ok"
        except urllib.error.HTTPError as exc:
            answer = json.loads(exc.read())
            assert exc.code == 409, answer
            assert "Insufficient stock" in answer["error"]["message"]
            return answer["error"]["code"]

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(order, range(CLIENTS)))
    _assert_exactly_ten(db, last_ten, outcomes)
