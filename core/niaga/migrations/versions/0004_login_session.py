"""core login sessions: logging out ends the session on the server

Revision ID: core0004
Revises: core0003
Create Date: 2026-12-01 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core0004"
down_revision = "core0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_login_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_core_login_session_user_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_login_session")),
    )
    with op.batch_alter_table("core_login_session") as batch_op:
        batch_op.create_index(batch_op.f("ix_core_login_session_user_id"), ["user_id"])


def downgrade() -> None:
    op.drop_table("core_login_session")
