"""core sequences: one numbering service for every document series

Revision ID: core0002
Revises: core0001
Create Date: 2026-12-01 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core0002"
down_revision = "core0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_sequence",
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("series", "period", name=op.f("pk_core_sequence")),
    )


def downgrade() -> None:
    op.drop_table("core_sequence")
