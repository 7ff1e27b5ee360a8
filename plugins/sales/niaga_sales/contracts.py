"""The values the sales plugin's hooks exchange."""

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


@dataclass(frozen=True)
class CustomerInfo:
    """A sales customer as other plugins see it (``sales_customer``).

    ``walk_in`` marks the counter's anonymous customer; ``user_id`` is the portal login
    linked to a retailer, if any; ``phone`` the shop's number (``0812...``; empty when
    none is recorded or it is not a phone number).
    """

    id: int
    code: str
    name: str
    walk_in: bool = False
    active: bool = True
    user_id: int | None = None
    phone: str = ""


@dataclass(frozen=True)
class PortalFigure:
    """A figure another plugin shows on a retailer's dashboard in the portal
    (``sales_portal_figures``): its ``label``, ``value`` and ``note`` already written in
    the reader's language; ``progress`` (0 to 1) draws a bar toward a goal (the next tier,
    say); ``href`` links the figure to that plugin's own page."""

    label: str
    value: str
    note: str = ""
    progress: Any = None
    href: str | None = None
