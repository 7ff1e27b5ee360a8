"""Invoices and the money applied to them.

An invoice bills deliveries: one delivery on its own (:func:`invoice_delivery`, issued
at once when ``sales.invoice_each_delivery`` is on, so revenue lands with the cost of the
goods that left), or everything not yet invoiced once the whole order is delivered
(:func:`invoice_order`). The part of a line delivered is valued by the line rule; the
invoice that completes a line takes what is left of it, and order-level discounts are
shared by value, so all invoices of an order add up to the order. Money reaches an invoice from a
person (a manual payment), the counter (a POS sale) or the payments plugin
(``payments_paid``); each is a :class:`Payment` row, unique per (source, external id), so
the same payment is never applied twice. Money paid on an order before it is invoiced waits
on the order and is applied when the invoice is issued.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from niaga.clock import shop_today
from niaga.contracts import Document, PaymentInfo
from niaga.errors import Conflict, Invalid, NotFound
from niaga.l10n import format_money
from niaga.money import ZERO, distribute, round_quantity, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_sales.config import document_number, pending_number, setting
from niaga_sales.documents import invoice_document, parse_reference, reference
from niaga_sales.models import (
    CANCELLED,
    DELIVERED,
    INVOICED,
    PAID,
    Customer,
    Delivery,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Payment,
)
from niaga_sales.orders import follow_invoices, get_order
from niaga_sales.pricing import amounts_of, apply_totals

CENT = Decimal("0.01")
METHODS = ("cash", "bank_transfer", "virtual_account", "ewallet", "qris", "card", "cod")
LINE_FIELDS = (
    "position",
    "kind",
    "product_id",
    "description",
    "quantity",
    "unit",
    "base_quantity",
    "unit_price",
    "discount_percent",
    "discount",
    "net",
    "tax_rate",
    "tax_base",
    "tax",
    "total",
    "source",
    "reference",
)


def adjustment_share(
    line: Any, covered: Decimal, whole: Decimal, earlier_net: Decimal, earlier_tax: Decimal
) -> dict[str, Any]:
    """The fields of the part of order-level ``line`` (a discount or voucher) that falls on
    a document, by value: the documents so far cover ``covered`` of the ``whole`` item net
    (this one included) and earlier ones took ``earlier_net`` and ``earlier_tax`` of it.
    Counting cumulatively with :func:`niaga.money.distribute` makes the parts add up to the
    line exactly once everything is covered."""
    weights = [covered, whole - covered]
    net = distribute(line.net, weights)[0] - earlier_net
    tax = distribute(line.tax, weights)[0] - earlier_tax
    fields = {f: getattr(line, f) for f in LINE_FIELDS}
    fields.update(unit_price=net, discount=ZERO, net=net, tax=tax, total=net + tax)
    return fields


def get_invoice(
    session: Session, invoice_id: int, lock: bool = False, with_order: bool = False
) -> Invoice:
    """The invoice, optionally locked for update and read with its lines and its order in
    the same statement (what settling a payment looks at)."""
    statement = sa.select(Invoice).where(Invoice.id == invoice_id)
    if lock:
        statement = statement.with_for_update(of=Invoice)
    if with_order:
        statement = statement.options(joinedload(Invoice.lines), joinedload(Invoice.order))
    invoice = session.scalars(statement).unique().one_or_none()
    if invoice is None:
        raise NotFound("Invoice {id} not found", id=invoice_id)
    return invoice


def new_invoice(
    session: Session,
    customer: Customer,
    lines: list[Any],
    day: dt.date | None = None,
    order: Order | None = None,
    data: dict[str, Any] | None = None,
) -> Invoice:
    """An invoice copying priced ``lines`` (order lines or new line models), of ``order``
    when given; not issued yet, not written yet and without its number: the caller draws
    it last, with :func:`issue_number`, which writes the invoice with it."""
    day = day or shop_today(session)
    invoice = Invoice(
        number=pending_number(),
        customer=customer,
        invoice_date=day,
        due_date=day + dt.timedelta(days=customer.payment_terms_days or 0),
        data=data or {},
    )
    if order is not None:  # written with the invoice, not updated after it
        invoice.order = order
        invoice.prices_include_tax = order.prices_include_tax
    for line in lines:
        invoice.lines.append(InvoiceLine(**{f: getattr(line, f) for f in LINE_FIELDS}))
    apply_totals(invoice, invoice.lines)
    session.add(invoice)
    return invoice


def issue_number(session: Session, invoice: Invoice, kind: str = "invoice") -> None:
    """Give ``invoice`` its number from the gapless series (``invoice`` or ``pos_sale``);
    the series stays locked until the transaction ends, so this comes after the lines."""
    invoice.number = document_number(session, kind, invoice.invoice_date)
    session.flush()


def invoice_order(session: Session, order_id: int) -> Invoice:
    """Invoice what is delivered and not invoiced yet of a fully delivered order; money
    already paid on it is applied at once."""
    order = get_order(session, order_id, lock=True, load=("lines", "invoices"))
    if order.state != DELIVERED:
        raise Conflict(
            "Order {number} is {state}; it is invoiced once everything is delivered",
            number=order.number,
            state=order.state,
        )
    billed = invoiced_deliveries(order)
    pending = [d for d in order.deliveries if d.state == "delivered" and d.id not in billed]
    return _invoice_deliveries(session, order, pending)


def invoice_delivery(session: Session, delivery_id: int) -> Invoice:
    """Invoice one delivered delivery on its own (the rest of the order may follow)."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound("Delivery {id} not found", id=delivery_id)
    order = get_order(session, delivery.order_id, lock=True, load=("lines", "invoices"))
    if delivery.state != "delivered":
        raise Conflict(
            "Delivery {number} is {state}; only delivered goods are invoiced",
            number=delivery.number,
            state=delivery.state,
        )
    if order.state in (INVOICED, PAID) or delivery.id in invoiced_deliveries(order):
        raise Conflict("Delivery {number} is already invoiced", number=delivery.number)
    return _invoice_deliveries(session, order, [delivery])


