"""inventory append-only: stock moves refuse UPDATE, DELETE and TRUNCATE

Revision ID: inventory0002
Revises: inventory0001
Create Date: 2026-12-01 07:10:00
"""

from __future__ import annotations

from niaga.append_only import guard, unguard

revision = "inventory0002"
down_revision = "inventory0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    guard("inventory_stock_move")


def downgrade() -> None:
    unguard("inventory_stock_move")
