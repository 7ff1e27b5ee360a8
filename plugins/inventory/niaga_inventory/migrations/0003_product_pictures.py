"""inventory product pictures: a picture version on each product and the picture's sizes

Revision ID: inventory0003
Revises: inventory0002
Create Date: 2026-12-01 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inventory0003"
down_revision = "inventory0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inventory_product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("picture", sa.String(length=32), nullable=True))
    op.create_table(
        "inventory_product_picture",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("thumb", sa.LargeBinary(), nullable=False),
        sa.Column("card", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["inventory_product.id"],
            name=op.f("fk_inventory_product_picture_product_id_inventory_product"),
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_inventory_product_picture")),
    )


def downgrade() -> None:
    op.drop_table("inventory_product_picture")
    with op.batch_alter_table("inventory_product", schema=None) as batch_op:
        batch_op.drop_column("picture")