def invoice_each_delivery(session: Session) -> bool:
    """Whether a delivery is invoiced as soon as it is delivered."""
    return bool(setting(session, "invoice_each_delivery"))


def invoiced_deliveries(order: Order) -> set[int]:
    """Ids of the deliveries of ``order`` some invoice bills."""
    return {
        ident for invoice in order.invoices for ident in (invoice.data or {}).get("deliveries", ())
    }


def _invoice_deliveries(session: Session, order: Order, deliveries: list[Delivery]) -> Invoice:
    """The invoice of ``deliveries`` of ``order``: their goods and a share of the order's
    discounts; issued, numbered, announced, and prepaid money applied."""
    billed: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * 5)
    for invoice in order.invoices:
        for line in invoice.lines:
            sums = billed[line.position]
            for i, value in enumerate(
                (line.quantity, line.base_quantity, line.discount, line.net, line.tax)
            ):
                sums[i] += value
    carried: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for delivery in deliveries:
        for item in delivery.lines:
            carried[item.order_line_id][0] += item.quantity
            carried[item.order_line_id][1] += item.base_quantity
    items = [line for line in order.lines if line.kind == "item"]
    lines = [
        _billed_line(line, *carried[line.id], billed[line.position], order.prices_include_tax)
        for line in items
        if line.id in carried
    ]
    if not lines:
        raise Conflict(
            "Nothing delivered on order {number} is left to invoice", number=order.number
        )
    whole = sum((line.net for line in items), ZERO)
    covered = sum((billed[line.position][3] for line in items), ZERO) + sum(
        (line.net for line in lines), ZERO
    )
    for line in order.lines:
        if line.kind == "adjustment":
            earlier = billed[line.position]
            share = adjustment_share(line, covered, whole, earlier[3], earlier[4])
            if share["net"] or share["tax"]:
                lines.append(InvoiceLine(**share))
    invoice = new_invoice(
        session,
        order.customer,
        lines,
        order=order,
        data={"deliveries": sorted(d.id for d in deliveries)},
    )
    last = order.state == DELIVERED and all(
        d.id in invoiced_deliveries(order) for d in order.deliveries if d.state == "delivered"
    )
    if last:
        order.state = INVOICED
    issue_number(session, invoice)
    hooks().sales_invoice_issued(session=session, invoice=invoice_document(invoice))
    waiting = session.scalars(
        sa.select(Payment)
        .where(Payment.order_id == order.id, Payment.invoice_id.is_(None))
        .order_by(Payment.id)
    ).all()
    for payment in waiting:
        # money paid ahead goes to the invoices as they come; the last one takes the rest
        if last or payment.amount <= invoice.open_amount:
            payment.invoice_id = invoice.id
            _applied(session, invoice, payment)
    return invoice


