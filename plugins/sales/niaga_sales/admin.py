"""Admin pages under ``/admin/sales/``: orders, deliveries (printable surat jalan),
invoices, customers, receivables, and the POS counter screen."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from niaga.auth import caller, require
from niaga.db import session
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext
from niaga_sales import customers, deliveries, invoices, orders, pos, receivables
from niaga_sales.models import ORDER_STATES, Customer, CustomerGroup, Delivery, Invoice, Order

bp = Blueprint(
    "sales_admin",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
PAGE = 50


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def _done(target: str, message: str, action: Any, *args: Any) -> Response:
    """Run a domain action, commit, flash the outcome and go to ``target``."""
    try:
        action(session(), *args)
        session().commit()
        flash(gettext(message), "ok")
    except (NiagaError, ValueError) as exc:
        session().rollback()
        flash(exc.message() if isinstance(exc, NiagaError) else gettext("Not a number"), "error")
    return redirect(target)


@bp.get("/")
@require("sales.view")
def index():  # noqa: ANN201
    state = request.args.get("state", "")
    statement = sa.select(Order).order_by(Order.id.desc())
    if state in ORDER_STATES:
        statement = statement.where(Order.state == state)
    rows = session().scalars(statement.offset((_page() - 1) * PAGE).limit(PAGE)).all()
    return render_template(
        "sales/orders.html", orders=rows, state=state, states=ORDER_STATES, page=_page()
    )


@bp.route("/orders/new", methods=["GET", "POST"])
@require("sales.edit")
def new_order():  # noqa: ANN201
    if request.method == "POST":
        try:
            lines = _form_lines()
            order = orders.create_order(
                session(),
                request.form.get("customer_id", type=int) or 0,
                lines,
                discount_amount=request.form.get("discount_amount") or "0",
                notes=request.form.get("notes", ""),
            )
            session().commit()
            return redirect(url_for(".order", order_id=order.id))
        except (NiagaError, ValueError) as exc:
            session().rollback()
            flash(exc.message() if isinstance(exc, NiagaError) else str(exc), "error")
    active = session().scalars(
        sa.select(Customer).where(Customer.active.is_(True)).order_by(Customer.shop_name)
    )
    return render_template("sales/order_new.html", customers=active.all(), rows=range(6))


def _form_lines() -> list[dict[str, Any]]:
    """Order lines from the rows of the new-order form (empty rows are skipped)."""
    form = request.form
    lines = []
    for index in range(20):
        quantity = form.get(f"quantity_{index}", "").strip()
        product = form.get(f"product_{index}", "").strip()
        if not quantity:
            continue
        line: dict[str, Any] = {"quantity": quantity}
        if product.isdigit():
            line["product_id"] = int(product)
        elif product:
            line["sku"] = product
        for field in ("description", "unit", "unit_price", "discount_percent"):
            value = form.get(f"{field}_{index}", "").strip()
            if value:
                line[field] = value
        lines.append(line)
    if not lines:
        raise Invalid("An order needs at least one line")
    return lines


@bp.get("/orders/<int:order_id>")
@require("sales.view")
def order(order_id: int):  # noqa: ANN201
    found = orders.get_order(session(), order_id)
    due = invoices.amount_due(session(), f"sales.order:{order_id}")
    return render_template(
        "sales/order.html", order=found, amount_due=due, remaining=deliveries.remaining
    )


ORDER_ACTIONS = {
    "confirm": ("Order confirmed", orders.confirm_order),
    "cancel": ("Order cancelled", orders.cancel_order),
    "deliver": ("Delivery order created", deliveries.create_delivery),
    "invoice": ("Invoice issued", invoices.invoice_order),
}


@bp.post("/orders/<int:order_id>/<action>")
@require("sales.edit")
def order_action(order_id: int, action: str):  # noqa: ANN201
    if action not in ORDER_ACTIONS:
        raise Invalid("Unknown action {action}", action=action)
    message, function = ORDER_ACTIONS[action]
    target = url_for(".order", order_id=order_id)
    if action == "confirm" and request.form.get("approve_over_limit"):
        who = caller()
        if who is None or not who.can("sales.approve"):
            flash(gettext("You do not have permission to do this"), "error")
            return redirect(target)
        return _done(target, message, lambda db, oid: function(db, oid, True), order_id)
    return _done(target, message, function, order_id)


@bp.get("/deliveries")
@require("sales.view")
def delivery_list():  # noqa: ANN201
    rows = session().scalars(
        sa.select(Delivery).order_by(Delivery.id.desc()).offset((_page() - 1) * PAGE).limit(PAGE)
    )
    return render_template("sales/deliveries.html", deliveries=rows.all(), page=_page())


@bp.get("/deliveries/<int:delivery_id>")
@require("sales.view")
def delivery(delivery_id: int):  # noqa: ANN201
    from niaga import settings

    return render_template(
        "sales/delivery_print.html",
        delivery=deliveries.get_delivery(session(), delivery_id),
        shop=settings.get(session(), "core.shop_name"),
        address=settings.get(session(), "core.address"),
    )


DELIVERY_ACTIONS = {
    "pack": ("Packed", deliveries.pack),
    "deliver": ("Delivered", deliveries.deliver),
    "cancel": ("Delivery cancelled", deliveries.cancel),
}


@bp.post("/deliveries/<int:delivery_id>/<action>")
@require("sales.edit")
def delivery_action(delivery_id: int, action: str):  # noqa: ANN201
    if action not in DELIVERY_ACTIONS:
        raise Invalid("Unknown action {action}", action=action)
    message, function = DELIVERY_ACTIONS[action]
    target = request.form.get("next") or url_for(".delivery", delivery_id=delivery_id)
    if not target.startswith("/"):
        target = url_for(".delivery", delivery_id=delivery_id)
    return _done(target, message, function, delivery_id)


@bp.get("/invoices")
@require("sales.view")
def invoice_list():  # noqa: ANN201
    state = request.args.get("state", "")
    statement = sa.select(Invoice).order_by(Invoice.id.desc())
    if state in ("open", "paid"):
        statement = statement.where(Invoice.state == state)
    rows = session().scalars(statement.offset((_page() - 1) * PAGE).limit(PAGE))
    return render_template("sales/invoices.html", invoices=rows.all(), state=state, page=_page())


@bp.get("/invoices/<int:invoice_id>")
@require("sales.view")
def invoice(invoice_id: int):  # noqa: ANN201
    from niaga import settings

    return render_template(
        "sales/invoice.html",
        invoice=invoices.get_invoice(session(), invoice_id),
        methods=invoices.METHODS,
        shop=settings.get(session(), "core.shop_name"),
    )


@bp.post("/invoices/<int:invoice_id>/pay")
@require("sales.edit")
def invoice_pay(invoice_id: int):  # noqa: ANN201
    amount = request.form.get("amount", "").strip()
    method = request.form.get("method", "cash")
    target = url_for(".invoice", invoice_id=invoice_id)
    if not amount:
        flash(gettext("Enter the amount received"), "error")
        return redirect(target)
    return _done(target, "Payment recorded", invoices.record_payment, invoice_id, amount, method)


@bp.get("/receivables")
@require("sales.view")
def receivable_list():  # noqa: ANN201
    return render_template("sales/receivables.html", rows=receivables.aged(session()))


@bp.route("/customers", methods=["GET", "POST"])
@require("sales.view")
def customer_list():  # noqa: ANN201
    if request.method == "POST":
        who = caller()
        if who is None or not who.can("sales.edit"):
            flash(gettext("You do not have permission to do this"), "error")
            return redirect(url_for(".customer_list"))
        form = request.form
        data: dict[str, Any] = {
            key: form.get(key, "").strip()
            for key in ("shop_name", "owner_name", "phone", "address", "area")
        }
        data["group_id"] = form.get("group_id", type=int)
        data["payment_terms_days"] = form.get("payment_terms_days", 0, type=int)
        data["credit_limit"] = form.get("credit_limit", "").strip() or None
        if not data["shop_name"]:
            flash(gettext("Enter the shop name"), "error")
        else:
            return _done(
                url_for(".customer_list"), "Customer saved", customers.create_customer, data
            )
    rows = session().scalars(sa.select(Customer).order_by(Customer.shop_name)).all()
    groups = session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.code)).all()
    return render_template("sales/customers.html", customers=rows, groups=groups)


@bp.get("/pos")
@require("sales.pos")
def pos_screen():  # noqa: ANN201
    who = caller()
    assert who is not None
    current = pos.current_session(session(), who.user.id)
    from niaga import settings

    return render_template(
        "sales/pos.html",
        current=current,
        shop=settings.get(session(), "core.shop_name"),
        address=settings.get(session(), "core.address"),
        cashier=who.user.name or who.user.email,
    )
