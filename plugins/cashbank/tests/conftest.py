# ruff: noqa: E501  (long literal amounts and SQL read better on one line)
"""Builders for the contract values other plugins raise, so the books can be tested through
the real hook path without those plugins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from niaga.contracts import Document, PaymentInfo
from niaga_inventory.contracts import StockMove
from niaga_loyalty.contracts import PointsMovement

DAY = dt.date(2026, 3, 1)


def at(day: int) -> dt.datetime:
    """A moment on ``day`` of the test month (noon UTC)."""
    return dt.datetime(DAY.year, DAY.month, day, 5, tzinfo=dt.UTC)


def document(
    kind: str,
    id: int,
    net: str,
    tax: str = "0",
    day: int = 1,
    party_id: int | None = 1,
    party_name: str = "Toko Sejahtera",
    related: str = "",
    **data: Any,
) -> Document:
    subtotal, tax_amount = Decimal(net), Decimal(tax)
    return Document(
        kind=kind,
        id=id,
        number=f"{kind.split('.')[1].upper()}-{id:04d}",
        date=DAY.replace(day=day),
        party_id=party_id,
        party_name=party_name,
        lines=(),
        subtotal=subtotal,
        tax=tax_amount,
        total=subtotal + tax_amount,
        related=related,
        data=data,
    )


def payment(
    id: int, target: str, amount: str, method: str = "cash", fee: str = "0", day: int = 1, **kw: Any
) -> PaymentInfo:
    return PaymentInfo(
        id=id,
        target=target,
        amount=Decimal(amount),
        method=method,
        status="paid",
        occurred_at=at(day),
        fee=Decimal(fee),
        **kw,
    )


def move(
    id: int, kind: str, value: str, reference: str, day: int = 1, reason: str = ""
) -> StockMove:
    amount = Decimal(value)
    return StockMove(
        id=id,
        product_id=1,
        warehouse_id=1,
        kind=kind,
        quantity=Decimal("1") if amount >= 0 else Decimal("-1"),
        unit_cost=abs(amount),
        value=amount,
        reference=reference,
        occurred_at=at(day),
        reason=reason,
    )


def points(
    id: int, kind: str, value: str, reference: str, day: int = 1, redeemed_for: str | None = None
) -> PointsMovement:
    amount = Decimal(value)
    return PointsMovement(
        id=id,
        member_id=1,
        kind=kind,
        points=amount / 100,
        value=amount,
        reference=reference,
        occurred_at=at(day),
        redeemed_for=redeemed_for,
    )


@pytest.fixture
def build() -> SimpleNamespace:
    """``build.document(...)``, ``build.payment(...)``, ``build.move(...)``,
    ``build.points(...)``, ``build.at(day)``."""
    return SimpleNamespace(
        document=document, payment=payment, move=move, points=points, at=at, day=DAY
    )


@pytest.fixture
def books(db):
    """The default chart, created on first use."""
    from niaga_cashbank.chart import ensure_books

    ensure_books(db)
    db.commit()
    return db
