"""Admin pages for prices per customer group, under ``/admin/sales/``: price lists (a price
per product and unit, with quantity breaks) and customer groups (which price list a group
buys at, and which retailers are in it). The rules are :mod:`niaga_sales.customers`'; an
order line is priced from them by :func:`niaga_sales.pricing.list_price`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for

from niaga.actions import run_action
from niaga.auth import require
from niaga.db import session
from niaga.errors import Invalid, NotFound
from niaga.inputs import FormReader
from niaga_sales import customers
from niaga_sales.models import Customer, CustomerGroup, PriceList
from niaga_sales.pricing import find_product

bp = Blueprint("sales_pricing", __name__, template_folder="templates")

#: empty rows under a price list's items, for new prices
NEW_ROWS = 3
LABELS = {
    "name": "Name",
    "code": "Code",
    "price_list_id": "Price list",
    **{
        f"{field}_{i}": label
        for i in range(200)
        for field, label in (
            ("sku", "Product"),
            ("unit", "Unit"),
            ("min", "From quantity"),
            ("price", "Price"),
        )
    },
}


def _get(model: Any, ident: int, what: str) -> Any:
    found = session().get(model, ident)
    if found is None:
        raise NotFound("{what} {id} not found", what=what, id=ident)
    return found


def _price_lists() -> list[PriceList]:
    return list(session().scalars(sa.select(PriceList).order_by(PriceList.name)))


# --- price lists ------------------------------------------------------------------------


@bp.get("/price-lists")
@require("sales.view")
def price_lists_page():
    groups: dict[int, list[str]] = {}
    for group in session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.name)):
        if group.price_list_id is not None:
            groups.setdefault(group.price_list_id, []).append(group.name)
    return render_template("sales/price_lists.html", price_lists=_price_lists(), groups=groups)


@bp.post("/price-lists")
@require("sales.edit")
def create_price_list():
    form = FormReader(request.form)
    name = form.text("name", required=True, max_length=80)

    def create(db: Any) -> PriceList:
        form.check()
        return customers.create_price_list(db, name, [])

    return run_action(
        create,
        success="Price list saved",
        then=lambda found: url_for(".price_list_page", price_list_id=found.id),
        failed=url_for(".price_lists_page"),
        labels=LABELS,
    )


def _rows(price_list: PriceList) -> list[dict[str, Any]]:
    """The price list's items as the form shows them (product by SKU), then empty rows."""
    rows = []
    for item in price_list.items:
        try:
            product = find_product(session(), product_id=item.product_id)
        except Invalid:  # a product deleted or no longer sold: still shown, by its id
            product = None
        rows.append(
            {
                "sku": product.sku if product else str(item.product_id),
                "name": product.name if product else "",
                "unit": item.unit,
                "min": item.min_quantity,
                "price": item.price,
            }
        )
    return rows + [{"sku": "", "name": "", "unit": "", "min": None, "price": None}] * NEW_ROWS


@bp.get("/price-lists/<int:price_list_id>")
@require("sales.view")
def price_list_page(price_list_id: int):
    price_list = _get(PriceList, price_list_id, "Price list")
    groups = session().scalars(
        sa.select(CustomerGroup)
        .where(CustomerGroup.price_list_id == price_list.id)
        .order_by(CustomerGroup.name)
    )
    return render_template(
        "sales/price_list.html",
        price_list=price_list,
        rows=_rows(price_list),
        groups=groups.all(),
    )


def _items(form: FormReader) -> list[dict[str, Any]]:
    """The rows of the price list form that name a product and are not marked removed;
    a row's product is found by SKU and its unit must be one of the product's."""
    items: list[dict[str, Any]] = []
    count = min(int(form.raw("rows") or 0) if form.raw("rows").isdigit() else 0, 200)
    for i in range(count):
        sku = form.text(f"sku_{i}", max_length=40)
        if not sku or form.flag(f"remove_{i}"):
            continue
        unit = form.text(f"unit_{i}", max_length=20)
        minimum = form.quantity(f"min_{i}", positive=True)
        price = form.money(f"price_{i}", required=True)
        if price is None:
            continue
        try:
            product = find_product(session(), sku=sku)
        except Invalid:
            form._fail(f"sku_{i}", "Unknown product {key}", key=sku)
            continue
        if product is None:
            raise Invalid("Price lists need the inventory plugin's products")
        unit = unit or product.base_unit
        if unit not in product.units and unit != product.base_unit:
            form._fail(
                f"unit_{i}",
                "{product} is not sold by the {unit}",
                product=product.name,
                unit=unit,
            )
            continue
        items.append(
            {
                "product_id": product.id,
                "unit": unit,
                "min_quantity": minimum or Decimal(1),
                "price": price,
            }
        )
    return items


