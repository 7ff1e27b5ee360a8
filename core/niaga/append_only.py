"""Append-only tables, kept so by the database: the DDL a migration runs to guard a table.

A guarded table takes INSERTs only. UPDATE and DELETE are refused by triggers on SQLite
and PostgreSQL, whatever code (or SQL console) sends them; on PostgreSQL a statement-level
``BEFORE TRUNCATE`` trigger refuses TRUNCATE as well, also when it arrives by ``CASCADE``
from a referenced table. Corrections are new rows (reversals), never edits.

Each package guards its own tables in an Alembic migration and removes the guard in the
downgrade, before its tables are dropped (``niaga plugins purge`` drops whole tables,
which no trigger stops)::

    from niaga.append_only import guard, unguard

    def upgrade() -> None:
        guard("loyalty_entry")

    def downgrade() -> None:
        unguard("loyalty_entry")

``guard(table, rows=False)`` adds the TRUNCATE guard alone, for tables whose rows have
their own, finer triggers (posted journal entries may not change, drafts may).

On SQLite, a batch migration that recreates a guarded table ("move and copy") drops its
triggers with the old table: call ``guard`` again after such a migration.

The one way around the guards is a PostgreSQL superuser's
``SET session_replication_role = replica``, which the test suite uses to empty its
database between tests; the application's role is no superuser (docs/operations.md).
"""

from __future__ import annotations

#: The PostgreSQL function every guard trigger runs; shared by all guarded tables.
FUNCTION = "niaga_append_only"

_POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'check_violation';
END $$"""


def drop_unused_function(function: str) -> str:
    """PostgreSQL: drop the trigger function ``function`` once no trigger uses it (another
    package may still have a table guarded or watched)."""
    return f"""DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE p.proname = '{function}'
    ) THEN
        DROP FUNCTION IF EXISTS {function}();
    END IF;
END $$"""


def statements(table: str, dialect: str, *, rows: bool = True) -> list[str]:
    """The SQL guarding ``table`` on ``dialect`` (``sqlite`` or ``postgresql``)."""
    check_name(table)
    if dialect == "postgresql":
        sql = [_POSTGRESQL_FUNCTION]
        if rows:
            sql.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
        sql.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        return sql
    if dialect == "sqlite":  # SQLite has no TRUNCATE; an unqualified DELETE fires the trigger
        if not rows:
            return []
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
            for op in ("UPDATE", "DELETE")
        ]
    raise ValueError(f"append-only guards are written for sqlite and postgresql, not {dialect}")


def drop_statements(table: str, dialect: str, *, rows: bool = True) -> list[str]:
    """The SQL removing what :func:`statements` created for ``table``."""
    check_name(table)
    if dialect == "postgresql":
        sql = [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"]
        if rows:
            sql.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        return [*sql, drop_unused_function(FUNCTION)]
    if dialect == "sqlite":
        if not rows:
            return []
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]
    raise ValueError(f"append-only guards are written for sqlite and postgresql, not {dialect}")


def guard(table: str, *, rows: bool = True) -> None:
    """In an Alembic migration: make ``table`` append-only (``rows=False``: TRUNCATE only)."""
    from alembic import op

    for sql in statements(table, op.get_bind().dialect.name, rows=rows):
        op.execute(sql)


def unguard(table: str, *, rows: bool = True) -> None:
    """In an Alembic downgrade: remove the guard :func:`guard` put on ``table``."""
    from alembic import op

    for sql in drop_statements(table, op.get_bind().dialect.name, rows=rows):
        op.execute(sql)


def check_name(table: str) -> None:
    if not table.replace("_", "").isalnum() or not table.isascii() or len(table) > 50:
        raise ValueError(f"not a table name: {table!r}")
