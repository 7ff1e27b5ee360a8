"""The hooks the payments plugin publishes: gateway adapters, the amount due on a
document and who may pay it (answered by the plugin that owns it), and the events of a
payment.
"""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def payments_gateways() -> list[Any]:
    """Return payment gateway adapters (see ``niaga_payments.adapters.GatewayAdapter``)."""


@hookspec(firstresult=True)
def payments_amount_due(session: Any, reference: str) -> Any:
    """Return what is still owed on the document ``reference`` (``sales.invoice:12``) as a
    ``Decimal``, or ``None`` when the answering plugin does not own that document. Payment
    plugins take amounts from here, never from the client."""


@hookspec(firstresult=True)
def payments_may_pay(session: Any, reference: str, user: Any) -> Any:
    """Return whether ``user`` (a core ``User`` who is not payments staff, e.g. a retailer)
    may see and pay the document ``reference``: ``True`` or ``False`` from the plugin that
    owns it, ``None`` from the others. Anything but ``True`` answers 404, as for a document
    that does not exist."""


@hookspec(firstresult=True)
def payments_counter_methods(session: Any) -> Any:
    """Return how a customer can pay at the shop's counter, answered by payments itself:
    ``[{"method": "cash" | "qris" | "bank_transfer", "label": ..., "hint": ...}]``, cash
    first, then the enabled counter gateways with what the cashier tells the customer. The
    POS offers these (its own list when payments is not enabled) and records the method."""


@hookspec
def payments_status_changed(session: Any, payment: Any, previous: str) -> None:
    """A payment (``PaymentInfo``) moved from ``previous`` to ``payment.status``."""


@hookspec
def payments_paid(session: Any, payment: Any) -> None:
    """A payment reached ``paid``; fired exactly once per payment."""


@hookspec
def payments_refunded(session: Any, payment: Any, amount: Any) -> None:
    """``amount`` of a paid payment was refunded to the customer."""
