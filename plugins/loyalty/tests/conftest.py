"""Helpers for loyalty tests: sales documents and events raised through the real hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from niaga import hookimpl
from niaga.clock import utcnow
from niaga.contracts import Document, DocumentLine, PaymentInfo
from niaga.runtime import hooks, niaga
from niaga.testing import shop_today
from niaga_loyalty import programs
from niaga_loyalty.models import Program


def line(net: str, product_id: int | None = None, quantity: str = "1") -> DocumentLine:
    amount = Decimal(net)
    return DocumentLine(
        description=f"product {product_id}",
        quantity=Decimal(quantity),
        unit="pcs",
        unit_price=amount / Decimal(quantity),
        net=amount,
        tax=Decimal("0"),
        total=amount,
        product_id=product_id,
    )


def document(
    kind: str = "sales.invoice",
    ident: int = 1,
    customer: int | None = 7,
    lines: tuple[DocumentLine, ...] | None = None,
    subtotal: str | None = None,
    related: str = "",
    day: dt.date | None = None,
    **data: Any,
) -> Document:
    lines = lines if lines is not None else (line(subtotal or "250000", product_id=1),)
    total = Decimal(subtotal) if subtotal else sum((ln.net for ln in lines), Decimal("0"))
    return Document(
        kind=kind,
        id=ident,
        number=f"{kind}-{ident}",
        date=day or shop_today(),
        party_id=customer,
        party_name="Toko Sumber Rejeki" if customer else "",
        lines=lines,
        subtotal=total,
        tax=Decimal("0"),
        total=total,
        related=related,
        data=data,
    )


def pay(db: Any, invoice: Document) -> None:
    """Raise ``sales_invoice_paid`` for the whole invoice, as sales does."""
    hooks().sales_invoice_paid(
        session=db,
        invoice=invoice,
        payment=PaymentInfo(
            id=invoice.id,
            target=invoice.reference,
            amount=invoice.total,
            method="cash",
            status="paid",
            occurred_at=utcnow(),
        ),
    )


def make_program(db: Any, **values: Any) -> Program:
    data = {"name": "Poin Mitra", "amount_per_step": Decimal("10000"), "points_per_step": 1}
    data.update(values)
    program = programs.save(db, Program(), data)
    db.commit()
    return program


class Listener:
    """Records every ``loyalty_points_changed`` movement."""

    def __init__(self) -> None:
        self.movements: list[Any] = []

    @hookimpl
    def loyalty_points_changed(self, session: Any, movement: Any) -> None:
        del session
        self.movements.append(movement)


@pytest.fixture
def movements(app: Any, db: Any) -> Iterator[list[Any]]:
    """Movements raised through ``loyalty_points_changed`` during the test."""
    listener = Listener()
    host = niaga().host
    host.pm.register(listener, name="loyalty-test-listener")
    host._callers.clear()
    yield listener.movements
    host.pm.unregister(listener)
    host._callers.clear()


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for test modules (conftest cannot be imported by name)."""
    return SimpleNamespace(line=line, document=document, pay=pay, make_program=make_program)
