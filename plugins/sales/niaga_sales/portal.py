"""The retailer portal under ``/portal/sales/``: the catalogue with the retailer's own
prices and stock, ordering, following an order to delivery, reordering, invoices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template, request, url_for

from niaga.actions import error_text, run_action
from niaga.auth import caller, require
from niaga.db import session
from niaga.errors import NiagaError, NotFound
from niaga.i18n import gettext
from niaga.inputs import FormReader
from niaga.l10n import format_money
from niaga.money import ZERO
from niaga.runtime import hooks
from niaga_sales import catalogue, customers, kpi, orders, quotes, receivables
from niaga_sales.config import tax_policy
from niaga_sales.models import Customer, Invoice, Order
from niaga_sales.pricing import list_price

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
        lines = _lines_of(form)
        notes = form.text("notes", max_length=2000)
        voucher = form.text("voucher_code", max_length=40)

        def place(db: Any) -> Any:
            form.check()  # nothing is ordered unless every quantity reads
            return orders.create_order(
                db,
                me.id,
                lines,
                source="portal",
                notes=notes,
                allow_price=False,
                data={"voucher_code": voucher} if voucher else None,
            )

        return run_action(
            place,
            success="Order sent; the distributor will confirm it",
            then=lambda order: url_for(".order_page", order_id=order.id),
            failed=url_for(".catalogue_page", q=request.args.get("q", "")),
        )
    query = request.args.get("q", "")
    products = catalogue.search(session(), query, me, limit=50)
    for product in products:
        product["unit_prices"] = _unit_prices(product, me)
    return render_template(
        "sales/portal_catalogue.html",
        products=products,
        query=query,
        me=me,
        tax=tax_policy(session()),
        balance=receivables.customer_balance(session(), me),
    )


def _lines_of(form: FormReader) -> list[dict[str, Any]]:
    """The order lines of the catalogue form: ``qty_<product>`` and ``unit_<product>``."""
    lines: list[dict[str, Any]] = []
    for key in form.form:
        if key.startswith("qty_") and key[4:].isdigit() and len(key) < 24:
            quantity = form.quantity(key, minimum=Decimal(0))
            if quantity:
                line = {"product_id": int(key[4:]), "quantity": quantity}
                unit = form.text(f"unit_{key[4:]}", max_length=20)
                if unit:
                    line["unit"] = unit  # a unit the product lacks is refused by name
                lines.append(line)
    return lines


@bp.get("/quote")
@require("sales.portal")
def quote_view():
    """The catalogue form's figures as the server prices them (the voucher taken off), for
    the running total: the same fields as the form, read from the query string. JSON
    ``{"subtotal", "tax", "total", "adjustments": [{"label", "amount"}]}`` with each amount
    also formatted (``*_text``), or ``{"error": ...}`` with 422; nothing is written."""
    form = FormReader(request.args)
    lines = _lines_of(form)
    voucher = form.text("voucher_code", max_length=40)
    try:
        form.check()
        if not lines:
            return jsonify(_figures(quotes.Quote(ZERO, ZERO, ZERO)))
        found = quotes.quote(
            session(), _me(), lines, data={"voucher_code": voucher} if voucher else None
        )
    except NiagaError as exc:
        return jsonify({"error": error_text(exc)}), 422
    return jsonify(_figures(found))


def _figures(found: quotes.Quote) -> dict[str, Any]:
    def money(amount: Decimal) -> dict[str, str]:
        return {"amount": str(amount), "text": format_money(amount)}

    return {
        "subtotal": money(found.subtotal),
        "tax": money(found.tax),
        "total": money(found.total),
        "adjustments": [
            {"label": gettext(label), **money(amount)} for label, amount in found.adjustments
        ],
    }


def _unit_prices(product: dict[str, Any], me: Customer) -> dict[str, Decimal]:
    """The retailer's price of one of each of the product's units (``pcs``, ``karton``),
    by the rule an order line is priced with (a karton may have a price of its own)."""
    info = hooks().inventory_product(
        session=session(), product_id=product["id"], sku=None, barcode=None
    )
    if info is None:
        return {product["unit"]: product["price"]}
    return {unit: list_price(session(), info, unit, Decimal(1), me) for unit in product["units"]}


#: how an order's state reads for the retailer who sent it (English, translated)
PORTAL_STATES = {"draft": "Sent, waiting for confirmation"}


def portal_state(state: str) -> str:
    """An order's state in the retailer's words: a draft is an order they have sent."""
    return gettext(PORTAL_STATES.get(state, state))


@bp.context_processor
def helpers() -> dict[str, Any]:
    return {"portal_state": portal_state}


@bp.get("/dashboard")
@require("sales.portal")
def dashboard_page():
    """The retailer's own figures (:mod:`niaga_sales.kpi`): purchases this month and last,
    status, invoices due, points and tier, last orders with a reorder button."""
    return render_template("sales/portal_dashboard.html", kpis=kpi.retailer_kpis(session(), _me()))


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
