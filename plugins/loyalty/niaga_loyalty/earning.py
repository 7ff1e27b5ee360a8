"""Earning points for sales and taking them back on returns and cancellations.

Points for a document = (each line's net, scaled to the document subtotal so order-level
discounts count, x product or category multiplier x matching campaign multipliers) x the
member's tier multiplier / ``amount_per_step`` x ``points_per_step``, rounded down, plus
campaign bonuses. Earning is recorded once per member and document, however often the
event fires (a unique constraint on the ledger).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.contracts import Document
from niaga.db import column_attributes, detached
from niaga.money import to_decimal
from niaga.runtime import hooks, shared
from niaga_loyalty import ledger, settings, tiers
from niaga_loyalty.models import Campaign, Entry, Member, Program

ONE = Decimal("1")


def active_program(session: Session) -> Program | None:
    """The active program, read-only (a copy kept per process while nothing changes)."""
    return _earn_rules(session)[0]


def running_campaigns(session: Session, day: dt.date) -> list[Campaign]:
    """The active campaigns running on ``day``, read-only, as :func:`active_program`."""
    return [c for c in _earn_rules(session)[1] if c.starts_on <= day <= c.ends_on]


def _earn_rules(session: Session) -> tuple[Program | None, tuple[Campaign, ...]]:
    # kept per process (niaga.runtime.shared): migration 0003 watches both tables
    return shared(session, "loyalty_earn_rules", _load_earn_rules)


def _load_earn_rules(session: Session) -> tuple[Program | None, tuple[Campaign, ...]]:
    program = session.execute(
        sa.select(*column_attributes(Program))
        .where(Program.active.is_(True))
        .order_by(Program.id)
        .limit(1)
    ).first()
    campaigns = session.execute(
        sa.select(*column_attributes(Campaign))
        .where(Campaign.active.is_(True))
        .order_by(Campaign.id)
    )
    return (
        detached(Program, program) if program is not None else None,
        tuple(detached(Campaign, row) for row in campaigns),
    )


@dataclass
class Quote:
    """Points a document earns, and why."""

    points: int = 0
    spend: Decimal = Decimal("0")
    tier_multiplier: Decimal = ONE
    campaigns: list[str] = field(default_factory=list)


def _campaign_matches(
    campaign: Campaign, product_id: int | None, category: str | None, group: str
) -> bool:
    if campaign.scope == "everyone":
        return True
    if campaign.scope == "group":
        return bool(group) and campaign.target == group
    if campaign.scope == "product":
        return product_id is not None and campaign.target == str(product_id)
    if campaign.scope == "category":
        return bool(category) and campaign.target == category
    return False


def _category(session: Session, product_id: int | None, cache: dict[int, str | None]) -> Any:
    if product_id is None:
        return None
    if product_id not in cache:
        product = hooks().inventory_product(
            session=session, product_id=product_id, sku=None, barcode=None
        )
        cache[product_id] = product.category if product is not None else None
    return cache[product_id]


def quote(session: Session, member: Member | None, document: Document) -> Quote:
    """The points ``document`` earns for ``member`` under the active program."""
    program = active_program(session)
    spend = to_decimal(document.subtotal)
    result = Quote(spend=spend)
    if program is None or spend <= 0 or spend < program.min_order:
        return result
    campaigns = running_campaigns(session, document.date)
    group = str(document.data.get("customer_group") or "")
    lines = [(line.product_id, to_decimal(line.net)) for line in document.lines]
    line_total = sum((net for _, net in lines), Decimal("0"))
    if line_total <= 0:
        lines, line_total = [(None, spend)], spend
    categories: dict[int, str | None] = {}
    # A product's category is looked up only when a rule can match on it.
    by_category = bool(program.category_multipliers) or any(
        campaign.scope == "category" for campaign in campaigns
    )
    weighted = Decimal("0")
    matched: dict[int, Campaign] = {}
    for product_id, net in lines:
        category = _category(session, product_id, categories) if by_category else None
        multiplier = to_decimal(
            program.product_multipliers.get(str(product_id))
            or program.category_multipliers.get(category or "")
            or ONE
        )
        for campaign in campaigns:
            if _campaign_matches(campaign, product_id, category, group):
                multiplier *= campaign.multiplier
                matched[campaign.id] = campaign
        weighted += net * spend / line_total * multiplier
    result.tier_multiplier = member.tier.multiplier if member and member.tier else ONE
    steps = weighted * result.tier_multiplier / program.amount_per_step
    points = int((steps * program.points_per_step).to_integral_value(rounding=ROUND_DOWN))
    result.points = points + sum(c.bonus_points for c in matched.values())
    result.campaigns = [c.name for c in matched.values()]
    return result


def earn(session: Session, document: Document, order_reference: str = "") -> Entry | None:
    """Credit the customer of ``document`` with its points, once per document."""
    if document.party_id is None or _walk_in(session, document.party_id):
        return None
    member = ledger.member_for_customer(session, document.party_id, document.party_name)
    found = quote(session, member, document)
    if found.points <= 0:
        return None
    entry = ledger.record(
        session,
        member,
        "earn",
        found.points,
        document.reference,
        order_reference=order_reference or document.reference,
        spend=found.spend,
        reason=", ".join(found.campaigns),
    )
    if entry is not None:
        tiers.refresh(session, member)
    return entry


def _walk_in(session: Session, customer_id: int) -> bool:
    """The counter's anonymous customer collects no points."""
    customer = hooks().sales_customer(session=session, customer_id=customer_id, user_id=None)
    return customer is not None and customer.walk_in


