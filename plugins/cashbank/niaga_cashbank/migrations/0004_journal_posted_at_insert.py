"""cashbank journal on PostgreSQL: an entry is inserted already posted, its balance checked
at commit

Until now an entry was inserted as a draft, its lines added, then flipped to posted, and
the trigger checked the balance at the flip: one UPDATE per entry, four per sales order.
On PostgreSQL an entry may now be inserted posted:

- the insert notes the entry's id in a transaction-local setting
  (``cashbank.posting_entry``), and lines may be added to a posted entry only while it is
  the one being posted in this transaction;
- a constraint trigger deferred to commit checks that the entry balances (two or more
  lines, debits = credits > 0), so an unbalanced entry never commits.

A posted entry is still never changed or deleted, and lines are never added to one posted
earlier. Drafts flipped to posted are checked at the flip, as before. SQLite has no
deferred triggers: there, entries are still inserted as drafts and flipped.

Revision ID: cashbank0004
Revises: cashbank0003
Create Date: 2026-12-01 18:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "cashbank0004"
down_revision = "cashbank0003"
branch_labels = None
depends_on = None

BALANCE_CHECK = """CREATE FUNCTION cashbank_check_balance(entry bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
        line_count integer;
        debits numeric;
        credits numeric;
    BEGIN
        SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0)
            INTO line_count, debits, credits
            FROM cashbank_journal_line WHERE entry_id = entry;
        IF line_count < 2 OR debits <> credits OR debits <= 0 THEN
            RAISE EXCEPTION 'cashbank: unbalanced journal entry (debit %, credit %)',
                debits, credits USING ERRCODE = 'check_violation';
        END IF;
    END $$"""

GUARD_ENTRY = """CREATE OR REPLACE FUNCTION cashbank_guard_entry() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.posted THEN
                RAISE EXCEPTION 'cashbank: posted journal entries cannot be deleted'
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.posted THEN
            RAISE EXCEPTION 'cashbank: posted journal entries cannot be changed'
                USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF NEW.posted THEN  -- its lines follow; the balance is checked at commit
                PERFORM set_config('cashbank.posting_entry', NEW.id::text, true);
            END IF;
        ELSIF NEW.posted THEN  -- a draft flipped to posted
            PERFORM cashbank_check_balance(NEW.id);
        END IF;
        RETURN NEW;
    END $$"""

GUARD_LINE = """CREATE OR REPLACE FUNCTION cashbank_guard_line() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            IF EXISTS (SELECT 1 FROM cashbank_journal_entry WHERE id = OLD.entry_id AND posted) THEN
                RAISE EXCEPTION 'cashbank: posted journal lines cannot be changed'
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        IF TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM cashbank_journal_entry WHERE id = NEW.entry_id AND posted
        ) THEN
            RAISE EXCEPTION 'cashbank: posted journal lines cannot be changed'
                USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'INSERT' AND EXISTS (
            SELECT 1 FROM cashbank_journal_entry WHERE id = NEW.entry_id AND posted
        ) AND NEW.entry_id::text IS DISTINCT FROM current_setting('cashbank.posting_entry', true)
        THEN
            RAISE EXCEPTION 'cashbank: lines cannot be added to a posted journal entry'
                USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END $$"""

CHECK_AT_COMMIT = """CREATE FUNCTION cashbank_check_posted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM cashbank_check_balance(NEW.id);
        RETURN NULL;
    END $$"""

CHECK_AT_COMMIT_TRIGGER = """CREATE CONSTRAINT TRIGGER cashbank_posted_balances
    AFTER INSERT ON cashbank_journal_entry DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.posted) EXECUTE FUNCTION cashbank_check_posted()"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in (BALANCE_CHECK, GUARD_ENTRY, GUARD_LINE, CHECK_AT_COMMIT, CHECK_AT_COMMIT_TRIGGER):
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER cashbank_posted_balances ON cashbank_journal_entry")
    op.execute("DROP FUNCTION cashbank_check_posted()")
    for sql in _initial().POSTGRESQL_TRIGGERS:
        if sql.startswith("CREATE FUNCTION"):  # the guards of the initial revision again
            op.execute(sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.execute("DROP FUNCTION cashbank_check_balance(bigint)")


def _initial():  # type: ignore[no-untyped-def]
    """The initial revision's module (revision files are not an importable package)."""
    path = Path(__file__).with_name("0001_initial.py")
    spec = importlib.util.spec_from_file_location("cashbank_0001_initial", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
