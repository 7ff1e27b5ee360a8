"""Tables of the purchasing plugin, all prefixed ``purchasing_``.

Documents (orders, receipts, bills, returns) store every computed amount on their lines:
quantities in the line's unit with the unit's factor to the product's base unit, prices,
discounts, PPN rate and tax base, so an old document never changes when a rate does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from niaga.db import Model, Quantity, TimestampMixin, UnitCost

ZERO = Decimal("0")
Rate = sa.Numeric(7, 4, asdecimal=True)


class Supplier(TimestampMixin, Model):
    """Someone the business buys from."""

    __tablename__ = "purchasing_supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name: Mapped[str] = mapped_column(sa.String(150))
    contact_person: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.Text, default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    npwp: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    #: VAT-registered (PKP): its bills carry PPN by default.
    pkp: Mapped[bool] = mapped_column(default=True)
    payment_terms_days: Mapped[int] = mapped_column(default=30)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    prices: Mapped[list[SupplierPrice]] = relationship(
        back_populates="supplier", cascade="all, delete-orphan", order_by="SupplierPrice.id"
    )


class SupplierPrice(TimestampMixin, Model):
    """The supplier's usual price for a product, per ``unit``; ``preferred`` marks the
    product's default supplier (used for reorder suggestions)."""

    __tablename__ = "purchasing_supplier_price"
    __table_args__ = (sa.UniqueConstraint("supplier_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_supplier.id"))
    product_id: Mapped[int] = mapped_column(index=True)
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    price: Mapped[Decimal] = mapped_column(UnitCost)
    preferred: Mapped[bool] = mapped_column(default=False)

    supplier: Mapped[Supplier] = relationship(back_populates="prices")


class PricedLine:
    """Columns shared by order and bill lines: what, how many, at what price and tax."""

    product_id: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    #: base units per ``unit`` (1 for free-text lines)
    unit_factor: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))
    unit_price: Mapped[Decimal] = mapped_column(UnitCost)
    discount_percent: Mapped[Decimal] = mapped_column(Rate, default=ZERO)
    discount: Mapped[Decimal] = mapped_column(default=ZERO)
    tax_rate: Mapped[Decimal] = mapped_column(Rate, default=ZERO)
    #: the PPN tax base (DPP) as a fraction of the net, e.g. ``11/12``
    tax_base: Mapped[str] = mapped_column(sa.String(16), default="1")
    net: Mapped[Decimal] = mapped_column(default=ZERO)
    tax: Mapped[Decimal] = mapped_column(default=ZERO)
    total: Mapped[Decimal] = mapped_column(default=ZERO)

    @property
    def base_quantity(self) -> Decimal:
        return self.quantity * self.unit_factor


class DocumentTotals:
    """Totals of a priced document: the sums of its rounded lines."""

    subtotal: Mapped[Decimal] = mapped_column(default=ZERO)
    discount: Mapped[Decimal] = mapped_column(default=ZERO)
    tax: Mapped[Decimal] = mapped_column(default=ZERO)
    total: Mapped[Decimal] = mapped_column(default=ZERO)

    @declared_attr
    def supplier_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(sa.ForeignKey("purchasing_supplier.id"), index=True)

    @declared_attr
    def supplier(cls) -> Mapped[Supplier]:  # noqa: N805
        return relationship(Supplier)

    def add_up(self, lines: list[Any]) -> None:
        self.subtotal = sum((line.net for line in lines), ZERO)
        self.discount = sum((line.discount for line in lines), ZERO)
        self.tax = sum((line.tax for line in lines), ZERO)
        self.total = sum((line.total for line in lines), ZERO)


class PurchaseOrder(DocumentTotals, TimestampMixin, Model):
    """An order sent to a supplier."""

    __tablename__ = "purchasing_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft", index=True)
    order_date: Mapped[dt.date] = mapped_column()
    expected_date: Mapped[dt.date | None] = mapped_column()
    warehouse_id: Mapped[int | None] = mapped_column()
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.String(20), default="manual")
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()

    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="PurchaseOrderLine.position"
    )


class PurchaseOrderLine(PricedLine, Model):
    """A line of a purchase order; ``received_quantity`` is in the line's unit."""

    __tablename__ = "purchasing_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_order.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    received_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")

    @property
    def open_quantity(self) -> Decimal:
        return max(self.quantity - self.received_quantity, ZERO)

    @property
    def net_unit_price(self) -> Decimal:
        """Price per unit after the line discount, before tax."""
        return self.net / self.quantity if self.quantity else self.unit_price


class Receipt(TimestampMixin, Model):
    """Goods that arrived from a supplier, against an order or without one."""

    __tablename__ = "purchasing_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_supplier.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("purchasing_order.id"), index=True)
    warehouse_id: Mapped[int | None] = mapped_column()
    received_date: Mapped[dt.date] = mapped_column()
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: whether inventory recorded stock moves for it
    stock_tracked: Mapped[bool] = mapped_column(default=False)
    value: Mapped[Decimal] = mapped_column(default=ZERO)

    supplier: Mapped[Supplier] = relationship()
    order: Mapped[PurchaseOrder | None] = relationship()
    lines: Mapped[list[ReceiptLine]] = relationship(
        back_populates="receipt", cascade="all, delete-orphan", order_by="ReceiptLine.id"
    )


