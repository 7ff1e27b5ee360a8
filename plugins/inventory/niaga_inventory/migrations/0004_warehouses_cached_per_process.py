"""inventory config version: a change to a warehouse bumps core's configuration version, so
every process may keep the warehouses (``warehouses.get_warehouse``) until one changes

Revision ID: inventory0004
Revises: inventory0003
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from niaga.config_version import unwatch, watch

revision = "inventory0004"
down_revision = "inventory0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    watch("inventory_warehouse")


def downgrade() -> None:
    unwatch("inventory_warehouse")
