"""The hooks the purchasing plugin publishes: the events of receipts, bills,
supplier payments and supplier returns, and what is owed per bill.
"""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def purchasing_goods_received(session: Any, receipt: Any) -> None:
    """Goods arrived from a supplier: ``receipt`` is a ``Document`` with line costs."""


@hookspec
def purchasing_bill_posted(session: Any, bill: Any) -> None:
    """A supplier bill ``Document`` was posted (a payable exists)."""


@hookspec
def purchasing_bill_paid(session: Any, bill: Any, payment: Any) -> None:
    """A :class:`niaga.contracts.PaymentInfo` was made to a supplier against ``bill``."""


@hookspec
def purchasing_supplier_returned(session: Any, debit_note: Any) -> None:
    """Goods went back to a supplier: ``debit_note`` is a ``Document``."""


@hookspec(firstresult=True)
def purchasing_payables(session: Any) -> dict[str, Any]:
    """Return what the shop owes per posted bill, ``{"purchasing.bill:<id>": Decimal}``:
    total less payments and returns, negative when the supplier owes the shop; bills
    settled exactly are left out."""
