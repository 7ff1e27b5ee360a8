"""Each customer's choice: channel, addresses and language (keyed by the sales customer
id), checked before it is stored; used by the screen and the API."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga.runtime import hooks
from niaga_notifications.models import Preference
from niaga_notifications.settings import CHANNELS
from niaga_notifications.wording import LANGUAGES


def get(session: Session, customer_id: int) -> Preference | None:
    return session.scalar(sa.select(Preference).where(Preference.customer_id == customer_id))


def put(
    session: Session,
    customer_id: int,
    channel: str,
    email: str = "",
    phone: str = "",
    language: str = "id",
) -> Preference:
    """Store one customer's channel and addresses: the customer exists, the channel is
    known, the addresses are well formed and the chosen channel has its address."""
    problems: dict[str, list[str]] = {}
    email, phone = (email or "").strip(), (phone or "").strip()
    if channel not in CHANNELS:
        problems["channel"] = ["Choose whatsapp, email or none"]
    if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1] or " " in email):
        problems["email"] = ["Not a valid e-mail address"]
    digits = phone.replace("+", "").replace(" ", "").replace("-", "")
    if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
        problems["phone"] = ["A phone number like 0812 3456 7890"]
    if language not in LANGUAGES:
        problems["language"] = ["Choose id or en"]
    if hooks().sales_customer(session=session, customer_id=customer_id, user_id=None) is None:
        problems["customer_id"] = ["No customer has this number"]
    if problems:
        raise Invalid("The preference cannot be saved", fields=problems)
    row = get(session, customer_id)
    if row is None:
        row = Preference(customer_id=customer_id, channel=channel)
        session.add(row)
    row.channel, row.email, row.phone, row.language = channel, email, digits, language
    session.flush()
    return row
