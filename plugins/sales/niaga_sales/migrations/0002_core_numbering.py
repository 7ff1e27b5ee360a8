"""sales documents numbered by core: sales_sequence counters move to core_sequence

Revision ID: sales0002
Revises: sales0001
Create Date: 2026-12-01 00:30:00

Each old counter ``<prefix>/<yyyy>/<mm>`` becomes the counter of the series whose prefix
setting it carries (``SO/2026/11`` -> ``sales.order``, period ``2026-11``), so numbering
goes on where it was. Counters of a prefix no setting uses any more are dropped: no new
number can collide with them. ``core_sequence`` comes from core revision ``core0002``;
``depends_on`` cannot name it (each package's migrations are a separate Alembic script
directory), and core's migrations always run before any plugin's.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sales0002"
down_revision = "sales0001"
branch_labels = None
depends_on = None  # core0002 (core_sequence): core's migrations run before any plugin's

#: series -> (prefix setting, default prefix), as in niaga_sales.config.SERIES
SERIES = {
    "sales.order": ("sales.order_prefix", "SO"),
    "sales.delivery": ("sales.delivery_prefix", "SJ"),
    "sales.invoice": ("sales.invoice_prefix", "INV"),
    "sales.pos_sale": ("sales.pos_prefix", "POS"),
    "sales.credit_note": ("sales.credit_note_prefix", "CN"),
}

old_table = sa.table(
    "sales_sequence", sa.column("prefix", sa.String), sa.column("last", sa.Integer)
)
core_sequence = sa.table(
    "core_sequence",
    sa.column("series", sa.String),
    sa.column("period", sa.String),
    sa.column("last", sa.BigInteger),
)
core_setting = sa.table("core_setting", sa.column("key", sa.String), sa.column("value", sa.JSON))


def upgrade() -> None:
    bind = op.get_bind()
    stored = dict(
        bind.execute(
            sa.select(core_setting.c.key, core_setting.c.value).where(
                core_setting.c.key.in_([key for key, _ in SERIES.values()])
            )
        ).all()
    )
    series_of: dict[str, list[str]] = {}
    for series, (key, default) in SERIES.items():
        series_of.setdefault(str(stored.get(key) or default), []).append(series)
    for key, last in bind.execute(sa.select(old_table.c.prefix, old_table.c.last)).all():
        parts = key.rsplit("/", 2)
        if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
            continue
        prefix, period = parts[0], f"{parts[1]}-{parts[2]}"
        for series in series_of.get(prefix, []):
            where = (core_sequence.c.series == series) & (core_sequence.c.period == period)
            current = bind.execute(sa.select(core_sequence.c.last).where(where)).scalar()
            if current is None:
                bind.execute(
                    sa.insert(core_sequence).values(series=series, period=period, last=last)
                )
            elif current < last:
                bind.execute(sa.update(core_sequence).where(where).values(last=last))
    op.drop_table("sales_sequence")


def downgrade() -> None:
    op.create_table(
        "sales_sequence",
        sa.Column("prefix", sa.String(length=40), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_sales_sequence")),
    )
