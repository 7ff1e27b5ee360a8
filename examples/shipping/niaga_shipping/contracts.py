"""What courier plugins answer the ``shipping_rates`` hook with."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Rate:
    """One courier's offer: ``price`` in rupiah for the parcel, delivered in ``days``."""

    courier: str
    service: str
    price: Decimal
    days: int
