"""loyalty append-only: ledger entries refuse UPDATE, DELETE and TRUNCATE

Revision ID: loyalty0002
Revises: loyalty0001
Create Date: 2026-12-01 07:10:00
"""

from __future__ import annotations

from niaga.append_only import guard, unguard

revision = "loyalty0002"
down_revision = "loyalty0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    guard("loyalty_entry")


def downgrade() -> None:
    unguard("loyalty_entry")
