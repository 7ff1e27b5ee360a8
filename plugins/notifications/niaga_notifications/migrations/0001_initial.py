"""initial: preferences, templates, the message log, due invoices, sell-out, and the
principal's webhooks with their attempts

Revision ID: notifications0001
Revises:
Create Date: 2026-12-01 10:40:25.932586
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifications0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications_due_invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("customer_name", sa.String(length=120), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_due_invoice")),
        sa.UniqueConstraint("reference", name=op.f("uq_notifications_due_invoice_reference")),
    )
    with op.batch_alter_table("notifications_due_invoice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_due_invoice_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_due_invoice_due_date"), ["due_date"], unique=False
        )

    op.create_table(
        "notifications_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.String(length=200), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_message")),
        sa.UniqueConstraint("key", name=op.f("uq_notifications_message_key")),
    )
    with op.batch_alter_table("notifications_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_message_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notifications_message_event"), ["event"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_message_state"), ["state"], unique=False)

    op.create_table(
        "notifications_preference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_preference")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_notifications_preference_customer_id")),
    )
    op.create_table(
        "notifications_sell_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("subtotal", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_sell_out")),
        sa.UniqueConstraint("reference", name=op.f("uq_notifications_sell_out_reference")),
    )
    with op.batch_alter_table("notifications_sell_out", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_sell_out_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notifications_sell_out_day"), ["day"], unique=False)

    op.create_table(
        "notifications_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_template")),
        sa.UniqueConstraint(
            "event", "language", name=op.f("uq_notifications_template_event_language")
        ),
    )
    op.create_table(
        "notifications_webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_webhook")),
        sa.UniqueConstraint("key", name=op.f("uq_notifications_webhook_key")),
    )
    with op.batch_alter_table("notifications_webhook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_webhook_state"), ["state"], unique=False)

    op.create_table(
        "notifications_webhook_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("milliseconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["notifications_webhook.id"],
            name=op.f("fk_notifications_webhook_attempt_webhook_id_notifications_webhook"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_webhook_attempt")),
    )
    with op.batch_alter_table("notifications_webhook_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_webhook_attempt_webhook_id"), ["webhook_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications_webhook_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_webhook_attempt_webhook_id"))

    op.drop_table("notifications_webhook_attempt")
    with op.batch_alter_table("notifications_webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_webhook_state"))

    op.drop_table("notifications_webhook")
    op.drop_table("notifications_template")
    with op.batch_alter_table("notifications_sell_out", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_sell_out_day"))
        batch_op.drop_index(batch_op.f("ix_notifications_sell_out_customer_id"))

    op.drop_table("notifications_sell_out")
    op.drop_table("notifications_preference")
    with op.batch_alter_table("notifications_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_message_state"))
        batch_op.drop_index(batch_op.f("ix_notifications_message_event"))
        batch_op.drop_index(batch_op.f("ix_notifications_message_customer_id"))

    op.drop_table("notifications_message")
    with op.batch_alter_table("notifications_due_invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_due_invoice_due_date"))
        batch_op.drop_index(batch_op.f("ix_notifications_due_invoice_customer_id"))

    op.drop_table("notifications_due_invoice")
