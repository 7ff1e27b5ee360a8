"""Admin pages under ``/admin/purchasing/``: orders (with a printable order), a receiving
screen for a phone at the warehouse door, bills with payments, payables, suppliers and
reorder suggestions. Forms post to the same domain functions as the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from niaga.auth import check, require
from niaga.db import session, transaction
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext
from niaga.meta import DashboardWidget
from niaga.money import format_rupiah
from niaga_purchasing import (
    bills,
    orders,
    payables,
    payments,
    receipts,
    reorders,
    suppliers,
)
from niaga_purchasing.dates import today
from niaga_purchasing.documents import warning_texts
from niaga_purchasing.models import Supplier

bp = Blueprint("purchasing_admin", __name__, template_folder="templates")
NEW_ORDER_LINES = 6
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def attempt(work: Callable[[Any], Any], done: Callable[[Any], str], failed: str) -> Response:
    """Run ``work(db)`` in a transaction; on success flash and go to ``done(result)``, on a
    refusal flash the reason and go back to ``failed``."""
    try:
        with transaction(session()) as db:
            result = work(db)
    except NiagaError as exc:
        flash(exc.message(), "error")
        return redirect(failed)
    flash(gettext("Saved"), "ok")
    return redirect(done(result))


def _decimal(value: str | None, name: str) -> Decimal | None:
    """A number typed in a form, the Indonesian way (``1.250.000``, ``2,5``) or plain."""
    text = (value or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text or _THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise Invalid("{name} must be a number", name=name) from None


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


def _active_suppliers() -> list[Supplier]:
    return list(
        session().scalars(
            sa.select(Supplier).where(Supplier.active.is_(True)).order_by(Supplier.name)
        )
    )


# --- orders ------------------------------------------------------------------------------


@bp.get("/")
@require("purchasing.view")
def index() -> str:
    status = request.args.get("status") or None
    if status not in orders.STATUSES:
        status = None
    rows = session().scalars(orders.orders_query(status).limit(200)).all()
    return render_template(
        "purchasing/orders.html", orders=rows, statuses=orders.STATUSES, status=status
    )


def _order_form_lines() -> list[dict[str, Any]]:
    lines = []
    for i in range(int(request.form.get("line_count", NEW_ORDER_LINES))):
        field = lambda name, i=i: request.form.get(f"line-{i}-{name}", "").strip()  # noqa: E731
        if not (field("sku") or field("description")) and not field("quantity"):
            continue
        line: dict[str, Any] = {
            "sku": field("sku") or None,
            "description": field("description"),
            "quantity": _decimal(field("quantity"), gettext("Quantity")) or Decimal("0"),
            "unit": field("unit") or None,
            "unit_price": _decimal(field("unit_price"), gettext("Price")),
            "discount_percent": _decimal(field("discount_percent"), gettext("Discount")),
        }
        lines.append({k: v for k, v in line.items() if v is not None})
    return lines


@bp.route("/orders/new", methods=["GET", "POST"])
@require("purchasing.edit")
def new_order() -> Any:
    if request.method == "POST":

        def create(db: Any) -> Any:
            data = {
                "supplier_id": _int(request.form.get("supplier_id")),
                "expected_date": None,
                "notes": request.form.get("notes", ""),
                "lines": _order_form_lines(),
            }
            if data["supplier_id"] is None:
                raise Invalid("Choose a supplier")
            return orders.create_order(db, data)

        return attempt(
            create,
            lambda order: url_for(".order", order_id=order.id),
            url_for(".new_order"),
        )
    return render_template(
        "purchasing/order_new.html", suppliers=_active_suppliers(), line_count=NEW_ORDER_LINES
    )


@bp.get("/orders/<int:order_id>")
@require("purchasing.view")
def order(order_id: int) -> str:
    found = orders.get_order(session(), order_id)
    order_receipts = session().scalars(receipts.receipts_query(order_id=order_id)).all()
    return render_template("purchasing/order.html", order=found, receipts=order_receipts)


@bp.post("/orders/<int:order_id>/<any(send, confirm, cancel):action>")
@require("purchasing.edit")
def order_action(order_id: int, action: str) -> Response:
    back = url_for(".order", order_id=order_id)
    return attempt(
        lambda db: orders.transition(db, orders.get_order(db, order_id, lock=True), action),
        lambda _: back,
        back,
    )


@bp.get("/orders/<int:order_id>/print")
@require("purchasing.view")
def order_print(order_id: int) -> str:
    found = orders.get_order(session(), order_id)
    return render_template(
        "purchasing/order_print.html", order=found, npwp=suppliers.format_npwp(found.supplier.npwp)
    )


@bp.post("/orders/<int:order_id>/bill")
@require("purchasing.edit")
def bill_order(order_id: int) -> Response:
    return attempt(
        lambda db: bills.create_bill(
            db,
            {
                "order_id": order_id,
                "supplier_reference": request.form.get("supplier_reference", ""),
            },
        ),
        lambda bill: url_for(".bill", bill_id=bill.id),
        url_for(".order", order_id=order_id),
    )


# --- receiving -------------------------------------------------------------------------


@bp.get("/receive")
@require("purchasing.receive")
def receiving() -> str:
    return render_template("purchasing/receiving.html", orders=orders.open_for_receiving(session()))


@bp.route("/receive/<int:order_id>", methods=["GET", "POST"])
@require("purchasing.receive")
def receive_order(order_id: int) -> Any:
    found = orders.get_order(session(), order_id)
    if request.method == "POST":

        def receive(db: Any) -> Any:
            lines = []
            for line in found.lines:
                quantity = _decimal(request.form.get(f"qty-{line.id}"), line.description)
                if quantity:
                    entry: dict[str, Any] = {"order_line_id": line.id, "quantity": quantity}
                    cost = _decimal(request.form.get(f"cost-{line.id}"), line.description)
                    if cost is not None:
                        entry["unit_cost"] = cost
                    lines.append(entry)
            return receipts.receive(
                db,
                {
                    "order_id": order_id,
                    "lines": lines,
                    "warehouse_id": _int(request.form.get("warehouse_id")) or found.warehouse_id,
                    "allow_over_receipt": request.form.get("allow_over_receipt") == "on",
                    "notes": request.form.get("notes", ""),
                },
            )

        return attempt(
            receive,
            lambda receipt: url_for(".receiving", done=receipt.number),
            url_for(".receive_order", order_id=order_id),
        )
    return render_template("purchasing/receive.html", order=found)


# --- bills and payments ------------------------------------------------------------------


@bp.get("/bills")
@require("purchasing.view")
def bills_list() -> str:
    rows = session().scalars(bills.bills_query().limit(200)).all()
    return render_template("purchasing/bills.html", bills=rows)


@bp.get("/bills/<int:bill_id>")
@require("purchasing.view")
def bill(bill_id: int) -> str:
    found = bills.get_bill(session(), bill_id)
    return render_template(
        "purchasing/bill.html",
        bill=found,
        warnings=warning_texts(found),
        methods=payments.METHODS,
    )


@bp.post("/bills/<int:bill_id>/post")
@require("purchasing.edit")
def bill_post(bill_id: int) -> Response:
    back = url_for(".bill", bill_id=bill_id)
    return attempt(
        lambda db: bills.post_bill(db, bills.get_bill(db, bill_id, lock=True)),
        lambda _: back,
        back,
    )


@bp.post("/bills/<int:bill_id>/pay")
@require("purchasing.pay")
def bill_pay(bill_id: int) -> Response:
    back = url_for(".bill", bill_id=bill_id)

    def pay(db: Any) -> Any:
        amount = _decimal(request.form.get("amount"), gettext("Amount"))
        if amount is None:
            raise Invalid("Enter the amount paid")
        return payments.pay_bill(
            db,
            bill_id,
            {
                "amount": amount,
                "method": request.form.get("method") or "bank_transfer",
                "account": request.form.get("account", "").strip() or None,
                "reference": request.form.get("reference", ""),
            },
        )

    return attempt(pay, lambda _: back, back)


@bp.get("/payables", endpoint="payables")
@require("purchasing.view")
def payables_page() -> str:
    as_of = today(session())
    rows = payables.aged_payables(session(), as_of)
    return render_template(
        "purchasing/payables.html",
        rows=rows,
        total=payables.totals(rows),
        buckets=[b[0] for b in payables.BUCKETS],
        as_of=as_of,
    )


# --- suppliers and reorders ---------------------------------------------------------------


@bp.route("/suppliers", methods=["GET", "POST"])
@require("purchasing.view")
def suppliers_page() -> Any:
    if request.method == "POST":
        check("purchasing.edit")
        fields = ("name", "contact_person", "phone", "email", "address", "city", "npwp", "notes")
        data: dict[str, Any] = {name: request.form.get(name, "").strip() for name in fields}
        data["pkp"] = request.form.get("pkp") == "on"
        data["payment_terms_days"] = _int(request.form.get("payment_terms_days")) or 0
        return attempt(
            lambda db: suppliers.create_supplier(db, data),
            lambda _: url_for(".suppliers_page"),
            url_for(".suppliers_page"),
        )
    rows = session().scalars(sa.select(Supplier).order_by(Supplier.name)).all()
    return render_template(
        "purchasing/suppliers.html", suppliers=rows, format_npwp=suppliers.format_npwp
    )


@bp.route("/reorders", methods=["GET", "POST"])
@require("purchasing.view")
def reorders_page() -> Any:
    if request.method == "POST":
        check("purchasing.edit")
        return attempt(
            lambda db: reorders.create_draft_orders(db),
            lambda _: url_for(".index", status="draft"),
            url_for(".reorders_page"),
        )
    return render_template("purchasing/reorders.html", suggestions=reorders.suggestions(session()))


def payables_widget() -> DashboardWidget:
    """Dashboard figure: what is owed to suppliers, and how much of it is overdue."""

    def render(db: Any) -> Markup:
        total = payables.totals(payables.aged_payables(db, today(db)))
        return Markup('<p class="figure">{owed}</p><p class="muted">{overdue}</p>').format(
            owed=format_rupiah(total.owed),
            overdue=gettext("Overdue: {amount}", amount=format_rupiah(total.overdue)),
        )

    return DashboardWidget(
        name="purchasing_payables",
        label={"id": "Utang ke pemasok", "en": "Owed to suppliers"},
        render=render,
        permission="purchasing.view",
    )
