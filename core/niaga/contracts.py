"""The value types shared by several plugins' hooks: business documents and payments.

Plugins never hand each other ORM objects: a hook receives or returns frozen dataclasses,
so a listener does not need to import the plugin that raised the event. A type used by one
plugin's hooks only lives in that plugin (``niaga_inventory.contracts.StockLine``); these
stay in core because sales, purchasing, payments and cash/bank all speak them. All money
and quantities are ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class DocumentLine:
    """A line of a sales or purchasing document, money in the document's currency."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    product_id: int | None = None
    discount: Decimal = Decimal("0")
    cost: Decimal | None = None


@dataclass(frozen=True)
class Document:
    """A business document raised in an event: an order, invoice, receipt, bill, return.

    ``kind`` is ``"<plugin>.<type>"`` (``sales.invoice``, ``purchasing.bill``) and
    ``reference`` the kind and id joined by a colon, used to tie records together across
    plugins. ``subtotal`` is net of tax and discounts; ``total`` = ``subtotal`` + ``tax``.
    """

    kind: str
    id: int
    number: str
    date: dt.date
    party_id: int | None
    party_name: str
    lines: tuple[DocumentLine, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    discount: Decimal = Decimal("0")
    related: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class PaymentInfo:
    """Money that moved for a document.

    ``method`` is one of cash, bank_transfer, virtual_account, ewallet, qris, card, cod;
    ``account`` names the cash/bank account it went to, when known; ``fee`` is what the
    gateway kept. ``target`` is the ``reference`` of the document paid.
    """

    id: int
    target: str
    amount: Decimal
    method: str
    status: str
    occurred_at: dt.datetime
    fee: Decimal = Decimal("0")
    gateway: str = ""
    account: str | None = None
