"""Customers (retailers and the walk-in customer), customer groups and price lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import tax_ids
from niaga.errors import Conflict, Invalid, NotFound
from niaga.models import User
from niaga_sales.models import Customer, CustomerGroup, PriceList, PriceListItem

WALK_IN_CODE = "UMUM"
CUSTOMER_FIELDS = (
    "shop_name",
    "owner_name",
    "phone",
    "address",
    "area",
    "group_id",
    "credit_limit",
    "payment_terms_days",
    "user_id",
    "active",
    "npwp",
    "nik",
    "nitku",
    "tax_name",
    "tax_address",
)
#: tax identity fields -> the niaga.tax_ids rule that turns what was typed into digits
TAX_ID_RULES = {
    "npwp": tax_ids.parse_npwp,
    "nik": tax_ids.parse_nik,
    "nitku": tax_ids.parse_nitku,
}


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("Customer {id} not found", id=customer_id)
    return customer


def walk_in(session: Session) -> Customer:
    """The walk-in customer of the counter, created on first use."""
    found = sa.select(Customer).where(Customer.walk_in.is_(True)).limit(1)
    customer = session.scalar(found)
    if customer is None:
        customer = Customer(
            code=WALK_IN_CODE, shop_name="Pelanggan Umum", walk_in=True, payment_terms_days=0
        )
        try:
            with session.begin_nested():
                session.add(customer)
        except sa.exc.IntegrityError:  # another counter's first sale created it meanwhile
            customer = session.scalar(found)
            assert customer is not None
    return customer


def customer_of_user(session: Session, user_id: int) -> Customer:
    """The retailer a portal user belongs to."""
    customer = session.scalar(sa.select(Customer).where(Customer.user_id == user_id))
    if customer is None or not customer.active:
        raise NotFound("No retailer account is linked to this login")
    return customer


def _check_links(session: Session, data: dict[str, Any], customer_id: int | None) -> None:
    group_id = data.get("group_id")
    if group_id is not None and session.get(CustomerGroup, group_id) is None:
        raise Invalid("Unknown customer group {id}", id=group_id, fields={"group_id": ["Unknown"]})
    user_id = data.get("user_id")
    if user_id is not None:
        user = session.get(User, user_id)
        if user is None or user.role.name != "retailer":
            raise Invalid(
                "User {id} is not a retailer login",
                id=user_id,
                fields={"user_id": ["Not a retailer"]},
            )
        taken = session.scalar(
            sa.select(Customer.id).where(Customer.user_id == user_id, Customer.id != customer_id)
        )
        if taken:
            raise Conflict("That login already belongs to another customer")
    limit = data.get("credit_limit")
    if limit is not None and Decimal(limit) < 0:
        raise Invalid("A credit limit cannot be negative", fields={"credit_limit": [">= 0"]})


def _tax_identity(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with NPWP, NIK and NITKU as digits (``None`` when empty), checked by
    :mod:`niaga.tax_ids`, and an empty tax name or address as ``None``."""
    checked = dict(data)
    for key, parse in TAX_ID_RULES.items():
        if key in checked:
            checked[key] = parse(checked[key], key)
    for key in ("tax_name", "tax_address"):
        if key in checked:
            checked[key] = (checked[key] or "").strip() or None
    return checked


def create_customer(session: Session, data: dict[str, Any]) -> Customer:
    """A new retailer; ``code`` is generated (``C0001``) when not given."""
    data = _tax_identity(data)
    _check_links(session, data, None)
    code = data.get("code") or _next_code(session)
    if session.scalar(sa.select(Customer.id).where(Customer.code == code)):
        raise Conflict(
            "Customer code {customer_code} is already used",
            code="customer_code_taken",
            customer_code=code,
        )
    customer = Customer(code=code, **{k: v for k, v in data.items() if k in CUSTOMER_FIELDS})
    session.add(customer)
    session.flush()
    return customer


def update_customer(session: Session, customer: Customer, data: dict[str, Any]) -> Customer:
    data = _tax_identity(data)
    _check_links(session, data, customer.id)
    for key, value in data.items():
        if key in CUSTOMER_FIELDS:
            setattr(customer, key, value)
    session.flush()
    return customer


