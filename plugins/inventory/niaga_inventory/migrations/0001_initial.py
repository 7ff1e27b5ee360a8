"""Inventory: products and units, warehouses, the stock move ledger, balances,
reservations, valuation and stock counts.

Revision ID: inventory0001
Revises:
Create Date: 2026-11-23 11:57:22.573763
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inventory0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inventory_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("brand", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("cost", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tax_class", sa.String(length=40), nullable=False),
        sa.Column("base_unit", sa.String(length=20), nullable=False),
        sa.Column("sale_unit", sa.String(length=20), nullable=True),
        sa.Column("purchase_unit", sa.String(length=20), nullable=True),
        sa.Column("track_stock", sa.Boolean(), nullable=False),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        sa.Column("reorder_point", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("reorder_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_product")),
        sa.UniqueConstraint("sku", name=op.f("uq_inventory_product_sku")),
    )
    with op.batch_alter_table("inventory_product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inventory_product_barcode"), ["barcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_inventory_product_name"), ["name"], unique=False)

    op.create_table(
        "inventory_warehouse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_warehouse")),
        sa.UniqueConstraint("code", name=op.f("uq_inventory_warehouse_code")),
    )
    op.create_table(
        "inventory_product_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("factor", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_product_unit_product_id_inventory_product"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_product_unit")),
        sa.UniqueConstraint(
            "product_id", "name", name=op.f("uq_inventory_product_unit_product_id_name")
        ),
    )
    with op.batch_alter_table("inventory_product_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_product_unit_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "inventory_reservation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("original", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_reservation_product_id_inventory_product"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["inventory_warehouse.id"],
            name=op.f("fk_inventory_reservation_warehouse_id_inventory_warehouse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_reservation")),
        sa.UniqueConstraint(
            "reference",
            "product_id",
            "warehouse_id",
            name=op.f("uq_inventory_reservation_reference_product_id_warehouse_id"),
        ),
    )
    with op.batch_alter_table("inventory_reservation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_reservation_reference"), ["reference"], unique=False
        )

    op.create_table(
        "inventory_stock_balance",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("reserved", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_stock_balance_product_id_inventory_product"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["inventory_warehouse.id"],
            name=op.f("fk_inventory_stock_balance_warehouse_id_inventory_warehouse"),
        ),
        sa.PrimaryKeyConstraint(
            "product_id", "warehouse_id", name=op.f("pk_inventory_stock_balance")
        ),
    )
    op.create_table(
        "inventory_stock_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("started_by", sa.String(length=120), nullable=False),
        sa.Column("posted_by", sa.String(length=120), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["inventory_warehouse.id"],
            name=op.f("fk_inventory_stock_count_warehouse_id_inventory_warehouse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_stock_count")),
    )
    op.create_table(
        "inventory_stock_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_stock_move_product_id_inventory_product"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["inventory_warehouse.id"],
            name=op.f("fk_inventory_stock_move_warehouse_id_inventory_warehouse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_stock_move")),
    )
    with op.batch_alter_table("inventory_stock_move", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_stock_move_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inventory_stock_move_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inventory_stock_move_reference"), ["reference"], unique=False
        )

    op.create_table(
        "inventory_valuation",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_valuation_product_id_inventory_product"),
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_inventory_valuation")),
    )
    op.create_table(
        "inventory_stock_count_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("counted", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["inventory_stock_count.id"],
            name=op.f("fk_inventory_stock_count_line_count_id_inventory_stock_count"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_stock_count_line_product_id_inventory_product"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_stock_count_line")),
        sa.UniqueConstraint(
            "count_id", "product_id", name=op.f("uq_inventory_stock_count_line_count_id_product_id")
        ),
    )
    with op.batch_alter_table("inventory_stock_count_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_stock_count_line_count_id"), ["count_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inventory_stock_count_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_stock_count_line_count_id"))

    op.drop_table("inventory_stock_count_line")
    op.drop_table("inventory_valuation")
    with op.batch_alter_table("inventory_stock_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_stock_move_reference"))
        batch_op.drop_index(batch_op.f("ix_inventory_stock_move_product_id"))
        batch_op.drop_index(batch_op.f("ix_inventory_stock_move_occurred_at"))

    op.drop_table("inventory_stock_move")
    op.drop_table("inventory_stock_count")
    op.drop_table("inventory_stock_balance")
    with op.batch_alter_table("inventory_reservation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_reservation_reference"))

    op.drop_table("inventory_reservation")
    with op.batch_alter_table("inventory_product_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_product_unit_product_id"))

    op.drop_table("inventory_product_unit")
    op.drop_table("inventory_warehouse")
    with op.batch_alter_table("inventory_product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_product_name"))
        batch_op.drop_index(batch_op.f("ix_inventory_product_barcode"))

    op.drop_table("inventory_product")