def _billed_line(
    line: OrderLine, quantity: Decimal, base: Decimal, billed: list[Decimal], gross: bool
) -> InvoiceLine:
    """The invoice line for ``quantity`` (``base`` in the base unit) of order ``line``,
    which earlier invoices billed ``billed`` (quantity, base, discount, net, tax) of."""
    fields = {f: getattr(line, f) for f in LINE_FIELDS}
    fields.update(quantity=quantity, base_quantity=base)
    if billed[1] + base >= line.base_quantity:
        # the last part takes what is left, so the invoices add up to the line exactly
        fields.update(
            quantity=round_quantity(line.quantity - billed[0]),
            discount=line.discount - billed[2],
            net=line.net - billed[3],
            tax=line.tax - billed[4],
        )
    else:
        amounts = amounts_of(InvoiceLine(**fields), gross)
        fields.update(discount=amounts.discount, net=amounts.net, tax=amounts.tax)
    fields["total"] = fields["net"] + fields["tax"]
    return InvoiceLine(**fields)


def record_payment(
    session: Session,
    invoice_id: int,
    amount: Any,
    method: str,
    *,
    source: str = "manual",
    external_id: str | None = None,
    fee: Any = ZERO,
    gateway: str = "",
    account: str | None = None,
    allow_overpay: bool = False,
) -> Payment:
    """Apply money to an invoice and raise ``sales_invoice_paid``."""
    invoice = get_invoice(session, invoice_id, lock=True, with_order=True)
    amount = round_rupiah(to_decimal(amount))
    if method not in METHODS:
        raise Invalid(
            "Unknown payment method {method}", method=method, fields={"method": ["Unknown"]}
        )
    if amount <= 0:
        raise Invalid("A payment must be more than zero", fields={"amount": ["> 0"]})
    if not allow_overpay and amount > invoice.open_amount:
        raise Conflict(
            "Invoice {number} has only {open} open",
            number=invoice.number,
            open=format_money(invoice.open_amount),
        )
    payment = Payment(
        source=source,
        external_id=external_id or _new_key(source, invoice),
        invoice_id=invoice.id,
        order_id=invoice.order_id,
        amount=amount,
        method=method,
        fee=to_decimal(fee),
        gateway=gateway,
        account=account,
    )
    session.add(payment)
    session.flush()
    _applied(session, invoice, payment)
    return payment


def _new_key(source: str, invoice: Invoice) -> str:
    """A unique ``external_id`` for money recorded here rather than sent by a gateway: two
    payments on one invoice in the same instant (or under a stopped clock) never collide."""
    return f"{source}:{invoice.id}:{uuid.uuid4().hex}"


def refund_credit(
    session: Session, invoice_id: int, amount: Any, method: str, account: str | None = None
) -> Payment:
    """Pay back a customer who is in credit on an invoice (paid, then goods returned, or
    paid too much): recorded as a payment the other way (a negative amount) and raised as
    ``sales_invoice_paid`` with that amount, so the books pay the money out of the method's
    account and clear the customer's credit. More than the credit is refused."""
    invoice = get_invoice(session, invoice_id, lock=True)
    amount = round_rupiah(to_decimal(amount))
    credit = invoice.credit_amount
    if method not in METHODS:
        raise Invalid(
            "Unknown payment method {method}", method=method, fields={"method": ["Unknown"]}
        )
    if amount <= 0:
        raise Invalid("A refund must be more than zero", fields={"amount": ["> 0"]})
    if credit <= 0:
        raise Conflict("The customer has no credit on invoice {number}", number=invoice.number)
    if amount > credit:
        raise Conflict(
            "A refund of {amount} is more than the {credit} credit on invoice {number}",
            amount=format_money(amount),
            credit=format_money(credit),
            number=invoice.number,
        )
    payment = Payment(
        source="refund",
        external_id=_new_key("refund", invoice),
        invoice_id=invoice.id,
        order_id=invoice.order_id,
        amount=-amount,
        method=method,
        account=account,
    )
    session.add(payment)
    session.flush()
    _applied(session, invoice, payment)
    return payment


def _applied(session: Session, invoice: Invoice, payment: Payment) -> None:
    invoice.paid_amount += payment.amount
    settle(invoice)
    if invoice.order is not None:
        follow_invoices(invoice.order)
    session.flush()
    hooks().sales_invoice_paid(
        session=session, invoice=invoice_document(invoice), payment=payment_info(invoice, payment)
    )


