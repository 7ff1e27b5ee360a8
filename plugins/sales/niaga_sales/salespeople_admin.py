"""Admin pages of the sales network under ``/admin/sales/``: salespeople and the retailers
they look after, monthly targets against achievement, and the phone screen on which a
salesperson takes an order at a retailer's shop (from a chosen warehouse)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, render_template, request, url_for

from niaga.actions import run_action
from niaga.auth import caller, check, require
from niaga.clock import shop_today
from niaga.db import session
from niaga.errors import Invalid, Refused
from niaga.i18n import gettext
from niaga.inputs import FormReader
from niaga.models import User
from niaga.runtime import hooks
from niaga_sales import branches, orders, salespeople
from niaga_sales.models import Customer, Order, Salesperson

bp = Blueprint("sales_network", __name__, template_folder="templates")

#: product rows on the take-order screen
ROWS = 5
LABELS = {
    "code": "Code",
    "name": "Name",
    "phone": "Phone",
    "user_id": "Login",
    "amount": "Target",
    "month": "Month",
    "customer_id": "Retailer",
    "warehouse_id": "Warehouse",
    "salesperson_id": "Salesperson",
    **{f"quantity_{i}": "Quantity" for i in range(ROWS)},
    **{f"product_{i}": "Product" for i in range(ROWS)},
}


def _month(text: str | None) -> dt.date:
    """``2026-12`` from ``<input type="month">`` as its first day; this month when empty."""
    if text:
        try:
            value = dt.date.fromisoformat(f"{text[:7]}-01")
        except ValueError:
            value = None
        if value is not None and 2000 <= value.year <= 2099:
            return value
        flash(gettext("{value} is not a month", value=text), "error")
    return salespeople.month_of(shop_today(session()))


def _logins() -> list[User]:
    """Staff logins that may be linked to a salesperson (not retailers)."""
    return [
        u
        for u in session().scalars(sa.select(User).order_by(User.name, User.email))
        if not u.can("sales.portal") or u.can("sales.edit")
    ]


def _person_fields(form: FormReader) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": form.text("code", max_length=20),
        "name": form.text("name", required=True, max_length=120),
        "phone": form.text("phone", max_length=30),
        "user_id": form.integer("user_id"),
    }
    if "active" in request.form or request.form.get("editing"):
        data["active"] = form.flag("active")
    return data


@bp.route("/salespeople", methods=["GET", "POST"])
@require("sales.view")
def salespeople_page():
    """Salespeople, how many retailers each looks after, and a form for a new one."""
    if request.method == "POST":
        _edit_only()
        form = FormReader(request.form)
        data = _person_fields(form)

        def create(db: Any) -> Salesperson:
            form.check()
            return salespeople.save_salesperson(db, data)

        return run_action(
            create,
            success="Salesperson saved",
            then=lambda person: url_for(".salesperson_page", salesperson_id=person.id),
            failed=url_for(".salespeople_page"),
            labels=LABELS,
        )
    month = salespeople.month_of(shop_today(session()))
    rows = salespeople.achievements(session(), month)
    shown = {row.salesperson.id for row in rows}
    inactive = [p for p in salespeople.list_salespeople(session()) if p.id not in shown]
    return render_template(
        "sales/salespeople.html", rows=rows, inactive=inactive, month=month, logins=_logins()
    )


def _edit_only() -> None:
    """Managing salespeople and targets needs ``sales.edit`` (403 otherwise)."""
    check("sales.edit")


@bp.route("/salespeople/<int:salesperson_id>", methods=["GET", "POST"])
@require("sales.view")
def salesperson_page(salesperson_id: int):
    """One salesperson: details, their retailers (give or take one), this month's target."""
    person = salespeople.get_salesperson(session(), salesperson_id)
    here = url_for(".salesperson_page", salesperson_id=salesperson_id)
    if request.method == "POST":
        _edit_only()
        form = FormReader(request.form)
        action = request.form.get("action", "")
        if action == "assign":
            customer_id = form.integer("customer_id", required=True)
            return run_action(
                lambda db: salespeople.assign(db, customer_id or 0, salesperson_id),
                success="Retailer assigned",
                then=here,
                labels=LABELS,
            )
        if action == "unassign":
            customer_id = form.integer("customer_id", required=True)
            return run_action(
                lambda db: salespeople.assign(db, customer_id or 0, None),
                success="Retailer no longer assigned",
                then=here,
                labels=LABELS,
            )
        if action == "target":
            month = _month(request.form.get("month"))
            amount = form.money("amount", required=True)

            def target(db: Any) -> Any:
                form.check()
                return salespeople.set_target(db, salesperson_id, month, amount)

            return run_action(target, success="Target saved", then=here, labels=LABELS)
        data = _person_fields(form)

        def save(db: Any) -> Salesperson:
            form.check()
            return salespeople.save_salesperson(
                db, data, salespeople.get_salesperson(db, salesperson_id)
            )

        return run_action(save, success="Salesperson saved", then=here, labels=LABELS)
    month = salespeople.month_of(shop_today(session()))
    mine = salespeople.retailers(session(), salesperson_id)
    others = session().scalars(
        sa.select(Customer)
        .where(
            Customer.active.is_(True),
            Customer.walk_in.is_(False),
            sa.or_(Customer.salesperson_id.is_(None), Customer.salesperson_id != salesperson_id),
        )
        .order_by(Customer.shop_name)
    )
    return render_template(
        "sales/salesperson.html",
        person=person,
        retailers=mine,
        others=others.all(),
        achievement=salespeople.achievements(session(), month, salesperson_id)[0],
        logins=_logins(),
    )


