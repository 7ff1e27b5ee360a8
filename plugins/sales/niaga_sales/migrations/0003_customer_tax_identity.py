"""sales customers: the buyer's tax identity (NPWP, NIK, NITKU, name and address as registered)

Revision ID: sales0003
Revises: sales0002
Create Date: 2026-12-01 04:50:00

All five columns are nullable: a retailer without a tax identity keeps none, and the
Faktur Pajak then falls back on the shop name and address. Batch mode so that SQLite can
drop the columns again on downgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sales0003"
down_revision = "sales0002"
branch_labels = None
depends_on = None

COLUMNS = (
    ("npwp", 16),
    ("nik", 16),
    ("nitku", 22),
    ("tax_name", 120),
    ("tax_address", 400),
)


def upgrade() -> None:
    with op.batch_alter_table("sales_customer") as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales_customer") as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