def on_invoice_paid(session: Session, invoice: Document) -> Entry | None:
    """Earn when the owner chose "on payment" and nothing is left to pay on the invoice,
    on its net after the returns posted before then (``data["credited_net"]``)."""
    if settings.earn_on(session) != "payment":
        return None
    due = hooks().payments_amount_due(session=session, reference=invoice.reference)
    if due is not None and to_decimal(due) > 0:
        return None
    credited = to_decimal(invoice.data.get("credited_net") or 0)
    if credited:
        invoice = _replace(invoice, subtotal=to_decimal(invoice.subtotal) - credited)
    return earn(session, invoice, str(invoice.data.get("order") or ""))


def on_order_delivered(session: Session, order: Document, delivery: Document) -> Entry | None:
    """Earn for what was delivered when the owner chose "on delivery"."""
    if settings.earn_on(session) != "delivery":
        return None
    if to_decimal(delivery.subtotal) <= 0:
        delivery = _priced_from_order(order, delivery)
    if delivery.party_id is None:
        delivery = _replace(delivery, party_id=order.party_id, party_name=order.party_name)
    return earn(session, delivery, order.reference)


def _replace(document: Document, **changes: Any) -> Document:
    from dataclasses import replace

    return replace(document, **changes)


def _priced_from_order(order: Document, delivery: Document) -> Document:
    """A delivery without prices, valued at the order's net price of each product."""
    unit_net = {
        line.product_id: to_decimal(line.net) / to_decimal(line.quantity)
        for line in order.lines
        if line.product_id is not None and line.quantity
    }
    lines = tuple(
        _replace(line, net=unit_net.get(line.product_id, Decimal("0")) * line.quantity)
        for line in delivery.lines
    )
    return _replace(delivery, lines=lines, subtotal=sum((ln.net for ln in lines), Decimal("0")))


def _earned(session: Session, key: str) -> tuple[Member | None, int, Decimal, int, Decimal]:
    """Member, points and spend earned for the order ``key``, and what was taken back."""
    rows = session.execute(
        sa.select(Entry.member_id, Entry.kind, Entry.points, Entry.spend).where(
            Entry.order_reference == key, Entry.kind.in_(("earn", "reverse"))
        )
    ).all()
    earns = [r for r in rows if r.kind == "earn"]
    if not earns:
        return None, 0, Decimal("0"), 0, Decimal("0")
    reversals = [r for r in rows if r.kind == "reverse"]
    return (
        session.get(Member, earns[0].member_id),
        sum(r.points for r in earns),
        sum((r.spend for r in earns), Decimal("0")),
        -sum(r.points for r in reversals),
        -sum((r.spend for r in reversals), Decimal("0")),
    )


def _order_key(session: Session, credit_note: Document) -> str:
    order = str(credit_note.data.get("order") or "")
    if order:
        return order
    key = session.scalar(
        sa.select(Entry.order_reference).where(
            Entry.kind == "earn", Entry.reference == credit_note.related
        )
    )
    return key or credit_note.related


def _invoice_earned(session: Session, invoice_reference: str) -> tuple[int, Decimal] | None:
    """Points and spend the invoice ``invoice_reference`` earned itself (on payment)."""
    row = session.execute(
        sa.select(Entry.points, Entry.spend).where(
            Entry.kind == "earn", Entry.reference == invoice_reference
        )
    ).first()
    return None if row is None else (row.points, row.spend)


def reverse_return(session: Session, credit_note: Document) -> Entry | None:
    """Take back the points of the returned part of a sale, in proportion to its value.

    Earning on payment, points belong to each invoice: a return on an invoice that has
    not earned yet takes nothing (it will earn on its net, ``credited_net``), and one on an
    invoice that has earned takes its share of that invoice's points, never of points an
    earlier invoice of the same order earned."""
    key = _order_key(session, credit_note)
    member, points, spend, reversed_points, reversed_spend = _earned(session, key)
    if member is None or spend <= 0:
        return None
    returned = min(to_decimal(credit_note.subtotal), spend - reversed_spend)
    basis = (points, spend)  # the points are shared over what earned them
    if credit_note.related and settings.earn_on(session) == "payment":
        invoice = _invoice_earned(session, credit_note.related)
        if invoice is None or invoice[1] <= 0:
            return None
        basis, returned = invoice, min(returned, invoice[1])
    take = int((basis[0] * returned / basis[1]).to_integral_value(rounding=ROUND_HALF_UP))
    take = min(take, points - reversed_points)
    return _reverse(session, member, take, credit_note.reference, key, returned)


def reverse_order(session: Session, order: Document) -> Entry | None:
    """An order cancelled after it earned: take back everything it still holds."""
    member, points, spend, reversed_points, reversed_spend = _earned(session, order.reference)
    if member is None:
        return None
    return _reverse(
        session,
        member,
        points - reversed_points,
        order.reference,
        order.reference,
        spend - reversed_spend,
    )


def _reverse(
    session: Session, member: Member, points: int, reference: str, key: str, spend: Decimal
) -> Entry | None:
    if points <= 0:
        return None
    entry = ledger.record(
        session,
        member,
        "reverse",
        -points,
        reference,
        order_reference=key,
        spend=-spend,
        reason="Sale returned or cancelled",
    )
    if entry is not None:
        tiers.refresh(session, member)
    return entry
