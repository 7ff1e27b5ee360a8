"""What each event says, in Bahasa Indonesia and English: the built-in wording, the
owner's own wording (``notifications_template``) where there is one, and the check that a
template uses only the placeholders its event fills in."""

from __future__ import annotations

import string
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga_notifications.models import Template

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Event:
    name: str
    label: dict[str, str]
    placeholders: tuple[str, ...]
    subject: dict[str, str]
    body: dict[str, str]


_COMMON = ("customer", "shop")

EVENTS: dict[str, Event] = {
    e.name: e
    for e in (
        Event(
            "order_confirmed",
            {"id": "Pesanan dikonfirmasi", "en": "Order confirmed"},
            (*_COMMON, "number", "total"),
            {"id": "Pesanan {number} dikonfirmasi", "en": "Order {number} confirmed"},
            {
                "id": "Halo {customer}, pesanan {number} sebesar {total} sudah kami konfirmasi "
                "dan sedang disiapkan. Terima kasih - {shop}",
                "en": "Hello {customer}, we confirmed your order {number} of {total} and are "
                "preparing it. Thank you - {shop}",
            },
        ),
        Event(
            "out_for_delivery",
            {"id": "Pesanan dikirim", "en": "Out for delivery"},
            (*_COMMON, "number", "delivery"),
            {"id": "Pesanan {number} dalam pengiriman", "en": "Order {number} is on its way"},
            {
                "id": "Halo {customer}, pesanan {number} sedang dalam perjalanan "
                "(surat jalan {delivery}). - {shop}",
                "en": "Hello {customer}, order {number} is on its way (delivery note "
                "{delivery}). - {shop}",
            },
        ),
        Event(
            "delivered",
            {"id": "Pesanan diterima", "en": "Delivered"},
            (*_COMMON, "number", "delivery"),
            {"id": "Pesanan {number} sudah diantar", "en": "Order {number} delivered"},
            {
                "id": "Halo {customer}, barang pesanan {number} sudah diantar (surat jalan "
                "{delivery}). - {shop}",
                "en": "Hello {customer}, the goods of order {number} were delivered "
                "(delivery note {delivery}). - {shop}",
            },
        ),
        Event(
            "invoice_issued",
            {"id": "Faktur terbit", "en": "Invoice issued"},
            (*_COMMON, "number", "total", "due_date"),
            {"id": "Faktur {number}", "en": "Invoice {number}"},
            {
                "id": "Halo {customer}, faktur {number} sebesar {total} sudah terbit, jatuh "
                "tempo {due_date}. - {shop}",
                "en": "Hello {customer}, invoice {number} of {total} is issued, due on "
                "{due_date}. - {shop}",
            },
        ),
        Event(
            "invoice_due",
            {"id": "Faktur jatuh tempo", "en": "Invoice due"},
            (*_COMMON, "number", "total", "due_date"),
            {
                "id": "Pengingat: faktur {number} jatuh tempo",
                "en": "Reminder: invoice {number} due",
            },
            {
                "id": "Halo {customer}, faktur {number} sebesar {total} jatuh tempo {due_date}. "
                "Abaikan pesan ini bila sudah dibayar. - {shop}",
                "en": "Hello {customer}, invoice {number} of {total} is due on {due_date}. "
                "Please ignore this if you have paid. - {shop}",
            },
        ),
        Event(
            "payment_received",
            {"id": "Pembayaran diterima", "en": "Payment received"},
            (*_COMMON, "number", "amount"),
            {"id": "Pembayaran {number} diterima", "en": "Payment for {number} received"},
            {
                "id": "Halo {customer}, pembayaran {amount} untuk faktur {number} sudah kami "
                "terima. Terima kasih - {shop}",
                "en": "Hello {customer}, we received your payment of {amount} for invoice "
                "{number}. Thank you - {shop}",
            },
        ),
        Event(
            "points_earned",
            {"id": "Poin bertambah", "en": "Points earned"},
            (*_COMMON, "points", "balance"),
            {"id": "Anda mendapat {points} poin", "en": "You earned {points} points"},
            {
                "id": "Halo {customer}, Anda mendapat {points} poin. Saldo poin Anda sekarang "
                "{balance}. - {shop}",
                "en": "Hello {customer}, you earned {points} points. Your balance is now "
                "{balance}. - {shop}",
            },
        ),
        Event(
            "reward_ready",
            {"id": "Hadiah bisa ditukar", "en": "Reward ready"},
            (*_COMMON, "reward", "cost", "balance"),
            {"id": "Poin Anda cukup untuk {reward}", "en": "Your points are enough for {reward}"},
            {
                "id": "Halo {customer}, saldo {balance} poin Anda cukup untuk ditukar dengan "
                "{reward} ({cost} poin). Tukarkan di portal. - {shop}",
                "en": "Hello {customer}, your {balance} points are enough for {reward} "
                "({cost} points). Redeem them in the portal. - {shop}",
            },
        ),
    )
}


def check(event: str, subject: str, body: str) -> None:
    """Raise ``Invalid`` naming the field when a template is empty, too long or uses a
    placeholder its event does not fill in (it would fail only when sent)."""
    known = EVENTS[event].placeholders
    problems: dict[str, list[str]] = {}
    for field, text, limit in (("subject", subject, 200), ("body", body, 1000)):
        if not text.strip():
            problems[field] = ["Write a text"]
            continue
        if len(text) > limit:
            problems[field] = [f"At most {limit} characters"]
            continue
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            problems[field] = [
                "A curly bracket is not closed; type it twice to show the bracket itself"
            ]
            continue
        unknown = sorted(used - set(known))
        if unknown:
            problems[field] = [
                "Unknown placeholder {"
                + ", ".join(unknown)
                + "}; use "
                + ", ".join("{" + name + "}" for name in known)
            ]
    if problems:
        raise Invalid("The template cannot be used", fields=problems)


def wording(session: Session, event: str, language: str) -> tuple[str, str]:
    """(subject, body) of ``event`` in ``language``: the owner's, else the built-in."""
    language = language if language in LANGUAGES else "id"
    own = session.scalar(
        sa.select(Template).where(Template.event == event, Template.language == language)
    )
    if own is not None:
        return own.subject, own.body
    found = EVENTS[event]
    return found.subject[language], found.body[language]


def render(session: Session, event: str, language: str, values: dict[str, str]) -> tuple[str, str]:
    subject, body = wording(session, event, language)
    return subject.format(**values), body.format(**values)


def save(session: Session, event: str, language: str, subject: str, body: str) -> Template:
    """Store the owner's wording (checked first)."""
    if event not in EVENTS:
        raise Invalid("Unknown event", fields={"event": ["Unknown event"]})
    if language not in LANGUAGES:
        raise Invalid("Unknown language", fields={"language": ["Choose id or en"]})
    check(event, subject, body)
    row = session.scalar(
        sa.select(Template).where(Template.event == event, Template.language == language)
    )
    if row is None:
        row = Template(event=event, language=language, subject=subject, body=body)
        session.add(row)
    row.subject, row.body = subject, body
    session.flush()
    return row


def reset(session: Session, event: str, language: str) -> None:
    """Back to the built-in wording."""
    session.execute(
        sa.delete(Template).where(Template.event == event, Template.language == language)
    )
