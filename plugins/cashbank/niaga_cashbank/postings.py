"""Automatic postings: each business event of the other plugins becomes one balanced journal
entry, on the accounts its posting rules name (``chart.DEFAULT_RULES``, editable).

Every posting is idempotent per (event, key): the key is the document's reference, or the
payment / movement / stock-move ids when one document can cause several events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.audit import acting_as
from niaga.clock import shop_date, shop_today
from niaga.contracts import Document, PaymentInfo
from niaga.money import ZERO, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_cashbank import wording
from niaga_cashbank.chart import account_by_code
from niaga_cashbank.journal import CENT, Leg, post, rule_account
from niaga_cashbank.models import Account, JournalEntry, JournalLine

if TYPE_CHECKING:  # their types only: cash/bank works without inventory or loyalty
    from niaga_inventory.contracts import StockMove
    from niaga_loyalty.contracts import PointsMovement

#: stock-move kinds that post nothing (a transfer stays on the same account)
SILENT_STOCK_KINDS = {"transfer_in", "transfer_out"}
#: events posted on the accounts of another event's rule: points given for a gift leave
#: the liability for the promotion expense exactly as expiring points do
SHARED_RULES = {
    "loyalty_points_changed.redeem_gift": "loyalty_points_changed.expire",
    # a bill's price correction of goods on hand is more (or less) received stock
    "inventory_stock_moved.revaluation": "inventory_stock_moved.receipt",
}


def _auto(
    session: Session,
    *,
    event: str,
    key: str,
    date: dt.date,
    description: str,
    legs: list[Leg],
    reference: str,
) -> JournalEntry | None:
    with acting_as("plugin:cashbank"):
        return post(
            session,
            date=date,
            description=description,
            legs=legs,
            reference=reference,
            event=event,
            event_key=key,
            automatic=True,
        )


def _party(document: Document, kind: str) -> dict[str, Any]:
    return {"party_kind": kind, "party_id": document.party_id, "party_name": document.party_name}


def _party_leg(
    session: Session,
    event: str,
    slot: str,
    document: Document,
    kind: str,
    *,
    debit: Decimal = ZERO,
    credit: Decimal = ZERO,
    against: str | None = None,
) -> Leg:
    """A leg on a control account kept per party and per document (a receivable, a
    payable): ``against`` names the document it settles, by default ``document`` itself."""
    return Leg(
        rule_account(session, event, slot),
        debit=debit,
        credit=credit,
        document=against or document.reference,
        **_party(document, kind),
    )


def _day(session: Session, moment: dt.datetime | dt.date) -> dt.date:
    """The shop's business day of an event: an instant (stored in UTC) falls on the date it
    was where the shop is, so a payment at 00:30 WIB on 1 December is a December entry."""
    return shop_date(moment, session)


def payment_account(session: Session, payment: PaymentInfo) -> Account:
    """Where the money of ``payment`` sits: its own account code when given, else the
    account of its method."""
    if payment.account:
        return account_by_code(session, payment.account)
    return rule_account(session, "payment_method", payment.method or "cash")


# --- inventory ------------------------------------------------------------------------------


def stock_moved(session: Session, moves: list[StockMove]) -> list[JournalEntry]:
    """Post stock moves at cost, one entry per (reference, kind) of the call."""
    groups: dict[tuple[str, str], list[StockMove]] = defaultdict(list)
    for move in moves:
        if move.kind not in SILENT_STOCK_KINDS:
            groups[(move.reference, move.kind)].append(move)
    entries = []
    for (reference, kind), group in groups.items():
        event = f"inventory_stock_moved.{kind}"
        ids = ",".join(str(m.id) for m in sorted(group, key=lambda m: m.id))
        key = ids if len(ids) <= 150 else "sha1:" + hashlib.sha1(ids.encode()).hexdigest()
        value = sum((round_rupiah(to_decimal(m.value)) for m in group), ZERO)
        if kind in {"adjustment", "opening"}:
            difference = rule_account(session, event, "difference")
            inventory = rule_account(session, event, "inventory")
            legs = [Leg(inventory, debit=value), Leg(difference, credit=value)]
        elif event in SHARED_RULES:  # signed: a lower bill price takes value out
            rule = SHARED_RULES[event]
            legs = [
                Leg(rule_account(session, rule, "debit"), debit=value),
                Leg(rule_account(session, rule, "credit"), credit=value),
            ]
        else:
            amount = abs(value)
            legs = [
                Leg(rule_account(session, event, "debit"), debit=amount),
                Leg(rule_account(session, event, "credit"), credit=amount),
            ]
        reasons = sorted({m.reason for m in group if m.reason})
        description = f"Persediaan {wording.stock_kind(kind)} {reference}" + (
            f" ({', '.join(reasons)})" if reasons else ""
        )
        entry = _auto(
            session,
            event=event,
            key=key,
            date=_day(session, min(m.occurred_at for m in group)),
            description=description,
            legs=legs,
            reference=reference,
        )
        if entry is not None:
            entries.append(entry)
    return entries


# --- sales ----------------------------------------------------------------------------------


def invoice_issued(session: Session, invoice: Document) -> JournalEntry | None:
    """Receivable against revenue (net of discounts) and output VAT."""
    event = "sales_invoice_issued"
    revenue, tax = to_decimal(invoice.subtotal), to_decimal(invoice.tax)
    return _auto(
        session,
        event=event,
        key=invoice.reference,
        date=invoice.date,
        description=f"Faktur penjualan {invoice.number} {invoice.party_name}".strip(),
        legs=[
            _party_leg(session, event, "receivable", invoice, "customer", debit=revenue + tax),
            Leg(rule_account(session, event, "revenue"), credit=revenue),
            Leg(rule_account(session, event, "output_vat"), credit=tax),
        ],
        reference=invoice.reference,
    )


def invoice_paid(session: Session, invoice: Document, payment: PaymentInfo) -> JournalEntry | None:
    """Money in (net of the gateway fee) and the fee as an expense, against the receivable;
    a refund to a customer in credit is a negative payment and posts the other way."""
    event = "sales_invoice_paid"
    amount, fee = to_decimal(payment.amount), to_decimal(payment.fee)
    return _auto(
        session,
        event=event,
        key=f"{invoice.reference}|payment:{payment.gateway or payment.method}:{payment.id}",
        date=_day(session, payment.occurred_at),
        description=(
            f"{'Pembayaran' if amount > 0 else 'Pengembalian dana'} {invoice.number} "
            f"({wording.method(payment.method)}) {invoice.party_name}"
        ).strip(),
        legs=[
            Leg(payment_account(session, payment), debit=amount - fee, memo=payment.gateway),
            Leg(rule_account(session, event, "fee"), debit=fee, memo=payment.gateway),
            _party_leg(session, event, "receivable", invoice, "customer", credit=amount),
        ],
        reference=invoice.reference,
    )


def return_posted(session: Session, credit_note: Document) -> JournalEntry | None:
    """Sales returns and the output VAT given back, against the receivable of the invoice."""
    event = "sales_return_posted"
    net, tax = to_decimal(credit_note.subtotal), to_decimal(credit_note.tax)
    return _auto(
        session,
        event=event,
        key=credit_note.reference,
        date=credit_note.date,
        description=f"Retur penjualan {credit_note.number} {credit_note.party_name}".strip(),
        legs=[
            Leg(rule_account(session, event, "returns"), debit=net),
            Leg(rule_account(session, event, "output_vat"), debit=tax),
            _party_leg(
                session,
                event,
                "receivable",
                credit_note,
                "customer",
                credit=net + tax,
                against=credit_note.related,
            ),
        ],
        reference=credit_note.reference,
    )


# --- purchasing -----------------------------------------------------------------------------


def bill_posted(session: Session, bill: Document) -> JournalEntry | None:
    """Clear goods received not billed and input VAT against the payable.

    Goods that came into stock are cleared at what their receipt put in (``stock_cost``)
    plus the price correction inventory put into the stock still on hand (the bill's
    ``revaluation`` moves, posted just before); the rest of the price variance, the share
    of goods already sold, goes to cost of sales (the issue rule's debit account)."""
    event = "purchasing_bill_posted"
    net, tax = to_decimal(bill.subtotal), to_decimal(bill.tax)
    variance = ZERO
    if bill.data.get("stock_cost") is not None:
        variance = to_decimal(bill.data["stock_net"]) - to_decimal(bill.data["stock_cost"])
    sold = variance - _revalued(session, bill.reference) if variance else ZERO
    return _auto(
        session,
        event=event,
        key=bill.reference,
        date=bill.date,
        description=f"Tagihan pemasok {bill.number} {bill.party_name}".strip(),
        legs=[
            Leg(rule_account(session, event, "received_not_billed"), debit=net - sold),
            Leg(rule_account(session, event, "input_vat"), debit=tax),
            _party_leg(session, event, "payable", bill, "supplier", credit=net + tax),
            *_variance_legs(session, -sold, memo="selisih harga tagihan"),
        ],
        reference=bill.reference,
    )


def bill_paid(session: Session, bill: Document, payment: PaymentInfo) -> JournalEntry | None:
    """The payable settled from cash or bank; money a supplier pays back (a negative
    payment) comes in and clears the supplier's debit balance."""
    event = "purchasing_bill_paid"
    amount = to_decimal(payment.amount)
    return _auto(
        session,
        event=event,
        key=f"{bill.reference}|payment:{payment.method}:{payment.id}",
        date=_day(session, payment.occurred_at),
        description=(
            f"{'Bayar pemasok' if amount > 0 else 'Pengembalian dana pemasok'} {bill.number} "
            f"{bill.party_name}"
        ).strip(),
        legs=[
            _party_leg(session, event, "payable", bill, "supplier", debit=amount),
            Leg(payment_account(session, payment), credit=amount),
        ],
        reference=bill.reference,
    )


def supplier_returned(session: Session, debit_note: Document) -> JournalEntry | None:
    """Goods sent back: the payable shrinks; the stock itself leaves with the stock move,
    at average cost. Goods received not billed is cleared at that cost, and the difference
    from the bill's price goes to cost of sales (the issue rule's debit account): the goods
    are gone, so it cannot stay in their stock value."""
    event = "purchasing_supplier_returned"
    net, tax = to_decimal(debit_note.subtotal), to_decimal(debit_note.tax)
    cost = _stock_value(session, "inventory_stock_moved.return_out", debit_note.reference)
    cleared = net if cost is None else cost
    variance = net - cleared
    return _auto(
        session,
        event=event,
        key=debit_note.reference,
        date=debit_note.date,
        description=f"Retur ke pemasok {debit_note.number} {debit_note.party_name}".strip(),
        legs=[
            _party_leg(
                session,
                event,
                "payable",
                debit_note,
                "supplier",
                debit=net + tax,
                against=debit_note.related,
            ),
            Leg(rule_account(session, event, "received_not_billed"), credit=cleared),
            Leg(rule_account(session, event, "input_vat"), credit=tax),
            *_variance_legs(session, variance),
        ],
        reference=debit_note.reference,
    )


def _stock_value(session: Session, event: str, reference: str) -> Decimal | None:
    """The value the stock moves of ``reference`` posted under ``event``; ``None`` when
    none were posted (no stock tracked)."""
    total = session.scalar(
        sa.select(sa.func.sum(JournalLine.debit))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.event == event, JournalEntry.reference == reference)
    )
    return None if total is None else Decimal(str(total)).quantize(Decimal("0.01"))


