"""cashbank config version: a change to a posting rule or an account bumps core's
configuration version, so every process may keep the posting rules with their accounts
(``journal.rule_account``) until they change

Revision ID: cashbank0005
Revises: cashbank0004
Create Date: 2026-12-01 22:40:00
"""

from __future__ import annotations

from niaga.config_version import unwatch, watch

revision = "cashbank0005"
down_revision = "cashbank0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    watch("cashbank_posting_rule", "cashbank_account")


def downgrade() -> None:
    unwatch("cashbank_posting_rule", "cashbank_account")
