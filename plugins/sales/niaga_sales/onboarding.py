"""Bringing retailers onto the portal without ever making a second customer for a shop.

* **Invitation** (staff): a one-time link for an existing customer — found by id, or by its
  phone number or the e-mail of its login, compared normalised (``+62 813-5551-2345`` is
  ``081355512345``) — with which the retailer sets the password of its portal login. A
  customer is created only when none matches and a shop name is given.
* **Self-registration** (portal, no login): store name, owner, phone, address, optional
  NIK/NPWP and map location, and a password. Nothing can be done with it until staff
  approve it: approval links the login to the customer with the same phone (or e-mail), or
  to one staff pick, or makes a new customer; rejection keeps no login.

Phone numbers of logins made here are stored normalised, the way a retailer types them
when logging in (``08...``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import tax_ids
from niaga.auth import create_user, find_login, hash_password, hash_token
from niaga.db import utcnow
from niaga.errors import Conflict, Invalid, NotFound
from niaga.models import Role, User
from niaga.phones import normal_phone, phone_or_none
from niaga_sales import customers
from niaga_sales.models import (
    APPROVED,
    PENDING,
    REJECTED,
    Customer,
    Invitation,
    Registration,
)

INVITATION_DAYS = 7
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- normalised contacts ----------------------------------------------------------------


def normal_email(text: str | None, field: str = "email") -> str | None:
    """An e-mail address in lower case, or ``None`` when empty."""
    if text is None or not text.strip():
        return None
    email = text.strip().lower()
    if not _EMAIL.match(email) or len(email) > 200:
        raise Invalid(
            "{value} is not an e-mail address",
            value=text.strip(),
            fields={field: ["not an e-mail address"]},
        )
    return email


def find_customer(session: Session, phone: str | None, email: str | None) -> Customer | None:
    """The (non walk-in) customer whose phone, normalised, is ``phone`` or whose login has
    that phone or ``email``; ``phone``/``email`` are already normalised."""
    if email or phone:
        conditions = []
        if email:
            conditions.append(sa.func.lower(User.email) == email)
        if phone:
            conditions.append(User.phone == phone)
        by_login = session.scalar(
            sa.select(Customer)
            .join(User, User.id == Customer.user_id)
            .where(Customer.walk_in.is_(False), sa.or_(*conditions))
            .order_by(Customer.id)
            .limit(1)
        )
        if by_login is not None:
            return by_login
    if phone:
        rows = session.execute(
            sa.select(Customer.id, Customer.phone)
            .where(Customer.walk_in.is_(False), Customer.phone != "")
            .order_by(Customer.id)
        )
        for customer_id, typed in rows:
            # a customer's phone may be free text ("-", "tidak ada"): never equal
            if phone_or_none(typed) == phone:
                return session.get(Customer, customer_id)
    return None


def _login_taken(session: Session, phone: str | None, email: str | None) -> None:
    # the same rule as logging in: a phone number matches however the login's was typed
    for value in (phone, email):
        if value and find_login(session, value) is not None:
            raise Conflict(
                "There is already a login with {value}; link that one instead",
                code="login_exists",
                value=value,
            )


# --- invitations ----------------------------------------------------------------------


def invite(
    session: Session,
    *,
    by: int | None,
    customer_id: int | None = None,
    phone: str | None = None,
    email: str | None = None,
    shop_name: str | None = None,
) -> tuple[Invitation, str]:
    """An invitation for the customer ``customer_id`` or the one with this phone/e-mail
    (made from ``shop_name`` when there is none), and the link's secret (shown once)."""
    phone = normal_phone(phone)
    email = normal_email(email)
    if not phone and not email:
        raise Invalid(
            "Give the phone number or e-mail address the retailer will log in with",
            fields={"phone": ["required"]},
        )
    found = find_customer(session, phone, email)
    if customer_id is not None:
        customer = customers.get_customer(session, customer_id)
        if found is not None and found.id != customer.id:
            raise Conflict(
                "{value} belongs to customer {customer}",
                code="contact_of_another_customer",
                value=phone or email,
                customer=found.code + " " + found.shop_name,
            )
    elif found is not None:
        customer = found
    elif shop_name and shop_name.strip():
        customer = customers.create_customer(
            session, {"shop_name": shop_name.strip()[:120], "phone": phone or ""}
        )
    else:
        raise Invalid(
            "No customer has {value}; give the shop name to add one",
            value=phone or email,
            fields={"shop_name": ["required"]},
        )
    if customer.walk_in or not customer.active:
        raise Invalid("Only an active retailer can be invited to the portal")
    if customer.user_id is not None:
        raise Conflict(
            "{shop} already has a portal login", code="has_login", shop=customer.shop_name
        )
    _login_taken(session, phone, email)
    now = utcnow()
    for earlier in session.scalars(
        sa.select(Invitation).where(
            Invitation.customer_id == customer.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
    ):
        earlier.expires_at = now  # one open link per shop: the newest
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        customer_id=customer.id,
        phone=phone,
        email=email,
        token_hash=hash_token(secret),
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return invitation, secret


def open_invitation(session: Session, secret: str) -> Invitation:
    """The invitation of a link that still works."""
    invitation = session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(secret or ""))
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.expires_at <= utcnow()
        or not invitation.customer.active
        or invitation.customer.user_id is not None
    ):
        raise NotFound(
            "This invitation link is not valid any more; ask the distributor for a new one"
        )
    return invitation