def refund_external_payment(session: Session, payment: Any, amount: Any) -> Payment | None:
    """A payments-plugin refund of money that was applied here (a paid-twice payment, or
    money given back after a return): a negative payment on the same invoice, raised as
    ``sales_invoice_paid`` so the books pay it out of the gateway's account against the
    receivable. ``None`` when the refunded payment was not applied to a sales document."""
    applied = session.scalar(
        sa.select(Payment).where(
            Payment.source == "payments", Payment.external_id == str(payment.id)
        )
    )
    if applied is None:
        return None
    given_back = -round_rupiah(to_decimal(amount))
    earlier = session.scalar(
        sa.select(sa.func.count()).where(
            Payment.source == "payments", Payment.external_id.like(f"{payment.id}:refund:%")
        )
    )
    refund = Payment(
        source="payments",
        external_id=f"{payment.id}:refund:{earlier + 1}",
        invoice_id=applied.invoice_id,
        order_id=applied.order_id,
        amount=given_back,
        method=applied.method,
        gateway=applied.gateway,
        account=applied.account,
    )
    session.add(refund)
    session.flush()
    if applied.invoice_id is not None:
        _applied(session, get_invoice(session, applied.invoice_id, lock=True), refund)
    return refund


def settle(invoice: Invoice) -> None:
    """Mark an invoice paid when nothing is open on it any more."""
    invoice.state = "paid" if invoice.open_amount == 0 else "open"


def payment_info(invoice: Invoice, payment: Payment) -> PaymentInfo:
    return PaymentInfo(
        id=payment.id,
        target=reference("invoice", invoice.id),
        amount=payment.amount,
        method=payment.method,
        status="paid",
        occurred_at=payment.occurred_at,
        fee=payment.fee,
        gateway=payment.gateway,
        account=payment.account,
    )


def paid_invoices(session: Session) -> list[Document]:
    """The invoices nothing is left to pay on, oldest first, as documents."""
    found = session.scalars(sa.select(Invoice).order_by(Invoice.id))
    return [invoice_document(invoice) for invoice in found if invoice.open_amount == 0]


def receivables(session: Session) -> dict[str, Decimal]:
    """What is owed per invoice reference (negative when overpaid), settled ones left out."""
    owed = Invoice.total - Invoice.paid_amount - Invoice.credited_amount
    rows = session.execute(sa.select(Invoice.id, owed).where(owed != 0).order_by(Invoice.id))
    return {
        reference("invoice", ident): to_decimal(str(amount)).quantize(CENT)
        for ident, amount in rows
    }


#: Money paid on an order before it was invoiced (parameter ``order_id``).
_PREPAID = sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
    Payment.order_id == sa.bindparam("order_id"), Payment.invoice_id.is_(None)
)


def amount_due(session: Session, ref: str) -> Decimal | None:
    """What is owed on ``sales.invoice:<id>`` or ``sales.order:<id>``; ``None`` otherwise."""
    parsed = parse_reference(ref)
    if parsed is None:
        return None
    kind, ident = parsed
    if kind == "invoice":
        invoice = session.get(Invoice, ident)
        return None if invoice is None else invoice.open_amount
    if kind == "order":
        order = session.get(Order, ident)
        if order is None:
            return None
        if order.state == CANCELLED:
            return ZERO
        prepaid = session.scalar(_PREPAID, {"order_id": order.id})
        # the open invoices, and what is not invoiced yet less the money waiting for it
        invoiced = sum((invoice.total for invoice in order.invoices), ZERO)
        open_invoices = sum((invoice.open_amount for invoice in order.invoices), ZERO)
        return open_invoices + max(ZERO, order.total - invoiced - Decimal(prepaid))
    return None


def apply_external_payment(session: Session, payment: Any) -> Payment | None:
    """Apply a payments-plugin payment to the invoice or order it names, exactly once."""
    parsed = parse_reference(payment.target)
    if parsed is None or parsed[0] not in ("invoice", "order"):
        return None
    external_id = str(payment.id)
    existing = session.scalar(
        sa.select(Payment).where(Payment.source == "payments", Payment.external_id == external_id)
    )
    if existing is not None:
        return existing
    kind, ident = parsed
    common = {
        "source": "payments",
        "external_id": external_id,
        "fee": to_decimal(payment.fee),
        "gateway": payment.gateway,
        "account": payment.account,
        "allow_overpay": True,
    }
    if kind == "invoice":
        return record_payment(session, ident, payment.amount, payment.method, **common)
    order = get_order(session, ident, lock=True)
    open_invoice = next((i for i in order.invoices if i.open_amount > 0), None) or next(
        iter(order.invoices), None
    )
    if open_invoice is not None:
        return record_payment(session, open_invoice.id, payment.amount, payment.method, **common)
    # Not invoiced yet: the money waits on the order (applied when the invoice is issued).
    waiting = Payment(
        source="payments",
        external_id=external_id,
        order_id=order.id,
        amount=round_rupiah(to_decimal(payment.amount)),
        method=payment.method,
        fee=to_decimal(payment.fee),
        gateway=payment.gateway,
        account=payment.account,
    )
    session.add(waiting)
    session.flush()
    return waiting
