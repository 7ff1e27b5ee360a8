"""loyalty config version: a change to a program or a campaign bumps core's configuration
version, so every process may keep the earn rules (``earning.active_program``) until they
change

Revision ID: loyalty0003
Revises: loyalty0002
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from niaga.config_version import unwatch, watch

revision = "loyalty0003"
down_revision = "loyalty0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    watch("loyalty_program", "loyalty_campaign")


def downgrade() -> None:
    unwatch("loyalty_program", "loyalty_campaign")
