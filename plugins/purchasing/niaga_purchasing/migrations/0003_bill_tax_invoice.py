"""the supplier's tax invoice (faktur pajak masukan) on a bill

Revision ID: purchasing0003
Revises: purchasing0002
Create Date: 2026-12-01 07:30:00

A bill records the number and date of the supplier's Faktur Pajak: its PPN is creditable
input tax (PPN Masukan) only with one (issue 23). Existing bills have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "purchasing0003"
down_revision = "purchasing0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("purchasing_bill") as batch:
        batch.add_column(
            sa.Column("tax_invoice_number", sa.String(length=20), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("tax_invoice_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("purchasing_bill") as batch:
        batch.drop_column("tax_invoice_date")
        batch.drop_column("tax_invoice_number")