class ReceiptLine(Model):
    """A received line at its real cost per unit; ``billed_quantity`` is in the line's unit."""

    __tablename__ = "purchasing_receipt_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_receipt.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("purchasing_order_line.id"), index=True
    )
    product_id: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    unit_factor: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost)
    value: Mapped[Decimal] = mapped_column(default=ZERO)
    billed_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)

    receipt: Mapped[Receipt] = relationship(back_populates="lines")
    order_line: Mapped[PurchaseOrderLine | None] = relationship()

    @property
    def unbilled_quantity(self) -> Decimal:
        return max(self.quantity - self.billed_quantity, ZERO)


class Bill(DocumentTotals, TimestampMixin, Model):
    """A supplier's bill (invoice): what the business owes for received goods."""

    __tablename__ = "purchasing_bill"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    supplier_reference: Mapped[str] = mapped_column(sa.String(60), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="draft", index=True)
    bill_date: Mapped[dt.date] = mapped_column()
    #: the supplier's Faktur Pajak (digits) and its date: with them the bill's PPN is
    #: creditable input tax (PPN Masukan); empty until the supplier sends it
    tax_invoice_number: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    tax_invoice_date: Mapped[dt.date | None] = mapped_column()
    due_date: Mapped[dt.date] = mapped_column(index=True)
    amount_paid: Mapped[Decimal] = mapped_column(default=ZERO)
    #: the total of debit notes (returns) against this bill
    amount_returned: Mapped[Decimal] = mapped_column(default=ZERO)
    #: three-way check findings (ordered vs received vs billed), shown on the bill
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    posted_at: Mapped[dt.datetime | None] = mapped_column()

    lines: Mapped[list[BillLine]] = relationship(
        back_populates="bill", cascade="all, delete-orphan", order_by="BillLine.id"
    )
    payments: Mapped[list[SupplierPayment]] = relationship(
        back_populates="bill", order_by="SupplierPayment.id"
    )

    @property
    def amount_open(self) -> Decimal:
        return self.total - self.amount_paid - self.amount_returned


class BillLine(PricedLine, Model):
    """A billed line, usually for (part of) a receipt line."""

    __tablename__ = "purchasing_bill_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_bill.id"), index=True)
    receipt_line_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("purchasing_receipt_line.id"), index=True
    )
    returned_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)

    bill: Mapped[Bill] = relationship(back_populates="lines")
    receipt_line: Mapped[ReceiptLine | None] = relationship()


class SupplierPayment(TimestampMixin, Model):
    """Money paid to a supplier against a bill, from a cash or bank account."""

    __tablename__ = "purchasing_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    bill_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_bill.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_supplier.id"), index=True)
    amount: Mapped[Decimal] = mapped_column()
    method: Mapped[str] = mapped_column(sa.String(20))
    #: the cash or bank account code the money came from (``1-1100``, ``1-1200``)
    account: Mapped[str] = mapped_column(sa.String(20))
    paid_date: Mapped[dt.date] = mapped_column()
    reference: Mapped[str] = mapped_column(sa.String(80), default="")

    bill: Mapped[Bill] = relationship(back_populates="payments")


class SupplierReturn(DocumentTotals, TimestampMixin, Model):
    """Goods sent back to a supplier; its amounts form a debit note against the bill."""

    __tablename__ = "purchasing_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    bill_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_bill.id"), index=True)
    warehouse_id: Mapped[int | None] = mapped_column()
    return_date: Mapped[dt.date] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    stock_tracked: Mapped[bool] = mapped_column(default=False)

    bill: Mapped[Bill] = relationship()
    lines: Mapped[list[SupplierReturnLine]] = relationship(
        back_populates="supplier_return",
        cascade="all, delete-orphan",
        order_by="SupplierReturnLine.id",
    )


class SupplierReturnLine(Model):
    """A returned quantity of a bill line, valued at the billed price."""

    __tablename__ = "purchasing_return_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_return.id"), index=True)
    bill_line_id: Mapped[int] = mapped_column(sa.ForeignKey("purchasing_bill_line.id"), index=True)
    product_id: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    unit_factor: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))
    unit_price: Mapped[Decimal] = mapped_column(UnitCost)
    discount: Mapped[Decimal] = mapped_column(default=ZERO)
    net: Mapped[Decimal] = mapped_column(default=ZERO)
    tax: Mapped[Decimal] = mapped_column(default=ZERO)
    total: Mapped[Decimal] = mapped_column(default=ZERO)

    supplier_return: Mapped[SupplierReturn] = relationship(back_populates="lines")
    bill_line: Mapped[BillLine] = relationship()
