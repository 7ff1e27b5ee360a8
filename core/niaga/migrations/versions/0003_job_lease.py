"""core job runs carry a lease: a run killed mid-way is taken over when it expires

Revision ID: core0003
Revises: core0002
Create Date: 2026-12-01 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core0003"
down_revision = "core0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("core_job_run") as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("core_job_run") as batch_op:
        batch_op.drop_column("lease_until")
