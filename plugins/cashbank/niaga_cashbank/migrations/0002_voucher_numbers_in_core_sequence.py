"""voucher numbers from core's numbering service: carry each kind's counter into core_sequence

Vouchers were numbered ``COUNT(*) + 1`` per kind (``BKK-00001``), which collided when two
vouchers were saved at once. They are now drawn from ``niaga.numbering`` (series
``cashbank.voucher.<kind>``, period empty for the default pattern ``BKK-{seq:05}``). This
revision starts each series where the old numbers stopped, so the next voucher does not
repeat a number already used. There was no counter table of cash/bank's own to drop.

Needs core revision ``core0002`` (the ``core_sequence`` table). Each package has its own
Alembic version folder, so Alembic cannot resolve a ``depends_on`` across them; core is
always upgraded before any plugin (``niaga db upgrade``, enabling a plugin), and the upgrade
below checks the table is there and says so if not.

Revision ID: cashbank0002
Revises: cashbank0001
Create Date: 2026-12-01 01:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "cashbank0002"
down_revision = "cashbank0001"
branch_labels = None
depends_on = None
#: The core revision this one needs (see above for why it is not Alembic's ``depends_on``).
requires_core = "core0002"

PREFIX = {"in": "BKM", "out": "BKK", "transfer": "TRF", "capital": "MDL", "prive": "PRV"}

voucher = sa.table("cashbank_voucher", sa.column("kind", sa.String), sa.column("number", sa.String))
sequence = sa.table(
    "core_sequence",
    sa.column("series", sa.String),
    sa.column("period", sa.String),
    sa.column("last", sa.BigInteger),
)


def upgrade() -> None:
    connection = op.get_bind()
    if "core_sequence" not in sa.inspect(connection).get_table_names():
        raise RuntimeError(f"cash/bank needs core at {requires_core}: run `niaga db upgrade`")
    last: dict[str, int] = {}
    for kind, number in connection.execute(sa.select(voucher.c.kind, voucher.c.number)):
        found = re.fullmatch(rf"{PREFIX.get(kind, '')}-(\d+)", number or "")
        if found:
            last[kind] = max(last.get(kind, 0), int(found.group(1)))
    for kind, value in sorted(last.items()):
        key = (sequence.c.series == f"cashbank.voucher.{kind}") & (sequence.c.period == "")
        current = connection.execute(sa.select(sequence.c.last).where(key)).scalar()
        if current is None:
            connection.execute(
                sa.insert(sequence).values(series=f"cashbank.voucher.{kind}", period="", last=value)
            )
        elif current < value:
            connection.execute(sa.update(sequence).where(key).values(last=value))


def downgrade() -> None:
    # The old numbering counted the vouchers again; the carried counters are not needed.
    connection = op.get_bind()
    if "core_sequence" in sa.inspect(connection).get_table_names():
        connection.execute(sa.delete(sequence).where(sequence.c.series.like("cashbank.voucher.%")))
