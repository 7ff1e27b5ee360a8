"""The value the loyalty plugin's event carries: a points movement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PointsMovement:
    """A change in a loyalty member's points.

    ``kind`` is earn, redeem, expire, adjust or reverse; ``points`` is signed; ``value`` is
    its worth in rupiah (signed the same way); ``redeemed_for`` is ``discount`` or ``gift``
    on a redemption.
    """

    id: int
    member_id: int
    kind: str
    points: Decimal
    value: Decimal
    reference: str
    occurred_at: dt.datetime
    redeemed_for: str | None = None
