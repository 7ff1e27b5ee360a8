"""Tables of the sales plugin, all prefixed ``sales_``.

Orders, invoices and credit notes share one line shape (:class:`LineColumns`): quantity in
the unit sold and in the product's base unit, unit price, line discount, net, PPN rate and
tax base, tax and total. Totals are stored and always equal the sum of the rounded lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from niaga.db import Model, Quantity, TimestampMixin, utcnow

ZERO = Decimal("0")

#: Order states, in the order an order normally moves through them.
DRAFT = "draft"
CONFIRMED = "confirmed"
PARTIALLY_DELIVERED = "partially_delivered"
DELIVERED = "delivered"
INVOICED = "invoiced"
PAID = "paid"
CANCELLED = "cancelled"
ORDER_STATES = (DRAFT, CONFIRMED, PARTIALLY_DELIVERED, DELIVERED, INVOICED, PAID, CANCELLED)


class PriceList(TimestampMixin, Model):
    """Prices for a customer group, with quantity breaks."""

    __tablename__ = "sales_price_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)

    items: Mapped[list[PriceListItem]] = relationship(
        back_populates="price_list", cascade="all, delete-orphan", order_by="PriceListItem.id"
    )


class PriceListItem(Model):
    """A price of a product per ``unit`` from ``min_quantity`` (in that unit) upwards."""

    __tablename__ = "sales_price_list_item"
    __table_args__ = (sa.UniqueConstraint("price_list_id", "product_id", "unit", "min_quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_price_list.id"), index=True)
    product_id: Mapped[int] = mapped_column(index=True)
    unit: Mapped[str] = mapped_column(sa.String(20))
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("1"))
    price: Mapped[Decimal]

    price_list: Mapped[PriceList] = relationship(back_populates="items")


class CustomerGroup(TimestampMixin, Model):
    """Retail, grosir (wholesale), ...: decides the price list."""

    __tablename__ = "sales_customer_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    price_list_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_price_list.id"))

    price_list: Mapped[PriceList | None] = relationship()


class Customer(TimestampMixin, Model):
    """A retailer (the distributor's downline) or the walk-in customer of the counter."""

    __tablename__ = "sales_customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    shop_name: Mapped[str] = mapped_column(sa.String(120))
    owner_name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    address: Mapped[str] = mapped_column(sa.String(400), default="")
    area: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_customer_group.id"))
    #: ``None``: no limit; 0: cash only.
    credit_limit: Mapped[Decimal | None]
    payment_terms_days: Mapped[int] = mapped_column(default=0)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"), unique=True)
    walk_in: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # The buyer as the tax office knows them (Faktur Pajak, Coretax); digits only, checked
    # by niaga.tax_ids. ``tax_name``/``tax_address`` empty: the shop name and address.
    npwp: Mapped[str | None] = mapped_column(sa.String(16))
    nik: Mapped[str | None] = mapped_column(sa.String(16))
    nitku: Mapped[str | None] = mapped_column(sa.String(22))
    tax_name: Mapped[str | None] = mapped_column(sa.String(120))
    tax_address: Mapped[str | None] = mapped_column(sa.String(400))
    # Where the shop is (WGS84 degrees), as the retailer gave it when registering.
    latitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    #: the salesperson who looks after this retailer (visits it, takes its orders)
    salesperson_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sales_salesperson.id"), index=True
    )

    group: Mapped[CustomerGroup | None] = relationship(lazy="joined")


class Salesperson(TimestampMixin, Model):
    """Someone who takes orders at the retailers' shops. A record of its own (not only a
    permission) so that retailers and targets have a name to hang on before, and after,
    the person has a login; ``user_id`` links the login that takes orders as them."""

    __tablename__ = "sales_salesperson"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class SalesTarget(TimestampMixin, Model):
    """What a salesperson should sell in a month (net sales before PPN, as the analysis
    counts them); ``month`` is the first day of the month."""

    __tablename__ = "sales_target"
    __table_args__ = (sa.UniqueConstraint("salesperson_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    salesperson_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_salesperson.id"), index=True)
    month: Mapped[dt.date] = mapped_column(sa.Date)
    amount: Mapped[Decimal]

    salesperson: Mapped[Salesperson] = relationship(lazy="joined")


class Invitation(Model):
    """A link that lets a retailer set the password of a portal login for an existing
    customer. Only the SHA-256 of the link's secret is kept; it works once, until
    ``expires_at``."""

    __tablename__ = "sales_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_customer.id"), index=True)
    #: the login the retailer will have (normalised: ``08...``, lower-case e-mail)
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    accepted_at: Mapped[dt.datetime | None]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"))

    customer: Mapped[Customer] = relationship()


