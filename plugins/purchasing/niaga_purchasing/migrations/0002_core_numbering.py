"""document numbers from core's numbering service

Revision ID: purchasing0002
Revises: purchasing0001
Create Date: 2026-12-01 00:30:00

Purchasing's own counters (``purchasing_sequence``, keyed by the rendered pattern without
its ``{seq}``: ``PO/2026/12/{seq}``) move into ``core_sequence`` (series
``purchasing.<document>``, period ``2026-12``), so the next number continues where the old
counter stopped. A key is matched against the document's current pattern setting (or its
default); keys of an older pattern, or of a pattern whose period cannot be told (a month
without a year), are dropped: they would never be drawn again. Core's ``core_sequence``
comes from core revision ``core0002``, which core's own migrations apply before any
plugin's (``depends_on`` cannot name it: each package's migrations are a separate Alembic
script directory).
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "purchasing0002"
down_revision = "purchasing0001"
branch_labels = None
depends_on = None

#: series -> (setting key, default pattern)
SERIES = {
    "purchasing.order": ("purchasing.order_number_pattern", "PO/{year}/{month}/{seq:04d}"),
    "purchasing.receipt": ("purchasing.receipt_number_pattern", "GR/{year}/{month}/{seq:04d}"),
    "purchasing.bill": ("purchasing.bill_number_pattern", "BILL/{year}/{month}/{seq:04d}"),
    "purchasing.payment": ("purchasing.payment_number_pattern", "PAY/{year}/{month}/{seq:04d}"),
    "purchasing.return": ("purchasing.return_number_pattern", "RET/{year}/{month}/{seq:04d}"),
    "purchasing.supplier": (None, "SUP{seq:04d}"),
}
_FIELD = re.compile(r"\{(\w+)(?::[^{}]*)?\}")
_GROUPS = {
    "year": r"(?P<yyyy>\d{4})",
    "yyyy": r"(?P<yyyy>\d{4})",
    "yy": r"(?P<yy>\d{2})",
    "month": r"(?P<mm>\d{2})",
    "mm": r"(?P<mm>\d{2})",
    "day": r"(?P<dd>\d{2})",
    "dd": r"(?P<dd>\d{2})",
}


def key_matcher(pattern: str) -> re.Pattern[str] | None:
    """A regex matching the old counter keys of ``pattern`` (``{seq}`` kept literally)."""
    regex, seen, position = "", set(), 0
    for found in _FIELD.finditer(pattern):
        regex += re.escape(pattern[position : found.start()])
        name = found.group(1)
        if name == "seq":
            regex += re.escape("{seq}")
        elif name in _GROUPS:
            group = _GROUPS[name]
            label = group[4 : group.index(">")]
            regex += f"(?P={label})" if label in seen else group
            seen.add(label)
        else:
            return None
        position = found.end()
    regex += re.escape(pattern[position:])
    return re.compile(regex[:2000] + r"\Z")


def period_of(found: re.Match[str]) -> str | None:
    """Core's period for a matched key, like ``niaga.numbering.period_of``; ``None`` when
    the key does not say it (a month without a year)."""
    parts = found.groupdict()
    year = parts.get("yyyy") or (f"20{parts['yy']}" if parts.get("yy") else None)
    if parts.get("dd"):
        return f"{year}-{parts['mm']}-{parts['dd']}" if year and parts.get("mm") else None
    if parts.get("mm"):
        return f"{year}-{parts['mm']}" if year else None
    return year or ""


def upgrade() -> None:
    bind = op.get_bind()
    old = sa.table("purchasing_sequence", sa.column("key", sa.String), sa.column("last"))
    setting = sa.table("core_setting", sa.column("key", sa.String), sa.column("value", sa.JSON))
    sequence = sa.table(
        "core_sequence",
        sa.column("series", sa.String),
        sa.column("period", sa.String),
        sa.column("last", sa.BigInteger),
    )
    stored = dict(bind.execute(sa.select(setting.c.key, setting.c.value)).all())
    matchers = []
    for series, (key, default) in SERIES.items():
        pattern = stored.get(key, default) if key else default
        if isinstance(pattern, str) and pattern.startswith('"'):  # JSON kept as text
            pattern = json.loads(pattern)
        matcher = key_matcher(str(pattern or default))
        if matcher is not None:
            matchers.append((series, matcher))
    counters: dict[tuple[str, str], int] = {}
    for key, last in bind.execute(sa.select(old.c.key, old.c.last)).all():
        for series, matcher in matchers:
            found = matcher.match(key)
            period = period_of(found) if found else None
            if period is not None:
                counters[(series, period)] = max(int(last), counters.get((series, period), 0))
                break
    for (series, period), last in counters.items():
        where = (sequence.c.series == series) & (sequence.c.period == period)
        current = bind.execute(sa.select(sequence.c.last).where(where)).scalar()
        if current is None:
            bind.execute(sa.insert(sequence).values(series=series, period=period, last=last))
        elif current < last:
            bind.execute(sa.update(sequence).where(where).values(last=last))
    op.drop_table("purchasing_sequence")


def downgrade() -> None:
    op.create_table(
        "purchasing_sequence",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_purchasing_sequence")),
    )