@bp.route("/targets", methods=["GET", "POST"])
@require("sales.view")
def targets_page():
    """Each salesperson's target of a month against their net sales that month."""
    if request.method == "POST":
        _edit_only()
        form = FormReader(request.form)
        month = _month(request.form.get("month"))
        salesperson_id = form.integer("salesperson_id", required=True)
        amount = form.money("amount", required=True)

        def target(db: Any) -> Any:
            form.check()
            return salespeople.set_target(db, salesperson_id or 0, month, amount)

        return run_action(
            target,
            success="Target saved",
            then=url_for(".targets_page", month=month.strftime("%Y-%m")),
            labels=LABELS,
        )
    month = _month(request.args.get("month"))
    rows = salespeople.achievements(session(), month)
    return render_template(
        "sales/targets.html",
        rows=rows,
        month=month,
        total_target=sum((r.target or Decimal(0) for r in rows), Decimal(0)),
        total_achieved=sum((r.achieved for r in rows), Decimal(0)),
    )


@bp.route("/take-order", methods=["GET", "POST"])
@require("sales.take_orders")
def take_order():
    """A salesperson at a retailer's shop, on a phone: pick the shop, the warehouse and the
    goods; the order is saved and confirmed (stock reserved there) in one step, as theirs."""
    who = caller()
    assert who is not None
    person = salespeople.of_user(session(), who.user.id)
    if request.method == "POST":
        form = FormReader(request.form)
        customer_id = form.integer("customer_id", required=True)
        warehouse_id = form.integer("warehouse_id")
        chosen = form.integer("salesperson_id")
        notes = form.text("notes", max_length=2000)
        lines = []
        for index in range(ROWS):
            if not form.raw(f"quantity_{index}"):
                continue
            quantity = form.quantity(f"quantity_{index}", positive=True)
            product = form.integer(f"product_{index}", required=True)
            lines.append({"product_id": product, "quantity": quantity})

        def take(db: Any) -> Any:
            if not lines and not form.errors:
                raise Invalid(
                    "An order needs at least one line",
                    fields={"quantity_0": ["Please fill this in"]},
                )
            form.check()
            salesperson_id = _taker(db, person, chosen)
            order = orders.create_order(
                db,
                customer_id or 0,
                lines,
                source="salesperson",
                notes=notes,
                allow_price=False,
                warehouse_id=warehouse_id,
                salesperson_id=salesperson_id,
            )
            return orders.confirm_order(db, order.id)

        return run_action(
            take,
            success="Order taken",
            then=lambda order: url_for(".take_order", taken=order.id),
            failed=url_for(".take_order"),
            labels=LABELS,
        )
    return render_template(
        "sales/take_order.html",
        person=person,
        customers=_shops(person),
        warehouses=[w for w in branches.warehouses(session()) if w.active],
        products=list(
            hooks().inventory_search(session=session(), query="", limit=300, offset=0) or []
        ),
        people=salespeople.list_salespeople(session(), active_only=True)
        if who.can("sales.edit")
        else [],
        rows=range(ROWS),
        taken=_taken(request.args.get("taken", type=int)),
    )


def _taken(order_id: int | None) -> Any:
    """The order just taken (shown with its number and total), if any."""
    if order_id is None:
        return None
    found = session().get(Order, order_id)
    return found if found is not None and found.source == "salesperson" else None


def _taker(db: Any, person: Salesperson | None, chosen: int | None) -> int | None:
    """Who the order is for: the salesperson of this login; staff who manage sales may
    name one instead; anyone else without a salesperson record is refused."""
    who = caller()
    assert who is not None
    if chosen is not None and who.can("sales.edit"):
        return chosen
    if person is None:
        if who.can("sales.edit"):
            return None
        raise Refused("This login is not linked to a salesperson", code="not_a_salesperson")
    return person.id


def _shops(person: Salesperson | None) -> list[Customer]:
    """The salesperson's own retailers first, then the other active ones."""
    rows = session().scalars(
        sa.select(Customer)
        .where(Customer.active.is_(True), Customer.walk_in.is_(False))
        .order_by(Customer.shop_name)
    )
    found = rows.all()
    if person is None:
        return found
    return sorted(found, key=lambda c: c.salesperson_id != person.id)
