"""payments append-only: events refuse UPDATE, DELETE and TRUNCATE

Revision ID: payments0003
Revises: payments0002
Create Date: 2026-12-01 07:10:00
"""

from __future__ import annotations

from niaga.append_only import guard, unguard

revision = "payments0003"
down_revision = "payments0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    guard("payments_event")


def downgrade() -> None:
    unguard("payments_event")