def _next_code(session: Session) -> str:
    count = session.scalar(sa.select(sa.func.count()).select_from(Customer)) or 0
    number = count + 1
    while session.scalar(sa.select(Customer.id).where(Customer.code == f"C{number:04d}")):
        number += 1
    return f"C{number:04d}"


def create_group(
    session: Session, code: str, name: str, price_list_id: int | None
) -> CustomerGroup:
    if session.scalar(sa.select(CustomerGroup.id).where(CustomerGroup.code == code)):
        raise Conflict(
            "Customer group {group_code} exists already",
            code="customer_group_exists",
            group_code=code,
        )
    if price_list_id is not None and session.get(PriceList, price_list_id) is None:
        raise Invalid("Unknown price list {id}", id=price_list_id)
    group = CustomerGroup(code=code, name=name, price_list_id=price_list_id)
    session.add(group)
    session.flush()
    return group


def create_price_list(session: Session, name: str, items: list[dict[str, Any]]) -> PriceList:
    """A price list with its items (``product_id``, ``unit``, ``min_quantity``, ``price``)."""
    if session.scalar(sa.select(PriceList.id).where(PriceList.name == name)):
        raise Conflict("Price list {name} exists already", name=name)
    price_list = PriceList(name=name)
    session.add(price_list)
    set_price_list_items(price_list, items)
    session.flush()
    return price_list


def set_price_list_items(price_list: PriceList, items: list[dict[str, Any]]) -> None:
    """Replace the items of a price list."""
    seen = set()
    price_list.items.clear()
    for item in items:
        key = (item["product_id"], item["unit"], Decimal(item.get("min_quantity") or 1))
        if key in seen:
            raise Invalid("Price list has the same product, unit and quantity break twice")
        if Decimal(item["price"]) < 0 or key[2] <= 0:
            raise Invalid("Prices cannot be negative and quantity breaks start above zero")
        seen.add(key)
        price_list.items.append(
            PriceListItem(
                product_id=item["product_id"],
                unit=item["unit"],
                min_quantity=key[2],
                price=Decimal(item["price"]),
            )
        )


def update_group(
    session: Session, group: CustomerGroup, name: str, price_list_id: int | None
) -> CustomerGroup:
    """Rename a customer group or give it another price list (``None``: product prices)."""
    if not name.strip():
        raise Invalid("Give the group a name", fields={"name": ["required"]})
    if price_list_id is not None and session.get(PriceList, price_list_id) is None:
        raise Invalid("Unknown price list {id}", id=price_list_id)
    group.name, group.price_list_id = name.strip()[:80], price_list_id
    session.flush()
    return group


def set_group_members(
    session: Session,
    group: CustomerGroup,
    customer_ids: set[int],
    among: set[int] | None = None,
) -> int:
    """Make ``customer_ids`` (non walk-in) customers of ``group``: those not in it join it
    (leaving their old group), members not named leave it — of the customers ``among``
    only, when given (a screen that showed some of them). Returns how many changed."""
    known = set(
        session.scalars(
            sa.select(Customer.id).where(Customer.id.in_(customer_ids), Customer.walk_in.is_(False))
        )
    )
    if unknown := sorted(customer_ids - known):
        raise Invalid(
            "Unknown customer {id}", id=unknown[0], fields={"customers": ["Unknown customer"]}
        )
    changed = 0
    members = session.scalars(
        sa.select(Customer).where(
            sa.or_(Customer.group_id == group.id, Customer.id.in_(customer_ids))
        )
    )
    for customer in members:
        if among is not None and customer.id not in among:
            continue
        wanted = group.id if customer.id in customer_ids else None
        if customer.group_id != wanted:
            customer.group_id = wanted
            changed += 1
    session.flush()
    return changed


def rename_price_list(session: Session, price_list: PriceList, name: str) -> PriceList:
    name = name.strip()[:80]
    if not name:
        raise Invalid("Give the price list a name", fields={"name": ["required"]})
    taken = session.scalar(
        sa.select(PriceList.id).where(PriceList.name == name, PriceList.id != price_list.id)
    )
    if taken:
        raise Conflict("Price list {name} exists already", name=name)
    price_list.name = name
    session.flush()
    return price_list