@bp.post("/price-lists/<int:price_list_id>")
@require("sales.edit")
def save_price_list(price_list_id: int):
    price_list = _get(PriceList, price_list_id, "Price list")
    here = url_for(".price_list_page", price_list_id=price_list_id)
    form = FormReader(request.form)
    name = form.text("name", required=True, max_length=80)

    def save(db: Any) -> PriceList:
        items = _items(form)
        form.check()  # nothing is saved unless every row reads
        customers.rename_price_list(db, price_list, name)
        customers.set_price_list_items(price_list, items)
        db.flush()
        return price_list

    return run_action(save, success="Price list saved", then=here, labels=LABELS)


# --- customer groups ----------------------------------------------------------------------


@bp.get("/groups")
@require("sales.view")
def groups_page():
    counted = session().execute(
        sa.select(Customer.group_id, sa.func.count(Customer.id))
        .where(Customer.group_id.is_not(None))
        .group_by(Customer.group_id)
    )
    counts = {group_id: count for group_id, count in counted}
    groups = session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.code)).all()
    return render_template(
        "sales/groups.html", groups=groups, counts=counts, price_lists=_price_lists()
    )


def _price_list_id(form: FormReader) -> int | None:
    raw = form.raw("price_list_id")
    if not raw:
        return None
    if not raw.isdigit():
        form._fail("price_list_id", "Choose a price list")
        return None
    return int(raw)


@bp.post("/groups")
@require("sales.edit")
def create_group():
    form = FormReader(request.form)
    code = form.text("code", required=True, max_length=20)
    name = form.text("name", required=True, max_length=80)
    price_list_id = _price_list_id(form)

    def create(db: Any) -> CustomerGroup:
        form.check()
        return customers.create_group(db, code, name, price_list_id)

    return run_action(
        create,
        success="Customer group saved",
        then=lambda group: url_for(".group_page", group_id=group.id),
        failed=url_for(".groups_page"),
        labels=LABELS,
    )


@bp.get("/groups/<int:group_id>")
@require("sales.view")
def group_page(group_id: int):
    group = _get(CustomerGroup, group_id, "Customer group")
    query = request.args.get("q", "").strip()[:80]
    statement = sa.select(Customer).where(Customer.walk_in.is_(False))
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(
                sa.func.lower(Customer.shop_name).like(like),
                sa.func.lower(Customer.area).like(like),
                sa.func.lower(Customer.code).like(like),
            )
        )
    rows = session().scalars(
        statement.order_by((Customer.group_id == group.id).desc(), Customer.shop_name).limit(500)
    )
    return render_template(
        "sales/group.html",
        group=group,
        customers=rows.all(),
        price_lists=_price_lists(),
        query=query,
    )


@bp.post("/groups/<int:group_id>")
@require("sales.edit")
def save_group(group_id: int):
    group = _get(CustomerGroup, group_id, "Customer group")
    here = url_for(".group_page", group_id=group_id, q=request.args.get("q") or None)
    form = FormReader(request.form)
    name = form.text("name", required=True, max_length=80)
    price_list_id = _price_list_id(form)
    shown = {int(v) for v in request.form.getlist("shown") if v.isdigit()}
    chosen = {int(v) for v in request.form.getlist("member") if v.isdigit()}

    def save(db: Any) -> CustomerGroup:
        form.check()
        customers.update_group(db, group, name, price_list_id)
        customers.set_group_members(db, group, chosen & shown, among=shown)
        return group

    return run_action(save, success="Customer group saved", then=here, labels=LABELS)
