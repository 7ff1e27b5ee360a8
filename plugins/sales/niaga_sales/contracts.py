"""The values the sales plugin's calculation hooks exchange."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Adjustment:
    """A discount or surcharge a calculation hook adds to a document.

    ``amount`` is a Decimal; negative for a discount. ``source`` names the plugin and
    ``reference`` lets that plugin find its own record again (a redeemed voucher, say).
    """

    code: str
    label: str
    amount: Any
    source: str
    reference: str = ""
    data: dict[str, Any] = field(default_factory=dict)
