"""cashbank journal: TRUNCATE refused too (the row triggers of 0001 do not see it)

Revision ID: cashbank0003
Revises: cashbank0002
Create Date: 2026-12-01 07:10:00
"""

from __future__ import annotations

from niaga.append_only import guard, unguard

revision = "cashbank0003"
down_revision = "cashbank0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    guard("cashbank_journal_line", rows=False)
    guard("cashbank_journal_entry", rows=False)


def downgrade() -> None:
    unguard("cashbank_journal_entry", rows=False)
    unguard("cashbank_journal_line", rows=False)
