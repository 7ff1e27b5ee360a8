"""The retailer portal under ``/portal/sales/``: the catalogue with the retailer's own
prices and stock, ordering, following an order to delivery, reordering, invoices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for

from niaga.actions import run_action
from niaga.auth import caller, require
from niaga.db import session
from niaga.errors import NotFound
from niaga.inputs import FormReader
from niaga_sales import catalogue, customers, orders, receivables
from niaga_sales.models import Customer, Invoice, Order

bp = Blueprint("sales_portal", __name__, template_folder="templates")


def _me() -> Customer:
    who = caller()
    assert who is not None
    return customers.customer_of_user(session(), who.user.id)


def _my_order(order_id: int) -> Order:
    order = session().get(Order, order_id)
    if order is None or order.customer_id != _me().id:
        raise NotFound("Order {id} not found", id=order_id)
    return order


@bp.route("/", methods=["GET", "POST"])
@require("sales.portal")
def catalogue_page():
    me = _me()
    if request.method == "POST":
        form = FormReader(request.form)
        lines: list[dict[str, Any]] = []
        for key in request.form:
            if key.startswith("qty_") and key[4:].isdigit():
                quantity = form.quantity(key, minimum=Decimal(0))
                if quantity:
                    lines.append({"product_id": int(key[4:]), "quantity": quantity})
        notes = form.text("notes", max_length=2000)

        def place(db: Any) -> Any:
            form.check()  # nothing is ordered unless every quantity reads
            return orders.create_order(
                db, me.id, lines, source="portal", notes=notes, allow_price=False
            )

        return run_action(
            place,
            success="Order sent; the distributor will confirm it",
            then=lambda order: url_for(".order_page", order_id=order.id),
            failed=url_for(".catalogue_page", q=request.args.get("q", "")),
        )
    query = request.args.get("q", "")
    products = catalogue.search(session(), query, me, limit=50)
    return render_template(
        "sales/portal_catalogue.html",
        products=products,
        query=query,
        me=me,
        balance=receivables.customer_balance(session(), me),
    )


@bp.get("/orders")
@require("sales.portal")
def orders_page():
    rows = session().scalars(
        sa.select(Order).where(Order.customer_id == _me().id).order_by(Order.id.desc()).limit(100)
    )
    return render_template("sales/portal_orders.html", orders=rows.all())


@bp.get("/orders/<int:order_id>")
@require("sales.portal")
def order_page(order_id: int):
    return render_template("sales/portal_order.html", order=_my_order(order_id))


@bp.post("/orders/<int:order_id>/reorder")
@require("sales.portal")
def reorder(order_id: int):
    earlier = _my_order(order_id)
    return run_action(
        lambda db: orders.reorder(db, earlier, "portal", False),
        success="A new order was made from your earlier one",
        then=lambda order: url_for(".order_page", order_id=order.id),
        failed=url_for(".order_page", order_id=order_id),
    )


@bp.get("/invoices")
@require("sales.portal")
def invoices_page():
    me = _me()
    rows = session().scalars(
        sa.select(Invoice)
        .where(Invoice.customer_id == me.id)
        .order_by(Invoice.id.desc())
        .limit(100)
    )
    return render_template(
        "sales/portal_invoices.html",
        invoices=rows.all(),
        balance=receivables.customer_balance(session(), me),
    )