#: Registration states.
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class Registration(TimestampMixin, Model):
    """A shop that signed up in the portal, waiting for staff to approve it. The login is
    made on approval (from ``password_hash``, which is then cleared), so a rejected sign-up
    leaves no account behind."""

    __tablename__ = "sales_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_name: Mapped[str] = mapped_column(sa.String(120))
    owner_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(30), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(400), default="")
    area: Mapped[str] = mapped_column(sa.String(80), default="")
    npwp: Mapped[str | None] = mapped_column(sa.String(16))
    nik: Mapped[str | None] = mapped_column(sa.String(16))
    latitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    password_hash: Mapped[str] = mapped_column(sa.String(200), default="")
    state: Mapped[str] = mapped_column(sa.String(12), default=PENDING, index=True)
    reason: Mapped[str] = mapped_column(sa.String(400), default="")
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_customer.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"))
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("core_user.id"))
    decided_at: Mapped[dt.datetime | None]


class LineColumns:
    """The columns every priced document line has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    #: ``item`` (goods) or ``adjustment`` (an order-level discount, from us or a plugin)
    kind: Mapped[str] = mapped_column(sa.String(12), default="item")
    product_id: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(sa.String(20))
    #: the quantity in the product's base unit (what stock moves in)
    base_quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal]
    discount_percent: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4), default=ZERO)
    #: rupiah taken off by the line discount
    discount: Mapped[Decimal] = mapped_column(default=ZERO)
    net: Mapped[Decimal]
    tax_rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4), default=ZERO)
    #: the tax base as a fraction of the net, e.g. ``11/12``
    tax_base: Mapped[str] = mapped_column(sa.String(12), default="1")
    tax: Mapped[Decimal] = mapped_column(default=ZERO)
    total: Mapped[Decimal]
    #: for adjustments: who contributed it (``sales``, ``loyalty``) and their reference
    source: Mapped[str] = mapped_column(sa.String(40), default="")
    reference: Mapped[str] = mapped_column(sa.String(120), default="")


class TotalsColumns:
    """Stored totals of a priced document (the sums of its rounded lines)."""

    subtotal: Mapped[Decimal] = mapped_column(default=ZERO)
    discount: Mapped[Decimal] = mapped_column(default=ZERO)
    tax: Mapped[Decimal] = mapped_column(default=ZERO)
    total: Mapped[Decimal] = mapped_column(default=ZERO)
    prices_include_tax: Mapped[bool] = mapped_column(default=False)


class Order(TimestampMixin, TotalsColumns, Model):
    """A sales order from a retailer (portal, API) or taken by staff."""

    __tablename__ = "sales_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_customer.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(20), default=DRAFT, index=True)
    order_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    source: Mapped[str] = mapped_column(sa.String(12), default="admin")
    #: order discount in rupiah (before tax), applied as an adjustment line
    discount_amount: Mapped[Decimal] = mapped_column(default=ZERO)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    stock_reserved: Mapped[bool] = mapped_column(default=False)
    #: the inventory warehouse the goods are reserved in and leave from (``None``: the
    #: default warehouse); returns of its invoices go back there
    warehouse_id: Mapped[int | None] = mapped_column(index=True)
    #: who took the order at the retailer's shop
    salesperson_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sales_salesperson.id"), index=True
    )
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()

    customer: Mapped[Customer] = relationship(lazy="joined")
    salesperson: Mapped[Salesperson | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.position"
    )
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="order", order_by="Delivery.id"
    )
    invoices: Mapped[list[Invoice]] = relationship(back_populates="order", order_by="Invoice.id")


class OrderLine(LineColumns, Model):
    """A line of an order; ``delivered_base_quantity`` follows the deliveries."""

    __tablename__ = "sales_order_line"

    order_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_order.id"), index=True)
    delivered_base_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)

    order: Mapped[Order] = relationship(back_populates="lines")


class Delivery(TimestampMixin, Model):
    """A delivery order (surat jalan): picking → packed → delivered, or cancelled."""

    __tablename__ = "sales_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_order.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(12), default="picking")
    driver: Mapped[str] = mapped_column(sa.String(80), default="")
    vehicle: Mapped[str] = mapped_column(sa.String(40), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    delivered_at: Mapped[dt.datetime | None] = mapped_column()

    order: Mapped[Order] = relationship(back_populates="deliveries")
    lines: Mapped[list[DeliveryLine]] = relationship(
        back_populates="delivery", cascade="all, delete-orphan", order_by="DeliveryLine.id"
    )


class DeliveryLine(Model):
    """What one delivery carries of one order line."""

    __tablename__ = "sales_delivery_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_delivery.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_order_line.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    base_quantity: Mapped[Decimal] = mapped_column(Quantity)

    delivery: Mapped[Delivery] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship(lazy="joined")


class Invoice(TimestampMixin, TotalsColumns, Model):
    """An invoice (faktur): from an order, or a POS sale (issued and paid at once)."""

    __tablename__ = "sales_invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_customer.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_order.id"), index=True)
    invoice_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    due_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    paid_amount: Mapped[Decimal] = mapped_column(default=ZERO)
    credited_amount: Mapped[Decimal] = mapped_column(default=ZERO)
    #: open or paid
    state: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    customer: Mapped[Customer] = relationship(lazy="joined")
    order: Mapped[Order | None] = relationship(back_populates="invoices")
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )

    @property
    def open_amount(self) -> Decimal:
        """What the customer still owes on this invoice (never below zero)."""
        return max(ZERO, self.total - self.paid_amount - self.credited_amount)

    @property
    def credit_amount(self) -> Decimal:
        """What the shop owes the customer on this invoice (paid, then goods returned, or
        paid too much); zero when the customer is not in credit."""
        return max(ZERO, self.paid_amount + self.credited_amount - self.total)


class InvoiceLine(LineColumns, Model):
    """A line of an invoice; ``returned_base_quantity`` follows the credit notes."""

    __tablename__ = "sales_invoice_line"

    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_invoice.id"), index=True)
    returned_base_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(Model):
    """Money applied to an invoice (or to an order not invoiced yet). Append-only.

    ``(source, external_id)`` is unique, so a payment from the payments plugin is applied
    exactly once however often its event arrives.
    """

    __tablename__ = "sales_payment"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20))
    external_id: Mapped[str] = mapped_column(sa.String(80))
    invoice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_invoice.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_order.id"), index=True)
    amount: Mapped[Decimal]
    method: Mapped[str] = mapped_column(sa.String(20))
    fee: Mapped[Decimal] = mapped_column(default=ZERO)
    gateway: Mapped[str] = mapped_column(sa.String(40), default="")
    account: Mapped[str | None] = mapped_column(sa.String(20))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CreditNote(TimestampMixin, TotalsColumns, Model):
    """A return against an invoice: stock comes back, the receivable goes down."""

    __tablename__ = "sales_credit_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_invoice.id"), index=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_customer.id"), index=True)
    note_date: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(200), default="")

    invoice: Mapped[Invoice] = relationship()
    customer: Mapped[Customer] = relationship(lazy="joined")
    lines: Mapped[list[CreditNoteLine]] = relationship(
        back_populates="credit_note", cascade="all, delete-orphan", order_by="CreditNoteLine.id"
    )


class CreditNoteLine(LineColumns, Model):
    """A returned quantity of an invoice line, valued like that line."""

    __tablename__ = "sales_credit_note_line"

    credit_note_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_credit_note.id"), index=True)
    invoice_line_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_invoice_line.id"))

    credit_note: Mapped[CreditNote] = relationship(back_populates="lines")


class PosSession(Model):
    """A cashier's shift at the counter: opening float, sales, counted cash at close."""

    __tablename__ = "sales_pos_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    cashier_id: Mapped[int] = mapped_column(sa.ForeignKey("core_user.id"), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opening_cash: Mapped[Decimal] = mapped_column(default=ZERO)
    #: the warehouse the counter sells from (``None``: the default warehouse)
    warehouse_id: Mapped[int | None] = mapped_column()
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    expected_cash: Mapped[Decimal | None]
    counted_cash: Mapped[Decimal | None]
    difference: Mapped[Decimal | None]
    state: Mapped[str] = mapped_column(sa.String(10), default="open", index=True)


class PosSale(Model):
    """A counter sale. ``client_ref`` is the id the device gave it, unique, so an offline
    sale replayed any number of times is recorded once."""

    __tablename__ = "sales_pos_sale"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_ref: Mapped[str] = mapped_column(sa.String(80), unique=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_pos_session.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sales_invoice.id"))
    method: Mapped[str] = mapped_column(sa.String(20), default="cash")
    received: Mapped[Decimal] = mapped_column(default=ZERO)
    change: Mapped[Decimal] = mapped_column(default=ZERO)
    sold_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[PosSession] = relationship()
    invoice: Mapped[Invoice | None] = relationship(lazy="joined")
