"""The point of sale: cashier sessions and counter sales.

A POS sale is an invoice to the walk-in customer (or a named one), paid at once. Stock is
issued directly (reference ``sales.pos_sale:<id>``) from the session's warehouse. The
device gives every sale a ``client_ref``; it is unique, so a sale kept offline and
replayed any number of times is recorded once, even without an ``Idempotency-Key``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_date, shop_now, shop_today, to_shop_time
from niaga.db import utcnow
from niaga.errors import Conflict, Invalid, NotFound, Refused
from niaga.i18n import gettext, pgettext
from niaga.l10n import format_money
from niaga.money import ZERO, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_sales import branches
from niaga_sales.config import tax_policy
from niaga_sales.customers import get_customer, walk_in
from niaga_sales.documents import invoice_document, reference
from niaga_sales.invoices import METHODS, issue_number, new_invoice, record_payment
from niaga_sales.models import Invoice, InvoiceLine, Payment, PosSale, PosSession
from niaga_sales.pricing import price_lines


def open_session(
    session: Session, cashier_id: int, opening_cash: Any = ZERO, warehouse_id: int | None = None
) -> PosSession:
    """Open the cashier's session with the float counted into the drawer, selling from
    ``warehouse_id`` (the default warehouse when None)."""
    if current_session(session, cashier_id) is not None:
        raise Conflict("You already have an open cashier session")
    opening = to_decimal(opening_cash)
    if opening < 0:
        raise Invalid("Opening cash cannot be negative", fields={"opening_cash": [">= 0"]})
    pos_session = PosSession(
        cashier_id=cashier_id,
        opening_cash=opening,
        warehouse_id=branches.choose(session, warehouse_id),
    )
    session.add(pos_session)
    session.flush()
    return pos_session


def current_session(session: Session, cashier_id: int) -> PosSession | None:
    return session.scalar(
        sa.select(PosSession).where(PosSession.cashier_id == cashier_id, PosSession.state == "open")
    )


def get_session(session: Session, session_id: int, lock: bool = False) -> PosSession:
    statement = sa.select(PosSession).where(PosSession.id == session_id)
    found = session.scalar(statement.with_for_update(of=PosSession) if lock else statement)
    if found is None:
        raise NotFound("Cashier session {id} not found", id=session_id)
    return found


def session_summary(session: Session, pos_session: PosSession) -> dict[str, Any]:
    """Sales count, takings per method and the cash expected in the drawer."""
    rows = session.execute(
        sa.select(Payment.method, sa.func.count(), sa.func.sum(Payment.amount))
        .join(PosSale, PosSale.invoice_id == Payment.invoice_id)
        .where(PosSale.session_id == pos_session.id)
        .group_by(Payment.method)
    ).all()
    by_method = {method: Decimal(amount) for method, _, amount in rows}
    return {
        "sales": sum(count for _, count, _ in rows),
        "by_method": by_method,
        "expected_cash": pos_session.opening_cash + by_method.get("cash", ZERO),
    }


def close_session(session: Session, session_id: int, counted_cash: Any) -> PosSession:
    """Close with the cash counted in the drawer; the difference is recorded."""
    pos_session = get_session(session, session_id, lock=True)
    if pos_session.state != "open":
        raise Conflict("This cashier session is closed already")
    counted = to_decimal(counted_cash)
    if counted < 0:
        raise Invalid("Counted cash cannot be negative", fields={"counted_cash": [">= 0"]})
    pos_session.expected_cash = session_summary(session, pos_session)["expected_cash"]
    pos_session.counted_cash = counted
    pos_session.difference = counted - pos_session.expected_cash
    pos_session.closed_at = utcnow()
    pos_session.state = "closed"
    session.flush()
    return pos_session


#: A counter sale is dated from this year on, and at most this far ahead of the shop's
#: clock (a till whose clock runs a little fast is fine; the year 9999 is not).
FIRST_YEAR = 2000
AHEAD = dt.timedelta(days=1)


def sensible_sale_time(moment: dt.datetime, session: Session) -> bool:
    """Whether ``moment`` can be when a counter sale happened: from :data:`FIRST_YEAR`
    on and at most :data:`AHEAD` after the shop's clock (both on the shop's clock)."""
    now = shop_now(session)
    try:
        local = to_shop_time(moment, session)
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is past the end of the calendar
        return False
    return local.year >= FIRST_YEAR and local <= now + AHEAD


def counter_methods(session: Session) -> list[dict[str, str]]:
    """How a customer can pay at the counter: ``[{"method", "label", "hint"}]``. The
    payments plugin answers with cash and its enabled counter gateways (QRIS, bank
    transfer) and what to tell the customer; without it, the methods sales knows."""
    offered = hooks().payments_counter_methods(session=session)
    if offered:
        return [m for m in offered if m.get("method") in METHODS]
    return [
        {"method": "cash", "label": pgettext("payment method", "Cash"), "hint": ""},
        {"method": "qris", "label": "QRIS", "hint": ""},
        {"method": "ewallet", "label": gettext("E-wallet"), "hint": ""},
        {"method": "card", "label": gettext("Card"), "hint": ""},
        {"method": "bank_transfer", "label": gettext("Bank transfer"), "hint": ""},
    ]


def find_sale(session: Session, client_ref: str) -> PosSale | None:
    return session.scalar(sa.select(PosSale).where(PosSale.client_ref == client_ref))


def record_sale(
    session: Session,
    cashier_id: int,
    client_ref: str,
    lines: list[dict[str, Any]],
    method: str = "cash",
    received: Any = None,
    session_id: int | None = None,
    customer_id: int | None = None,
    sold_at: dt.datetime | None = None,
) -> tuple[PosSale, bool]:
    """Record a counter sale; returns ``(sale, created)``. A ``client_ref`` seen before
    returns the sale recorded then, unchanged."""
    existing = find_sale(session, client_ref)
    if existing is not None:
        return existing, False
    if method not in METHODS:
        raise Invalid(
            "Unknown payment method {method}", method=method, fields={"method": ["Unknown"]}
        )
    if not lines:
        raise Invalid("A sale needs at least one item", fields={"lines": ["At least one"]})
    if sold_at is not None and not sensible_sale_time(sold_at, session):
        raise Invalid(
            "A sale's time must be from the year {year} on and at most a day from now",
            code="sold_at_out_of_range",
            year=FIRST_YEAR,
            fields={"sold_at": ["Out of range"]},
        )
    pos_session = _session_for(session, cashier_id, session_id)
    sale = PosSale(
        client_ref=client_ref,
        session_id=pos_session.id,
        method=method,
        sold_at=sold_at or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(sale)
    except sa.exc.IntegrityError:  # the same sale arrived on another connection meanwhile
        found = find_sale(session, client_ref)
        assert found is not None
        return found, False
    customer = get_customer(session, customer_id) if customer_id else walk_in(session)
    policy = tax_policy(session)
    priced = price_lines(
        session, lines, lambda position: InvoiceLine(position=position), customer, policy, True
    )
    # dated on the business day of the sale (an offline sale sent the next morning
    # belongs to the day it was made), never later than today
    day = min(shop_date(sale.sold_at, session), shop_today(session))
    invoice = new_invoice(session, customer, priced, day=day)
    invoice.prices_include_tax = policy.prices_include_tax
    invoice.data = {"pos_sale": reference("pos_sale", sale.id), "client_ref": client_ref}
    sale.invoice = invoice
    _take_money(sale, invoice, method, received)
    stock = [
        StockLine(
            product_id=line.product_id,
            quantity=line.base_quantity,
            warehouse_id=pos_session.warehouse_id,
        )
        for line in invoice.lines
        if line.product_id is not None
    ]
    if stock:
        hooks().inventory_issue(
            session=session, reference=reference("pos_sale", sale.id), lines=stock, kind="issue"
        )
    session.flush()
    issue_number(session, invoice, "pos_sale")
    hooks().sales_invoice_issued(session=session, invoice=invoice_document(invoice))
    if invoice.total > 0:
        record_payment(
            session, invoice.id, invoice.total, method, source="pos", external_id=client_ref
        )
    return sale, True


def _session_for(session: Session, cashier_id: int, session_id: int | None) -> PosSession:
    """The session a sale belongs to: the one the device named (even if closed since, so
    an offline sale is never lost), else the cashier's open session."""
    if session_id is not None:
        found = get_session(session, session_id)
        if found.cashier_id != cashier_id:
            raise Refused("That cashier session belongs to someone else")
        return found
    found = current_session(session, cashier_id)
    if found is None:
        raise Refused("Open a cashier session first", code="no_session")
    return found


def _take_money(sale: PosSale, invoice: Invoice, method: str, received: Any) -> None:
    if method != "cash":
        sale.received, sale.change = invoice.total, ZERO
        return
    given = invoice.total if received is None else round_rupiah(to_decimal(received))
    if given < invoice.total:
        raise Refused(
            "Cash received {received} is less than the total {total}",
            code="not_enough_cash",
            received=format_money(given),
            total=format_money(invoice.total),
        )
    sale.received, sale.change = given, given - invoice.total
