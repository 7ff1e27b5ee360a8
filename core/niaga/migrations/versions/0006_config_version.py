"""core config version: a counter the database bumps on every change to plugins or settings

Revision ID: core0006
Revises: core0005
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from niaga.config_version import unwatch, watch

revision = "core0006"
down_revision = "core0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "core_config_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_config_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])
    watch("core_plugin_state", "core_setting")


def downgrade() -> None:
    unwatch("core_plugin_state", "core_setting")
    op.drop_table("core_config_version")
