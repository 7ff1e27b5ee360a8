"""sales network: salespeople, their monthly targets, and the warehouse a sale takes from

Revision ID: sales0005
Revises: sales0004
Create Date: 2026-12-01 10:50:00

``sales_salesperson`` (optionally linked to a login) and ``sales_target`` (one amount per
salesperson and month). Orders carry who took them and the warehouse they reserve in;
retailers their salesperson; cashier sessions the warehouse the counter sells from.
Warehouse ids point at inventory's table without a foreign key: sales works with
inventory disabled. Batch mode so that SQLite can drop the columns again on downgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sales0005"
down_revision = "sales0004"
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sales_salesperson",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_sales_salesperson_user_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_salesperson")),
        sa.UniqueConstraint("code", name=op.f("uq_sales_salesperson_code")),
        sa.UniqueConstraint("user_id", name=op.f("uq_sales_salesperson_user_id")),
    )
    op.create_table(
        "sales_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salesperson_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["salesperson_id"],
            ["sales_salesperson.id"],
            name=op.f("fk_sales_target_salesperson_id_sales_salesperson"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_target")),
        sa.UniqueConstraint(
            "salesperson_id", "month", name=op.f("uq_sales_target_salesperson_id_month")
        ),
    )
    op.create_index(
        op.f("ix_sales_target_salesperson_id"), "sales_target", ["salesperson_id"], unique=False
    )
    with op.batch_alter_table("sales_customer") as batch_op:
        batch_op.add_column(sa.Column("salesperson_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sales_customer_salesperson_id_sales_salesperson"),
            "sales_salesperson",
            ["salesperson_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_sales_customer_salesperson_id"), ["salesperson_id"], unique=False
        )
    with op.batch_alter_table("sales_order") as batch_op:
        batch_op.add_column(sa.Column("warehouse_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("salesperson_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sales_order_salesperson_id_sales_salesperson"),
            "sales_salesperson",
            ["salesperson_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_sales_order_warehouse_id"), ["warehouse_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sales_order_salesperson_id"), ["salesperson_id"], unique=False
        )
    with op.batch_alter_table("sales_pos_session") as batch_op:
        batch_op.add_column(sa.Column("warehouse_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales_pos_session") as batch_op:
        batch_op.drop_column("warehouse_id")
    with op.batch_alter_table("sales_order") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_order_salesperson_id"))
        batch_op.drop_index(batch_op.f("ix_sales_order_warehouse_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_sales_order_salesperson_id_sales_salesperson"), type_="foreignkey"
        )
        batch_op.drop_column("salesperson_id")
        batch_op.drop_column("warehouse_id")
    with op.batch_alter_table("sales_customer") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_customer_salesperson_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_sales_customer_salesperson_id_sales_salesperson"), type_="foreignkey"
        )
        batch_op.drop_column("salesperson_id")
    op.drop_index(op.f("ix_sales_target_salesperson_id"), table_name="sales_target")
    op.drop_table("sales_target")
    op.drop_table("sales_salesperson")
