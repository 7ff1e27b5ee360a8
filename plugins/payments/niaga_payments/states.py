"""The payment state machine.

States have an order: a payment only moves forward, so a late or repeated notification
never moves it back (a ``pending`` after ``paid`` changes nothing) and ``failed``,
``expired`` or ``cancelled`` cannot follow ``paid``. The graph has no cycles, so a payment
enters each state at most once: that is what makes ``payments_paid`` fire exactly once.
"""

from __future__ import annotations

CREATED = "created"
PENDING = "pending"
REQUIRES_ACTION = "requires_action"
AUTHORIZED = "authorized"
HELD = "held"
PAID = "paid"
PARTIALLY_REFUNDED = "partially_refunded"
REFUNDED = "refunded"
FAILED = "failed"
EXPIRED = "expired"
CANCELLED = "cancelled"

STATES = (
    CREATED,
    PENDING,
    REQUIRES_ACTION,
    AUTHORIZED,
    HELD,
    PAID,
    PARTIALLY_REFUNDED,
    REFUNDED,
    FAILED,
    EXPIRED,
    CANCELLED,
)

_ENDINGS = (FAILED, EXPIRED, CANCELLED)

#: state -> the states it may move to
NEXT: dict[str, frozenset[str]] = {
    CREATED: frozenset({PENDING, REQUIRES_ACTION, AUTHORIZED, HELD, PAID, *_ENDINGS}),
    PENDING: frozenset({REQUIRES_ACTION, AUTHORIZED, HELD, PAID, *_ENDINGS}),
    REQUIRES_ACTION: frozenset({AUTHORIZED, HELD, PAID, *_ENDINGS}),
    AUTHORIZED: frozenset({HELD, PAID, *_ENDINGS}),
    HELD: frozenset({PAID, REFUNDED, *_ENDINGS}),  # refunded: an escrow dispute
    PAID: frozenset({PARTIALLY_REFUNDED, REFUNDED}),
    PARTIALLY_REFUNDED: frozenset({REFUNDED}),
    REFUNDED: frozenset(),
    FAILED: frozenset(),
    EXPIRED: frozenset(),
    CANCELLED: frozenset(),
}

#: states in which money may still arrive (reconciliation asks the gateway about these)
OPEN = frozenset({CREATED, PENDING, REQUIRES_ACTION, AUTHORIZED, HELD})
#: states in which the customer's money is with the shop
SETTLED = frozenset({PAID, PARTIALLY_REFUNDED})


def can_move(current: str, new: str) -> bool:
    """Whether a payment in ``current`` may move to ``new``."""
    return new in NEXT.get(current, frozenset())


def sources_of(new: str) -> frozenset[str]:
    """The states from which ``new`` can be reached in one move."""
    return frozenset(state for state, targets in NEXT.items() if new in targets)
