"""The shop and the order flow that the benchmarks and the reliability tests share.

Everything goes through the HTTP API with a ``post(url, body, key) -> (status, json)``
callable, so the same flow runs against Flask's test client or a real server.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ALL_PLUGINS = ("inventory", "sales", "cashbank", "purchasing", "payments", "loyalty")
PRICE = Decimal("10000")
COST = Decimal("6000")

#: ``post(url, json_body, idempotency_key_or_None) -> (status, json_or_None)``
Post = Callable[[str, dict[str, Any], "str | None"], tuple[int, Any]]


@dataclass
class Shop:
    """Ids of what :func:`seed_shop` created."""

    products: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)


def expect(status: int, body: Any, *wanted: int) -> Any:
    if status not in wanted:
        raise AssertionError(f"HTTP {status}: {body}")
    return body


def seed_shop(
    post: Post, products: int = 3, stock: str | int = "100000", customers: int = 1
) -> Shop:
    """Products with ``stock`` units on hand at cost 6,000 (price 10,000), customers without
    a credit limit, and a loyalty program (one point per Rp 10,000)."""
    shop = Shop()
    tag = uuid.uuid4().hex[:6]
    for n in range(products):
        product = expect(
            *post(
                "/api/inventory/products",
                {
                    "sku": f"B-{tag}-{n}",
                    "name": f"Barang {n}",
                    "base_unit": "pcs",
                    "price": str(PRICE),
                    "cost": str(COST),
                },
                None,
            ),
            201,
        )
        shop.products.append(product["id"])
    if Decimal(str(stock)) > 0:
        lines = [
            {"product_id": pid, "quantity": str(stock), "cost": str(COST)} for pid in shop.products
        ]
        for start in range(0, len(lines), 500):
            body = {"lines": lines[start : start + 500], "reason": "opening stock"}
            expect(*post("/api/inventory/receipts", body, None), 201)
    for n in range(customers):
        customer = expect(
            *post("/api/sales/customers", {"shop_name": f"Toko {tag} {n}"}, None), 201
        )
        shop.customers.append(customer["id"])
    status, body = post("/api/loyalty/programs", {"name": f"Poin {tag}"}, None)
    expect(status, body, 201, 404)  # 404: loyalty is not enabled
    return shop


def order_lines(products: list[int], quantity: int | str = 1) -> list[dict[str, Any]]:
    return [{"product_id": pid, "quantity": str(quantity)} for pid in products]


def create_order(post: Post, customer: int, lines: list[dict[str, Any]], key: str | None) -> Any:
    return post("/api/sales/orders", {"customer_id": customer, "lines": lines}, key)


def confirm(post: Post, order_id: int, key: str | None = None) -> tuple[int, Any]:
    return post(f"/api/sales/orders/{order_id}/confirm", {}, key)


#: The steps of a sales order from draft to paid, each one POST.
STEPS = ("create", "confirm", "deliver", "invoice", "pay")


def full_order(
    post: Post,
    customer: int,
    lines: list[dict[str, Any]],
    key: str | None = None,
    timed: Callable[[str, Callable[[], tuple[int, Any]]], tuple[int, Any]] | None = None,
) -> dict[str, Any]:
    """Create, confirm, deliver, invoice and pay one order; each POST carries an
    ``Idempotency-Key`` derived from ``key``. Returns the order and invoice JSON.

    ``timed(step, call)`` wraps each call (for latency figures)."""
    run = timed or (lambda _step, call: call())
    key = key or uuid.uuid4().hex

    def step(name: str, url: str, body: dict[str, Any], *ok: int) -> Any:
        return expect(*run(name, lambda: post(url, body, f"{key}-{name}")), *ok)

    order = step("create", "/api/sales/orders", {"customer_id": customer, "lines": lines}, 201)
    base = f"/api/sales/orders/{order['id']}"
    step("confirm", f"{base}/confirm", {}, 200)
    step("deliver", f"{base}/deliveries", {"deliver": True}, 201)
    invoice = step("invoice", f"{base}/invoice", {}, 201)
    step(
        "pay",
        f"/api/sales/invoices/{invoice['id']}/payments",
        {"amount": invoice["total"], "method": "cash"},
        201,
    )
    return {"order": order, "invoice": invoice}


def client_post(client: Any, token: str) -> Post:
    """A :data:`Post` over Flask's test client with a bearer token."""

    def post(url: str, body: dict[str, Any], key: str | None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        if key:
            headers["Idempotency-Key"] = key
        response = client.post(url, json=body, headers=headers)
        return response.status_code, response.get_json(silent=True)

    return post


def http_post(session: Any, base: str, token: str, timeout: float = 60) -> Post:
    """A :data:`Post` over a ``requests.Session`` against a real server at ``base``."""

    def post(url: str, body: dict[str, Any], key: str | None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        if key:
            headers["Idempotency-Key"] = key
        response = session.post(base + url, json=body, headers=headers, timeout=timeout)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.text

    return post


class StatementCounter:
    """Counts SQL statements sent on an engine (``before_cursor_execute``), per label, and
    the transactions' BEGIN, COMMIT and ROLLBACK (each one more round trip)."""

    def __init__(self, engine: Any, *, keep: bool = False) -> None:
        self.engine = engine
        self.label = "other"
        self.counts: dict[str, int] = {}
        self.ends: dict[str, int] = {}
        #: ``(label, statement)`` of each statement, when ``keep`` is set
        self.statements: list[tuple[str, str]] | None = [] if keep else None

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.counts[self.label] = self.counts.get(self.label, 0) + 1
        if self.statements is not None:
            self.statements.append((self.label, statement))

    def _count_end(self, *_args: Any) -> None:
        self.ends[self.label] = self.ends.get(self.label, 0) + 1

    def __enter__(self) -> StatementCounter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        for name in ("begin", "commit", "rollback"):
            event.listen(self.engine, name, self._count_end)
        return self

    def __exit__(self, *_exc: Any) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)
        for name in ("begin", "commit", "rollback"):
            event.remove(self.engine, name, self._count_end)

    @property
    def round_trips(self) -> int:
        """Statements plus BEGIN, COMMIT and ROLLBACK, over the labelled steps."""
        return self.total + sum(n for label, n in self.ends.items() if label != "other")

    def timed(self, step: str, call: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
        """Use as ``full_order(..., timed=counter.timed)`` to count per step."""
        self.label = step
        try:
            return call()
        finally:
            self.label = "other"

    @property
    def total(self) -> int:
        return sum(count for label, count in self.counts.items() if label != "other")


#: Plain SQL over the tables of sales, inventory and cash/bank; each row names a problem.
CONSISTENCY_QUERIES = {
    "delivered order without its stock moves": """
        SELECT d.order_id FROM sales_delivery d
        WHERE d.state = 'delivered' AND NOT EXISTS (
            SELECT 1 FROM inventory_stock_move m
            WHERE m.kind = 'issue' AND m.reference = 'sales.order:' || d.order_id)""",
    "stock moves of an order without a journal entry": """
        SELECT DISTINCT m.reference FROM inventory_stock_move m
        WHERE m.kind = 'issue' AND NOT EXISTS (
            SELECT 1 FROM cashbank_journal_entry e
            WHERE e.reference = m.reference AND e.event = 'inventory_stock_moved.issue')""",
    "issued quantity differs from the delivered quantity": """
        SELECT o.id FROM sales_order o
        WHERE (SELECT COALESCE(SUM(l.base_quantity), 0) FROM sales_delivery_line l
               JOIN sales_delivery d ON d.id = l.delivery_id
               WHERE d.order_id = o.id AND d.state = 'delivered')
           <> (SELECT COALESCE(-SUM(m.quantity), 0) FROM inventory_stock_move m
               WHERE m.kind = 'issue' AND m.reference = 'sales.order:' || o.id)""",
    "invoice without its journal entry": """
        SELECT i.id FROM sales_invoice i WHERE NOT EXISTS (
            SELECT 1 FROM cashbank_journal_entry e
            WHERE e.event = 'sales_invoice_issued' AND e.reference = 'sales.invoice:' || i.id)""",
    "payments and payment entries of an invoice differ": """
        SELECT i.id FROM sales_invoice i
        WHERE (SELECT COUNT(*) FROM sales_payment p WHERE p.invoice_id = i.id)
           <> (SELECT COUNT(*) FROM cashbank_journal_entry e
               WHERE e.event = 'sales_invoice_paid' AND e.reference = 'sales.invoice:' || i.id)""",
    "unbalanced journal entry": """
        SELECT entry_id FROM cashbank_journal_line GROUP BY entry_id
        HAVING SUM(debit) <> SUM(credit)""",
    "confirmed order without its reservation": """
        SELECT o.id FROM sales_order o
        WHERE o.state = 'confirmed' AND o.stock_reserved AND NOT EXISTS (
            SELECT 1 FROM inventory_reservation r WHERE r.reference = 'sales.order:' || o.id)""",
    "reserved stock differs from the reservations": """
        SELECT b.product_id FROM inventory_stock_balance b
        WHERE b.reserved <> (SELECT COALESCE(SUM(r.quantity), 0) FROM inventory_reservation r
                             WHERE r.product_id = b.product_id
                               AND r.warehouse_id = b.warehouse_id)""",
    "stock on hand differs from the moves": """
        SELECT b.product_id FROM inventory_stock_balance b
        WHERE b.on_hand <> (SELECT COALESCE(SUM(m.quantity), 0) FROM inventory_stock_move m
                            WHERE m.product_id = b.product_id
                              AND m.warehouse_id = b.warehouse_id)""",
}


def inconsistencies(connection: Any, opening: dict[int, Decimal] | None = None) -> list[str]:
    """Problems found by :data:`CONSISTENCY_QUERIES`; with ``opening`` (product -> units
    received before any sale) also checks on hand = opening - delivered."""
    import sqlalchemy as sa

    found = []
    for problem, query in CONSISTENCY_QUERIES.items():
        rows = connection.execute(sa.text(query)).scalars().all()
        if rows:
            found.append(f"{problem}: {rows[:10]}")
    for product, units in (opening or {}).items():
        on_hand = connection.execute(
            sa.text("SELECT SUM(on_hand) FROM inventory_stock_balance WHERE product_id = :p"),
            {"p": product},
        ).scalar_one()
        delivered = connection.execute(
            sa.text(
                "SELECT COALESCE(SUM(l.base_quantity), 0) FROM sales_delivery_line l"
                " JOIN sales_delivery d ON d.id = l.delivery_id"
                " JOIN sales_order_line ol ON ol.id = l.order_line_id"
                " WHERE d.state = 'delivered' AND ol.product_id = :p"
            ),
            {"p": product},
        ).scalar_one()
        if Decimal(on_hand) != Decimal(units) - Decimal(delivered):
            found.append(f"product {product}: on hand {on_hand} != {units} - {delivered}")
    return found
