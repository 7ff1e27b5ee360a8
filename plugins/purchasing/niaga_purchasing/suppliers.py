"""Suppliers: contact data, NPWP, payment terms and their usual prices per product."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import tax_ids
from niaga.clock import shop_today
from niaga.errors import Conflict, Invalid, NotFound
from niaga_purchasing.models import Supplier, SupplierPrice
from niaga_purchasing.products import find_product
from niaga_purchasing.settings import next_number

SUPPLIER_FIELDS = (
    "name",
    "contact_person",
    "phone",
    "email",
    "address",
    "city",
    "pkp",
    "payment_terms_days",
    "notes",
    "active",
)


def normalize_npwp(value: str | None) -> str | None:
    """Digits of an NPWP, or ``None`` when empty: the one rule of :mod:`niaga.tax_ids`
    (15 digits in the old form ``01.234.567.8-901.000``, 16 since 2024)."""
    return tax_ids.parse_npwp(value)


def format_npwp(digits: str | None) -> str:
    """An NPWP as people write it (:func:`niaga.tax_ids.format_npwp`)."""
    return tax_ids.format_npwp(digits)


def get_supplier(session: Session, supplier_id: int) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound("Supplier {id} not found", id=supplier_id)
    return supplier


def _check_unique_npwp(session: Session, npwp: str | None, supplier_id: int | None) -> None:
    if npwp is None:
        return
    other = session.scalar(sa.select(Supplier.id).where(Supplier.npwp == npwp))
    if other is not None and other != supplier_id:
        raise Conflict(
            "Another supplier already has NPWP {npwp}",
            npwp=format_npwp(npwp),
            fields={"npwp": ["Another supplier already has this NPWP"]},
        )


def create_supplier(session: Session, data: dict[str, Any]) -> Supplier:
    """Create a supplier; the code is generated (``SUP0001``) when not given."""
    try:
        npwp = normalize_npwp(data.get("npwp"))
    except Invalid as exc:  # named as the NPWP field's problem, for a form to show there
        raise Invalid(exc.template, fields={"npwp": [str(exc)]}, **exc.params) from None
    _check_unique_npwp(session, npwp, None)
    code = (data.get("code") or "").strip() or next_number(session, "supplier", shop_today(session))
    if session.scalar(sa.select(Supplier.id).where(Supplier.code == code)):
        raise Conflict(
            "Another supplier already has the code {supplier_code}",
            code="supplier_code_taken",
            supplier_code=code,
        )
    supplier = Supplier(code=code, npwp=npwp)
    for name in SUPPLIER_FIELDS:
        if name in data:
            setattr(supplier, name, data[name])
    session.add(supplier)
    session.flush()
    return supplier


def update_supplier(session: Session, supplier: Supplier, data: dict[str, Any]) -> Supplier:
    if "npwp" in data:
        npwp = normalize_npwp(data["npwp"])
        _check_unique_npwp(session, npwp, supplier.id)
        supplier.npwp = npwp
    for name in SUPPLIER_FIELDS:
        if name in data:
            setattr(supplier, name, data[name])
    session.flush()
    return supplier


def set_price(
    session: Session,
    supplier: Supplier,
    product_id: int,
    price: Decimal,
    unit: str | None = None,
    preferred: bool = False,
) -> SupplierPrice:
    """Record the supplier's usual price for a product (per ``unit``, default the base unit);
    ``preferred`` makes this supplier the product's default supplier."""
    product = find_product(session, product_id)
    assert product is not None
    chosen = unit or product.base_unit
    product.to_base(Decimal("1"), chosen)  # refuses a unit the product does not have
    if price < 0:
        raise Invalid("A price cannot be negative")
    row = session.scalar(
        sa.select(SupplierPrice).where(
            SupplierPrice.supplier_id == supplier.id, SupplierPrice.product_id == product_id
        )
    )
    if row is None:
        row = SupplierPrice(supplier=supplier, product_id=product_id)
        session.add(row)
    row.price, row.unit, row.preferred = price, chosen, preferred
    if preferred:
        others = sa.select(SupplierPrice).where(
            SupplierPrice.product_id == product_id,
            SupplierPrice.supplier_id != supplier.id,
            SupplierPrice.preferred.is_(True),
        )
        for other in session.scalars(others):
            other.preferred = False
    session.flush()
    return row


def usual_price(session: Session, supplier_id: int, product_id: int) -> SupplierPrice | None:
    return session.scalar(
        sa.select(SupplierPrice).where(
            SupplierPrice.supplier_id == supplier_id, SupplierPrice.product_id == product_id
        )
    )


def preferred_supplier(session: Session, product_id: int) -> Supplier | None:
    """The product's default supplier: the one marked preferred, else the only one."""
    rows = list(
        session.scalars(
            sa.select(SupplierPrice)
            .join(Supplier)
            .where(SupplierPrice.product_id == product_id, Supplier.active.is_(True))
            .order_by(SupplierPrice.preferred.desc(), SupplierPrice.id)
        )
    )
    if rows and (rows[0].preferred or len(rows) == 1):
        return rows[0].supplier
    return None
