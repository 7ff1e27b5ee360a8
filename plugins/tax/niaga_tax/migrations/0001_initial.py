"""initial: closed PPN months and PPh final payments

Revision ID: tax0001
Revises:
Create Date: 2026-12-01 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "tax0001"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=18, scale=2)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "tax_ppn_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("output_tax", MONEY, nullable=False),
        sa.Column("input_tax", MONEY, nullable=False),
        sa.Column("carried_in", MONEY, nullable=False),
        sa.Column("payable", MONEY, nullable=False),
        sa.Column("carried_out", MONEY, nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month"),
    )
    op.create_table(
        "tax_pph_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("turnover", MONEY, nullable=False),
        sa.Column("exempt", MONEY, nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.Column("billing_code", sa.String(length=15), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month"),
    )


def downgrade() -> None:
    op.drop_table("tax_pph_payment")
    op.drop_table("tax_ppn_period")
