"""Append-only in the database: the audit log, payment events, loyalty entries and stock
moves refuse UPDATE and DELETE on SQLite and PostgreSQL, whatever SQL sends them; on
PostgreSQL TRUNCATE is refused too, also when it comes by CASCADE from a parent table, and
for the cash/bank journal whose row triggers TRUNCATE used to bypass. What must still work
does: inserting, purging a disabled plugin, emptying the test database between tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga import lifecycle, settings
from niaga.runtime import niaga
from niaga.testing import database_kind

pytestmark = pytest.mark.plugins("inventory", "loyalty", "payments", "cashbank")

GUARDED = ("core_audit_log", "payments_event", "loyalty_entry", "inventory_stock_move")

postgresql_only = pytest.mark.skipif(
    database_kind() != "postgresql", reason="SQLite has no TRUNCATE"
)


@pytest.fixture
def rows(db):
    """One committed row in each guarded table, written the way the application writes."""
    from niaga_inventory import products, stock
    from niaga_inventory.contracts import StockLine
    from niaga_loyalty import ledger
    from niaga_payments import events

    settings.put(db, "core.shop_name", "Toko Sumber Rejeki")  # audited
    product = products.save_product(
        db,
        {"sku": "GL-1", "name": "Gula 1 kg", "base_unit": "pcs", "price": Decimal("18000")},
    )
    stock.receive(
        db,
        "purchasing.receipt:1",
        [StockLine(product_id=product.id, quantity=Decimal("5"), cost=Decimal("15000"))],
    )
    ledger.adjust(db, ledger.member_for_customer(db, 7, "Bu Sari"), 25, "Poin sambutan")
    events.store(db, gateway="manual", kind="action", status="proof", note="bukti transfer")
    db.commit()
    return {table: _count(db, table) for table in GUARDED}


def _count(db, table: str) -> int:
    return db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def _refused(db, sql: str, match: str = "append-only") -> None:
    with pytest.raises(sa.exc.DBAPIError, match=match):
        db.execute(sa.text(sql))
    db.rollback()


@pytest.mark.parametrize("table", GUARDED)
def test_rows_cannot_be_changed(db, rows, table):
    assert rows[table] >= 1
    _refused(db, f"UPDATE {table} SET occurred_at = occurred_at")
    _refused(db, f"UPDATE {table} SET id = id WHERE id = (SELECT min(id) FROM {table})")


@pytest.mark.parametrize("table", GUARDED)
def test_rows_cannot_be_deleted(db, rows, table):
    _refused(db, f"DELETE FROM {table} WHERE id = (SELECT max(id) FROM {table})")
    _refused(db, f"DELETE FROM {table}")
    assert _count(db, table) == rows[table]


@pytest.mark.parametrize("table", GUARDED)
def test_the_orm_cannot_change_a_row_either(db, rows, table):
    model = next(m for m in _models() if m.__tablename__ == table)
    row = db.scalars(sa.select(model).limit(1)).one()
    db.delete(row)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.commit()
    db.rollback()
    assert _count(db, table) == rows[table]


def _models():
    from niaga.models import AuditLog
    from niaga_inventory.models import StockMove
    from niaga_loyalty.models import Entry
    from niaga_payments.models import PaymentEvent

    return (AuditLog, PaymentEvent, Entry, StockMove)


@postgresql_only
@pytest.mark.parametrize("table", [*GUARDED, "cashbank_journal_entry", "cashbank_journal_line"])
def test_truncate_is_refused(db, rows, table):
    # a table others point at is refused plain TRUNCATE by its foreign keys already
    _refused(db, f"TRUNCATE {table}", match="append-only|foreign key")
    _refused(db, f"TRUNCATE {table} RESTART IDENTITY CASCADE")
    assert {table: _count(db, table) for table in GUARDED} == rows


@postgresql_only
@pytest.mark.parametrize(
    "parent",
    ["inventory_product", "loyalty_member", "payments_payment", "cashbank_account", "core_user"],
)
def test_truncate_cascading_from_a_parent_is_refused(db, rows, parent):
    # core_user reaches the journal and stock moves through the tables that name users
    _refused(db, f"TRUNCATE {parent} CASCADE")
    assert {table: _count(db, table) for table in GUARDED} == rows


def test_new_rows_are_still_written(db, rows):
    from niaga_loyalty import ledger

    ledger.adjust(db, ledger.member_for_customer(db, 7), -5, "Koreksi: salah input")
    settings.put(db, "core.shop_name", "Toko Sumber Rejeki Baru")
    db.commit()
    assert _count(db, "loyalty_entry") == rows["loyalty_entry"] + 1
    assert _count(db, "core_audit_log") > rows["core_audit_log"]


def test_a_disabled_plugin_with_history_can_still_be_purged(app, db, rows):
    host = niaga().host
    lifecycle.disable(db, host, "loyalty")
    lifecycle.purge(db, host, "loyalty")
    db.flush()
    tables = sa.inspect(db.connection()).get_table_names()
    assert [t for t in tables if t.startswith("loyalty_")] == []
    lifecycle.upgrade(db, host, "loyalty")  # and it comes back guarded
    from niaga_loyalty import ledger

    ledger.adjust(db, ledger.member_for_customer(db, 8), 10, "Poin sambutan")
    db.flush()
    _refused(db, "DELETE FROM loyalty_entry")  # rolls the purge back as well