def accept(session: Session, secret: str, *, name: str, password: str) -> User:
    """The retailer's login, made with the password it chose and linked to the customer."""
    invitation = open_invitation(session, secret)
    _login_taken(session, invitation.phone, invitation.email)
    customer = invitation.customer
    user = create_user(
        session,
        role="retailer",
        phone=invitation.phone,
        email=invitation.email,
        name=(name or customer.owner_name).strip()[:120],
        password=password,
    )
    customer.user_id = user.id
    if not customer.phone and invitation.phone:
        customer.phone = invitation.phone
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    session.flush()
    return user


# --- self-registration -------------------------------------------------------------------


def _coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    # as a map app shows it ("-0.8917") or typed with a decimal comma ("-0,8917"); a
    # coordinate has no thousands, so either mark is the decimal point
    text = str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        raise Invalid(
            "{value} is not a map coordinate",
            value=str(value).strip(),
            fields={field: [f"-{limit} to {limit}"]},
        )
    return number.quantize(Decimal("0.000001"))


def register(session: Session, data: dict[str, Any]) -> Registration:
    """A sign-up from the portal, pending approval. ``data``: shop_name, owner_name, phone,
    password, and optionally email, address, area, nik, npwp, latitude, longitude."""
    shop_name = (data.get("shop_name") or "").strip()
    owner_name = (data.get("owner_name") or "").strip()
    missing = {
        k: ["required"] for k, v in (("shop_name", shop_name), ("owner_name", owner_name)) if not v
    }
    phone = normal_phone(data.get("phone"))
    if not phone:
        missing["phone"] = ["required"]
    if missing:
        raise Invalid("Fill in the shop, the owner and the phone number", fields=missing)
    email = normal_email(data.get("email"))
    if session.scalar(
        sa.select(Registration.id).where(Registration.phone == phone, Registration.state == PENDING)
    ):
        raise Conflict(
            "A registration with {value} is already waiting for approval",
            code="registration_pending",
            value=phone,
        )
    _login_taken(session, phone, email)
    registration = Registration(
        shop_name=shop_name[:120],
        owner_name=owner_name[:120],
        phone=phone,
        email=email,
        address=(data.get("address") or "").strip()[:400],
        area=(data.get("area") or "").strip()[:80],
        nik=tax_ids.parse_nik(data.get("nik")),
        npwp=tax_ids.parse_npwp(data.get("npwp")),
        latitude=_coordinate(data.get("latitude"), "latitude", 90),
        longitude=_coordinate(data.get("longitude"), "longitude", 180),
        password_hash=hash_password(data.get("password") or ""),
        state=PENDING,
    )
    session.add(registration)
    session.flush()
    return registration


def get_registration(session: Session, registration_id: int) -> Registration:
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise NotFound("Registration {id} not found", id=registration_id)
    return registration


def _pending(registration: Registration) -> None:
    if registration.state != PENDING:
        raise Conflict("This registration was decided already", code="registration_decided")


def suggested_customer(session: Session, registration: Registration) -> Customer | None:
    """The existing customer a pending registration is most likely the shop of."""
    return find_customer(session, registration.phone, registration.email)


def approve(
    session: Session, registration: Registration, *, by: int | None, customer_id: int | None = None
) -> Customer:
    """Make the login and link it to ``customer_id``, else to the customer with the same
    phone or e-mail, else to a new customer made from the registration."""
    _pending(registration)
    _login_taken(session, registration.phone, registration.email)
    if customer_id is not None:
        customer = customers.get_customer(session, customer_id)
    else:
        customer = suggested_customer(session, registration) or customers.create_customer(
            session,
            {
                "shop_name": registration.shop_name,
                "owner_name": registration.owner_name,
                "phone": registration.phone,
                "address": registration.address,
                "area": registration.area,
            },
        )
    if customer.walk_in or not customer.active:
        raise Invalid("Only an active retailer can be given a portal login")
    if customer.user_id is not None:
        raise Conflict(
            "{shop} already has a portal login", code="has_login", shop=customer.shop_name
        )
    # what the shop told us fills what we did not know; nothing we had is overwritten
    for key in ("owner_name", "phone", "address", "area", "nik", "npwp", "latitude", "longitude"):
        if getattr(customer, key) in (None, "") and getattr(registration, key) not in (None, ""):
            setattr(customer, key, getattr(registration, key))
    user = User(
        phone=registration.phone,
        email=registration.email,
        name=registration.owner_name,
        password_hash=registration.password_hash,
        role=_retailer_role(session),
    )
    session.add(user)
    session.flush()
    customer.user_id = user.id
    registration.user_id = user.id
    registration.customer_id = customer.id
    _decide(registration, APPROVED, by)
    session.flush()
    return customer


def reject(session: Session, registration: Registration, *, by: int | None, reason: str) -> None:
    """Refuse a sign-up; no login is made, and the shop may register again."""
    _pending(registration)
    registration.reason = (reason or "").strip()[:400]
    _decide(registration, REJECTED, by)
    session.flush()


def _decide(registration: Registration, state: str, by: int | None) -> None:
    registration.state = state
    registration.decided_by = by
    registration.decided_at = utcnow()
    registration.password_hash = ""  # kept only until the login exists (or never will)


def _retailer_role(session: Session) -> Role:
    role = session.scalar(sa.select(Role).where(Role.name == "retailer"))
    if role is None:
        raise Invalid("Unknown role {role}", role="retailer")
    return role
