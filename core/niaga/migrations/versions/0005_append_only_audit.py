"""core append-only: the audit log refuses UPDATE, DELETE and TRUNCATE

Revision ID: core0005
Revises: core0004
Create Date: 2026-12-01 07:10:00
"""

from __future__ import annotations

from niaga.append_only import guard, unguard

revision = "core0005"
down_revision = "core0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    guard("core_audit_log")


def downgrade() -> None:
    unguard("core_audit_log")