def _variance_legs(
    session: Session, variance: Decimal, memo: str = "selisih harga retur"
) -> list[Leg]:
    """A price difference on cost of sales: credited when the supplier gives back more
    than the goods' average cost (or bills less than received), debited otherwise."""
    if not variance:
        return []
    account = rule_account(session, "inventory_stock_moved.issue", "debit")
    return [Leg(account, credit=variance, memo=memo)]


def _revalued(session: Session, reference: str) -> Decimal:
    """What the price corrections of ``reference`` put into the stock account."""
    account = rule_account(session, "inventory_stock_moved.receipt", "debit")
    total = session.scalar(
        sa.select(sa.func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalEntry.event == "inventory_stock_moved.revaluation",
            JournalEntry.reference == reference,
            JournalLine.account_id == account.id,
        )
    )
    return ZERO if total is None else Decimal(str(total)).quantize(Decimal("0.01"))


# --- loyalty and payments ---------------------------------------------------------------------


def points_changed(session: Session, movement: PointsMovement) -> JournalEntry | None:
    """Points are a liability at their rupiah value: earning is a promotion expense,
    redeeming for a discount funds the discount, expiring gives the expense back. A gift
    redemption releases the liability at the points' value into the promotion expense (on
    the expire rule's accounts), while the gift's stock move charges its cost there: the
    promotion expense ends at the gift's cost, the two lines showing the difference."""
    value = abs(to_decimal(movement.value))
    kind = movement.kind
    if kind == "redeem" and movement.redeemed_for == "gift":
        event, debit_slot, credit_slot = (
            "loyalty_points_changed.redeem_gift",
            "liability",
            "expense",
        )
    elif kind in {"expire", "reverse"} or (kind == "adjust" and to_decimal(movement.value) < 0):
        event, debit_slot, credit_slot = "loyalty_points_changed.expire", "liability", "expense"
    elif kind == "redeem":
        event = "loyalty_points_changed.redeem_discount"
        debit_slot, credit_slot = "liability", "discounts"
    else:
        event, debit_slot, credit_slot = "loyalty_points_changed.earn", "expense", "liability"
    rule = SHARED_RULES.get(event, event)
    return _auto(
        session,
        event=event,
        key=f"loyalty.movement:{movement.id}",
        date=_day(session, movement.occurred_at),
        description=f"Poin loyalitas {wording.point_kind(kind)} {movement.reference}",
        legs=[
            Leg(rule_account(session, rule, debit_slot), debit=value),
            Leg(rule_account(session, rule, credit_slot), credit=value),
        ],
        reference=movement.reference,
    )


