"""sales onboarding: portal invitations, self-registrations awaiting approval, shop location

Revision ID: sales0004
Revises: sales0003
Create Date: 2026-12-01 07:20:00

``sales_invitation`` keeps the SHA-256 of each invitation link's secret (never the link);
``sales_registration`` holds a sign-up from the portal until staff approve or reject it.
The customer gets the shop's location (latitude/longitude, nullable). Batch mode so that
SQLite can drop the columns again on downgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sales0004"
down_revision = "sales0003"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("sales_customer") as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Numeric(9, 6), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Numeric(9, 6), nullable=True))
    op.create_table(
        "sales_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at", False),
        _when("expires_at", False),
        _when("accepted_at", True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["sales_customer.id"],
            name=op.f("fk_sales_invitation_customer_id_sales_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["core_user.id"], name=op.f("fk_sales_invitation_created_by_core_user")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_sales_invitation_user_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sales_invitation_token_hash")),
    )
    op.create_index(
        op.f("ix_sales_invitation_customer_id"), "sales_invitation", ["customer_id"], unique=False
    )
    op.create_table(
        "sales_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_name", sa.String(length=120), nullable=False),
        sa.Column("owner_name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=False),
        sa.Column("npwp", sa.String(length=16), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("latitude", sa.Numeric(9, 6), nullable=True),
        sa.Column("longitude", sa.Numeric(9, 6), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        _when("decided_at", True),
        _when("created_at", False),
        _when("updated_at", False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["sales_customer.id"],
            name=op.f("fk_sales_registration_customer_id_sales_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_sales_registration_user_id_core_user")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["core_user.id"],
            name=op.f("fk_sales_registration_decided_by_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_registration")),
    )
    op.create_index(
        op.f("ix_sales_registration_phone"), "sales_registration", ["phone"], unique=False
    )
    op.create_index(
        op.f("ix_sales_registration_state"), "sales_registration", ["state"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sales_registration_state"), table_name="sales_registration")
    op.drop_index(op.f("ix_sales_registration_phone"), table_name="sales_registration")
    op.drop_table("sales_registration")
    op.drop_index(op.f("ix_sales_invitation_customer_id"), table_name="sales_invitation")
    op.drop_table("sales_invitation")
    with op.batch_alter_table("sales_customer") as batch_op:
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
