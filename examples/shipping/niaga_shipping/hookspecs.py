"""The hooks the shipping plugin publishes for courier plugins to implement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from niaga import hookspec


@hookspec
def shipping_rates(session: Any, destination: str, weight_kg: Decimal) -> list[Any]:
    """Return :class:`niaga_shipping.contracts.Rate` offers for a parcel of ``weight_kg``
    to ``destination`` (a city or regency name); an empty list when you do not serve it."""