def payment_refunded(
    session: Session, payment: PaymentInfo, amount: Decimal
) -> JournalEntry | None:
    """Money given back to a customer: a sales return paid out of the payment's account."""
    event = "payments_refunded"
    refunded = to_decimal(amount)
    return _auto(
        session,
        event=event,
        key=f"payments.payment:{payment.id}|refund:{refunded}",
        date=shop_today(session),
        description=f"Pengembalian dana {payment.target}",
        legs=[
            Leg(rule_account(session, event, "returns"), debit=refunded),
            Leg(payment_account(session, payment), credit=refunded),
        ],
        reference=payment.target,
    )


def customers_merged(session: Session, kept_id: int, merged_id: int) -> JournalEntry | None:
    """A merged customer's balances move to the customer kept: on each account and document
    where the duplicate still has a balance, one line takes it off the duplicate and one puts
    it on the kept customer, so statements by customer show one shop (no total changes)."""
    rows = session.execute(
        sa.select(
            JournalLine.account_id,
            JournalLine.document,
            sa.func.max(JournalLine.party_name),
            sa.func.sum(JournalLine.debit - JournalLine.credit),
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalEntry.posted.is_(True),
            JournalLine.party_kind == "customer",
            JournalLine.party_id == merged_id,
        )
        .group_by(JournalLine.account_id, JournalLine.document)
    ).all()
    kept = hooks().sales_customer(session=session, customer_id=kept_id, user_id=None)
    kept_name, merged_name = getattr(kept, "name", ""), ""
    legs = []
    for account_id, document, merged_name, net in rows:
        # SQLite sums NUMERIC as floating point; amounts have two decimals, so this is exact
        amount = to_decimal(str(net or 0)).quantize(CENT)
        if amount:
            account = session.get(Account, account_id)
            on = {"account": account, "party_kind": "customer", "document": document or ""}
            legs.append(Leg(**on, debit=amount, party_id=kept_id, party_name=kept_name))
            legs.append(Leg(**on, credit=amount, party_id=merged_id, party_name=merged_name))
    return _auto(
        session,
        event="sales_customers_merged",
        key=f"sales.customer:{merged_id}",
        date=shop_today(session),
        description=f"Pelanggan digabung: {merged_name} ke {kept_name}",
        legs=legs,
        reference=f"sales.customer:{kept_id}",
    )
