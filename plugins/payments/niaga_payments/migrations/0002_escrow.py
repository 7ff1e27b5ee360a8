"""escrow: a payment may hold the customer's money until the goods arrive

Revision ID: payments0002
Revises: payments0001
Create Date: 2026-12-01 04:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "payments0002"
down_revision = "payments0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payments_payment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("escrow", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("payments_payment", schema=None) as batch_op:
        batch_op.drop_column("escrow")
