"""Admin pages under ``/admin/purchasing/``: orders (with a printable order), a receiving
screen for a phone at the warehouse door, bills with payments, payables, suppliers and
reorder suggestions. Forms post to the same domain functions as the API."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from niaga.actions import run_action, run_form
from niaga.auth import check, require
from niaga.clock import shop_today
from niaga.db import session
from niaga.errors import Invalid
from niaga.i18n import gettext
from niaga.inputs import FormReader
from niaga.l10n import format_money
from niaga.meta import DashboardWidget
from niaga_purchasing import (
    bills,
    orders,
    payables,
    payments,
    products,
    receipts,
    reorders,
    suppliers,
)
from niaga_purchasing.documents import warning_texts
from niaga_purchasing.models import Supplier

bp = Blueprint("purchasing_admin", __name__, template_folder="templates")
NEW_ORDER_LINES = 6


def attempt(work: Callable[[Any], Any], done: Callable[[Any], str], failed: str) -> Response:
    """Run ``work(db)`` through :func:`niaga.actions.run_action`: on success flash "Saved"
    and go to ``done(result)``, on a refusal flash the reason (and each field's problem)
    and go back to ``failed``; nothing is half-saved."""
    return run_action(work, success="Saved", then=done, failed=failed, labels=LABELS)


#: how the forms' fields are named in an error (English, translated when shown)
LABELS = {
    "supplier_id": "Supplier",
    "sku": "Product",
    "description": "Description",
    "quantity": "Quantity",
    "unit": "Unit",
    "unit_price": "Price per unit",
    "discount_percent": "Discount %",
    "notes": "Notes",
    "amount": "Amount",
    "account": "Account code (optional)",
    "reference": "Reference",
    "name": "Name",
    "contact_person": "Contact person",
    "phone": "Phone",
    "email": "E-mail",
    "address": "Address",
    "city": "City",
    "payment_terms_days": "Payment terms (days)",
    "tax_invoice_number": "Tax invoice number (faktur pajak)",
    "tax_invoice_date": "Tax invoice date",
}


def _id(value: str | None) -> int | None:
    """A record id from a ``<select>``; anything else is no choice."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


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


def _order_form_lines(form: FormReader, rows: list[int] | None = None) -> list[dict[str, Any]]:
    """The filled-in lines of the new-order form (typed numbers read by ``form``); the
    form row of each is appended to ``rows``."""
    lines = []
    count = min(form.integer("line_count", default=NEW_ORDER_LINES) or 0, 200)
    for i in range(count):
        name = f"line-{i}-{{}}".format
        if not (
            form.raw(name("sku")) or form.raw(name("description")) or form.raw(name("quantity"))
        ):
            continue
        # the picker's chosen product id; without script, what was typed is read as a SKU
        product_id = _id(form.raw(name("product_id")))
        typed = form.text(name("sku"), max_length=200) or None
        line: dict[str, Any] = {
            "product_id": product_id,
            "sku": None if product_id else typed,
            "description": form.text(name("description"), max_length=200),
            "quantity": form.quantity(name("quantity"), required=True, positive=True),
            "unit": form.text(name("unit"), max_length=20) or None,
            "unit_price": form.number(name("unit_price"), places=4, minimum=Decimal(0)),
            "discount_percent": form.number(
                name("discount_percent"), places=2, minimum=Decimal(0), maximum=Decimal(100)
            ),
        }
        lines.append({k: v for k, v in line.items() if v is not None})
        if rows is not None:
            rows.append(i)
    return lines


@bp.route("/orders/new", methods=["GET", "POST"])
@require("purchasing.edit")
def new_order() -> Any:
    if request.method == "POST":
        rows: list[int] = []

        def create(db: Any) -> Any:
            rows.clear()
            form = FormReader(request.form)
            data = {
                "supplier_id": _id(request.form.get("supplier_id")),
                "expected_date": None,
                "notes": form.text("notes", max_length=2000),
                "lines": _order_form_lines(form, rows),
            }
            if data["supplier_id"] is None:
                form.errors.setdefault("supplier_id", []).append(gettext("Choose a supplier"))
            form.check()
            return orders.create_order(db, data)

        return run_form(
            create,
            then=lambda order: url_for(".order", order_id=order.id),
            page=lambda errors: _new_order_page(errors, rows),
            labels=LABELS,
        )
    return _new_order_page()


def _new_order_page(errors: dict[str, Any] | None = None, rows: list[int] | None = None) -> str:
    """The new-order form; after a refusal, with what was typed and each problem under
    its field (a line's problem from the order rules under that line's field)."""
    shown = dict(errors or {})
    for position, problems in (shown.pop("lines", None) or {}).items():
        index = int(position)
        row = rows[index] if rows and index < len(rows) else index
        for field, messages in problems.items():
            name = "sku" if field == "product_id" else field
            shown[f"line-{row}-{name}"] = messages
    count = NEW_ORDER_LINES
    if request.method == "POST":
        count = max(min(request.form.get("line_count", NEW_ORDER_LINES, type=int) or 0, 200), 1)
    return render_template(
        "purchasing/order_new.html",
        suppliers=_active_suppliers(),
        line_count=count,
        with_products=products.stock_service_enabled(),
        typed=request.form if request.method == "POST" else {},
        errors=shown,
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
            form = FormReader(request.form)
            lines = []
            for line in found.lines:
                quantity = form.quantity(f"qty-{line.id}", minimum=Decimal(0))
                cost = form.number(f"cost-{line.id}", places=4, minimum=Decimal(0))
                if quantity:
                    entry: dict[str, Any] = {"order_line_id": line.id, "quantity": quantity}
                    if cost is not None:
                        entry["unit_cost"] = cost
                    lines.append(entry)
            notes = form.text("notes", max_length=2000)
            form.check()
            return receipts.receive(
                db,
                {
                    "order_id": order_id,
                    "lines": lines,
                    "warehouse_id": _id(request.form.get("warehouse_id")) or found.warehouse_id,
                    "allow_over_receipt": form.flag("allow_over_receipt"),
                    "notes": notes,
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


@bp.post("/bills/<int:bill_id>/tax-invoice")
@require("purchasing.edit")
def bill_tax_invoice(bill_id: int) -> Response:
    """Record the supplier's Faktur Pajak of a bill (its PPN becomes creditable)."""
    back = url_for(".bill", bill_id=bill_id)

    def record(db: Any) -> Any:
        form = FormReader(request.form)
        number = form.text("tax_invoice_number", max_length=40)
        day = form.date("tax_invoice_date")
        form.check()
        return bills.record_tax_invoice(db, bills.get_bill(db, bill_id, lock=True), number, day)

    return attempt(record, lambda _: back, back)


@bp.post("/bills/<int:bill_id>/pay")
@require("purchasing.pay")
def bill_pay(bill_id: int) -> Response:
    back = url_for(".bill", bill_id=bill_id)

    def pay(db: Any) -> Any:
        form = FormReader(request.form)
        amount = form.money("amount", required=True, positive=True)
        data = {
            "amount": amount,
            "method": request.form.get("method") or "bank_transfer",
            "account": form.text("account", max_length=20) or None,
            "reference": form.text("reference", max_length=120),
        }
        form.check()
        return payments.pay_bill(db, bill_id, data)

    return attempt(pay, lambda _: back, back)


@bp.post("/bills/<int:bill_id>/refund")
@require("purchasing.pay")
def bill_refund(bill_id: int) -> Response:
    """Money the supplier paid back on a bill it owes on."""
    back = url_for(".bill", bill_id=bill_id)

    def refund(db: Any) -> Any:
        form = FormReader(request.form)
        data = {
            "amount": form.money("amount", required=True, positive=True),
            "method": request.form.get("method") or "bank_transfer",
            "account": form.text("account", max_length=20) or None,
            "reference": form.text("reference", max_length=120),
        }
        form.check()
        return payments.receive_refund(db, bill_id, data)

    return attempt(refund, lambda _: back, back)


@bp.get("/payables", endpoint="payables")
@require("purchasing.view")
def payables_page() -> str:
    as_of = shop_today(session())
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
        form = FormReader(request.form)

        def create(db: Any) -> Any:
            data: dict[str, Any] = {name: form.text(name, max_length=2000) for name in fields}
            data["name"] = form.text("name", required=True, max_length=200)
            data["pkp"] = form.flag("pkp")
            data["payment_terms_days"] = form.integer(
                "payment_terms_days", default=0, minimum=Decimal(0), maximum=Decimal(3650)
            )
            try:  # shown with the other fields' problems, not after them are fixed
                suppliers.normalize_npwp(data["npwp"])
            except Invalid as exc:
                form.errors.setdefault("npwp", []).append(exc.message())
            form.check()
            return suppliers.create_supplier(db, data)

        return run_form(
            create, then=url_for(".suppliers_page"), page=_suppliers_page, labels=LABELS
        )
    return _suppliers_page()


def _suppliers_page(errors: dict[str, Any] | None = None) -> str:
    """The supplier list and the new-supplier form (after a refusal: what was typed, and
    each problem under its field)."""
    rows = session().scalars(sa.select(Supplier).order_by(Supplier.name)).all()
    return render_template(
        "purchasing/suppliers.html",
        suppliers=rows,
        format_npwp=suppliers.format_npwp,
        typed=request.form if errors is not None else {},
        errors=errors or {},
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
        total = payables.totals(payables.aged_payables(db, shop_today(db)))
        return Markup('<p class="figure">{owed}</p><p class="muted">{overdue}</p>').format(
            owed=format_money(total.owed),
            overdue=gettext("Overdue: {amount}", amount=format_money(total.overdue)),
        )

    return DashboardWidget(
        name="purchasing_payables",
        label={"id": "Utang ke pemasok", "en": "Owed to suppliers"},
        render=render,
        permission="purchasing.view",
    )
