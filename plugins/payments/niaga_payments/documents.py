"""Payments' own references as a person reads them, and finding payments by what a person
knows of them.

``payments.payment:12`` reads "Pembayaran PAY-... (QRIS)" with a link to its page, and
``payments.refund:3`` "Pengembalian dana pembayaran #12" (:func:`document_label`, the
``niaga_document_label`` hook). :func:`search` finds payments by the payment's reference,
the gateway's id, its number, or the name of the document it pays ("INV/2026/11/0026"),
never only by a raw ``sales.invoice:26``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.documents import DocumentKind, label_owned, split_reference
from niaga.documents import document_label as label_of
from niaga_payments.models import Payment, Refund

#: how many of the newest paid documents a search reads the names of
SEARCH_DOCUMENTS = 500


#: payments' documents, by the kind in their references
KINDS = {
    "payment": DocumentKind(
        Payment, "Payment {reference}", "payments_admin.detail", {"payment_id": "id"}
    ),
    "refund": DocumentKind(
        Refund,
        "Refund of payment #{payment_id}",
        "payments_admin.detail",
        {"payment_id": "payment_id"},
    ),
}


def document_label(session: Session, reference: str) -> Any:
    """The label of a ``payments.payment:<id>`` or ``payments.refund:<id>`` reference;
    ``None`` for any other."""
    return label_owned(session, reference, "payments", KINDS)


def search(session: Session, statement: sa.Select[Any], text: str | None) -> sa.Select[Any]:
    """``statement`` (of :class:`Payment`) narrowed to payments a person means by ``text``:
    a reference written as stored (``sales.invoice:26``), the payment's number, its
    reference or the gateway's id (in part), or the name of the document it pays, as the
    screens show it (``INV/2026/11/0026``, in part, any case)."""
    text = (text or "").strip()
    if not text:
        return statement
    if split_reference(text) is not None:
        return statement.where(Payment.target == text)
    wanted = text.lower()
    matches: list[Any] = [
        sa.func.lower(Payment.reference).contains(wanted, autoescape=True),
        sa.func.lower(sa.func.coalesce(Payment.external_id, "")).contains(wanted, autoescape=True),
    ]
    number = text.lstrip("#")
    if number.isdigit() and len(number) < 19:
        matches.append(Payment.id == int(number))
    # documents are named by the plugins that own them: read the names of the newest ones
    newest = session.scalars(
        sa.select(Payment.target)
        .group_by(Payment.target)
        .order_by(sa.func.max(Payment.id).desc())
        .limit(SEARCH_DOCUMENTS)
    ).all()
    named = [target for target in newest if wanted in label_of(target).text.lower()]
    if named:
        matches.append(Payment.target.in_(named))
    return statement.where(sa.or_(*matches))
