"""Merging a duplicate customer into the one that stays: the same shop entered twice (at
the counter and again when it signed up in the portal) becomes one customer with one
history, one receivable and one points balance.

Everything that names the duplicate moves to the customer kept (orders, invoices, credit
notes, invitations, sign-ups, the portal login); details the kept customer lacks are taken
from the duplicate; the duplicate is switched off, never deleted, so every old reference
still resolves. Other plugins move what they hold per customer through
``sales_customers_merged``, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Refused
from niaga.runtime import hooks
from niaga_sales.customers import get_customer
from niaga_sales.models import CreditNote, Customer, Invitation, Invoice, Order, Registration

#: the tables whose rows name a customer, moved as they are
NAMING_CUSTOMER = (Order, Invoice, CreditNote, Invitation, Registration)
#: details the kept customer takes from the duplicate where its own are empty
FILLED_IN = (
    "owner_name",
    "phone",
    "address",
    "area",
    "latitude",
    "longitude",
    "salesperson_id",
    "group_id",
    "credit_limit",
    "npwp",
    "nik",
    "nitku",
    "tax_name",
    "tax_address",
)
#: a taxpayer's identity: two customers that differ here are two taxpayers
TAX_IDENTITY = ("npwp", "nik")


@dataclass(frozen=True)
class MergePreview:
    """What a merge would move, for the confirmation page."""

    kept: Customer
    merged: Customer
    documents: dict[str, int]


def preview(session: Session, kept_id: int, merged_id: int) -> MergePreview:
    """The two customers and how many documents of each kind would move; refused as
    :func:`merge` would refuse."""
    kept, merged = _pair(session, kept_id, merged_id)
    counts = {
        model.__tablename__: session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.customer_id == merged.id)
        )
        or 0
        for model in NAMING_CUSTOMER
    }
    return MergePreview(kept, merged, counts)


def merge(session: Session, kept_id: int, merged_id: int) -> Customer:
    """Merge customer ``merged_id`` into ``kept_id`` and return the kept customer."""
    kept, merged = _pair(session, kept_id, merged_id)
    for model in NAMING_CUSTOMER:
        session.execute(
            sa.update(model).where(model.customer_id == merged.id).values(customer_id=kept.id)
        )
    for name in FILLED_IN:
        if getattr(kept, name) in (None, "") and getattr(merged, name) not in (None, ""):
            setattr(kept, name, getattr(merged, name))
    if merged.user_id is not None:
        login, merged.user_id = merged.user_id, None
        session.flush()  # the login is unique to one customer: free it before it moves
        kept.user_id = login
    merged.active = False
    session.flush()
    hooks().sales_customers_merged(session=session, kept_id=kept.id, merged_id=merged.id)
    return kept


def _pair(session: Session, kept_id: int, merged_id: int) -> tuple[Customer, Customer]:
    if kept_id == merged_id:
        raise Refused("Choose another customer: a customer cannot be merged into itself")
    kept, merged = get_customer(session, kept_id), get_customer(session, merged_id)
    if kept.walk_in or merged.walk_in:
        raise Refused("The walk-in customer of the counter cannot be merged")
    if not kept.active:
        raise Refused("{name} is switched off; merge into an active customer", name=kept.shop_name)
    if not merged.active:
        raise Refused("{name} was switched off or merged already", name=merged.shop_name)
    for name in TAX_IDENTITY:
        theirs, ours = getattr(merged, name), getattr(kept, name)
        if theirs and ours and theirs != ours:
            raise Refused(
                "The two customers have different tax numbers (NPWP/NIK): they are two "
                "taxpayers, not one shop entered twice",
                fields={name: ["differs"]},
            )
    if merged.user_id is not None and kept.user_id is not None:
        raise Refused(
            "Both customers have a portal login; take the login away from one of them first "
            "(on its customer page)"
        )
    return kept, merged
