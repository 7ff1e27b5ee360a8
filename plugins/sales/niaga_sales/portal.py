"""The retailer portal under ``/portal/sales/``: the catalogue with the retailer's own
prices and stock, ordering, following an order to delivery, reordering, invoices."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for

from niaga.auth import caller, require
from niaga.db import session
from niaga.errors import NiagaError, NotFound
from niaga.i18n import gettext
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
def catalogue_page():  # noqa: ANN201
    me = _me()
    if request.method == "POST":
        lines: list[dict[str, Any]] = []
        for key, value in request.form.items():
            if key.startswith("qty_") and value.strip() and value.strip() != "0":
                lines.append({"product_id": int(key[4:]), "quantity": value.strip()})
        try:
            order = orders.create_order(
                session(),
                me.id,
                lines,
                source="portal",
                notes=request.form.get("notes", "")[:2000],
                allow_price=False,
            )
            session().commit()
            flash(gettext("Order sent; the distributor will confirm it"), "ok")
            return redirect(url_for(".order_page", order_id=order.id))
        except (NiagaError, ValueError) as exc:
            session().rollback()
            flash(
                exc.message() if isinstance(exc, NiagaError) else gettext("Not a number"), "error"
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
def orders_page():  # noqa: ANN201
    rows = session().scalars(
        sa.select(Order).where(Order.customer_id == _me().id).order_by(Order.id.desc()).limit(100)
    )
    return render_template("sales/portal_orders.html", orders=rows.all())


@bp.get("/orders/<int:order_id>")
@require("sales.portal")
def order_page(order_id: int):  # noqa: ANN201
    return render_template("sales/portal_order.html", order=_my_order(order_id))


@bp.post("/orders/<int:order_id>/reorder")
@require("sales.portal")
def reorder(order_id: int):  # noqa: ANN201
    try:
        order = orders.reorder(session(), _my_order(order_id), "portal", False)
        session().commit()
        flash(gettext("A new order was made from your earlier one"), "ok")
        return redirect(url_for(".order_page", order_id=order.id))
    except NiagaError as exc:
        session().rollback()
        flash(exc.message(), "error")
        return redirect(url_for(".order_page", order_id=order_id))


@bp.get("/invoices")
@require("sales.portal")
def invoices_page():  # noqa: ANN201
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
