"""Admin pages under ``/admin/sales/``: orders, deliveries (printable surat jalan),
invoices, customers, receivables, and the POS counter screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from niaga import l10n, tabular, tax_ids
from niaga.actions import error_text, run_action, run_form
from niaga.auth import caller, create_user, require
from niaga.clock import shop_today
from niaga.db import session, transaction
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext, pgettext
from niaga.inputs import FormReader
from niaga.l10n import format_money
from niaga.models import User
from niaga_sales import (
    activity,
    analysis,
    branches,
    coretax,
    customers,
    deliveries,
    invoices,
    onboarding,
    orders,
    pos,
    receivables,
    tax_invoice,
)
from niaga_sales.config import tax_policy
from niaga_sales.models import (
    ORDER_STATES,
    PENDING,
    Customer,
    CustomerGroup,
    Delivery,
    Invoice,
    Order,
    Registration,
)

bp = Blueprint(
    "sales_admin",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
PAGE = 50
INVITE_LABELS = {"phone": "Phone number", "email": "E-mail", "shop_name": "Shop"}


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def _done(target: str, message: str, action: Any, *args: Any) -> Response:
    """Run a domain action in one transaction, flash the outcome and go to ``target``."""
    return run_action(lambda db: action(db, *args), success=message, then=target, failed=target)


@bp.get("/")
@require("sales.view")
def index():
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
def new_order():
    if request.method == "POST":
        form = FormReader(request.form)
        customer_id = form.integer("customer_id", required=True)
        discount = form.money("discount_amount", default=Decimal(0))
        notes = form.text("notes", max_length=2000)
        rows: list[int] = []

        def create(db: Any) -> Any:
            lines = _form_lines(form, rows)
            form.check()  # nothing is stored unless every field reads
            return orders.create_order(
                db, customer_id or 0, lines, discount_amount=discount, notes=notes
            )

        return run_form(
            create,
            success="Order saved",
            then=lambda order: url_for(".order", order_id=order.id),
            page=lambda errors: _new_order_page(errors, rows),
            labels=ORDER_LABELS,
        )
    return _new_order_page()


def _new_order_page(errors: dict[str, Any] | None = None, rows: list[int] | None = None) -> Any:
    """The new-order form; after a refusal, with what was typed and each problem under its
    field (a line the order rules refuse, under that line's field)."""
    shown = dict(errors or {})
    for position, problems in (shown.pop("lines", None) or {}).items():
        index = int(position)
        row = rows[index] if rows and index < len(rows) else index
        for field, messages in problems.items():
            name = "product" if field in ("product_id", "sku") else field
            shown[f"{name}_{row}"] = messages
    active = session().scalars(
        sa.select(Customer).where(Customer.active.is_(True)).order_by(Customer.shop_name)
    )
    return render_template(
        "sales/order_new.html",
        customers=active.all(),
        rows=range(ROWS),
        errors=shown,
        typed=request.form if errors is not None else {},
    )


ROWS = 6
#: how the new-order form's fields are named in an error (English, translated when shown)
ORDER_LABELS = {
    "customer_id": "Customer",
    "product": "Product",
    "product_query": "Product",
    "description": "Description",
    "quantity": "Quantity",
    "unit": "Unit",
    "unit_price": "Price",
    "discount_percent": "Discount %",
    "discount_amount": "Order discount (Rp)",
    "notes": "Notes",
}


def _form_lines(form: FormReader, rows: list[int]) -> list[dict[str, Any]]:
    """Order lines from the rows of the new-order form (rows without a quantity are
    skipped, ``rows`` gets the row of each line); numbers are read the way the page's
    language writes them."""
    lines = []
    rows.clear()
    for index in range(20):
        if not form.raw(f"quantity_{index}"):
            continue
        rows.append(index)
        line: dict[str, Any] = {"quantity": form.quantity(f"quantity_{index}", positive=True)}
        # the picker's chosen product id; without script, what was typed is read as a SKU
        product = form.text(f"product_{index}", max_length=60)
        typed = form.text(f"product_query_{index}", max_length=200)
        if product.isdigit() and len(product) < 19:
            line["product_id"] = int(product)
        elif product or typed:
            line["sku"] = product or typed
        for field in ("description", "unit"):
            value = form.text(f"{field}_{index}", max_length=200 if field == "description" else 20)
            if value:
                line[field] = value
        price = form.money(f"unit_price_{index}")
        if price is not None:
            line["unit_price"] = price
        discount = form.number(
            f"discount_percent_{index}", places=2, minimum=Decimal(0), maximum=Decimal(100)
        )
        if discount is not None:
            line["discount_percent"] = discount
        lines.append(line)
    if not lines and not form.errors:
        raise Invalid(
            "An order needs at least one line", fields={"quantity_0": ["Please fill this in"]}
        )
    return lines


@bp.get("/orders/<int:order_id>")
@require("sales.view")
def order(order_id: int):
    found = orders.get_order(session(), order_id)
    due = invoices.amount_due(session(), f"sales.order:{order_id}")
    return render_template(
        "sales/order.html",
        order=found,
        amount_due=due,
        remaining=deliveries.remaining,
        warehouse=branches.names(session()).get(found.warehouse_id)
        if found.warehouse_id is not None
        else None,
    )


ORDER_ACTIONS = {
    "confirm": ("Order confirmed", orders.confirm_order),
    "cancel": ("Order cancelled", orders.cancel_order),
    "deliver": ("Delivery order created", deliveries.create_delivery),
    "invoice": ("Invoice issued", invoices.invoice_order),
}


@bp.post("/orders/<int:order_id>/<action>")
@require("sales.edit")
def order_action(order_id: int, action: str):
    if action not in ORDER_ACTIONS:
        raise Invalid("Unknown action {action}", action=action)
    message, function = ORDER_ACTIONS[action]
    target = url_for(".order", order_id=order_id)
    if action == "confirm" and FormReader(request.form).flag("approve_over_limit"):
        who = caller()
        if who is None or not who.can("sales.approve"):
            flash(gettext("You do not have permission to do this"), "error")
            return redirect(target)
        return _done(target, message, lambda db, oid: function(db, oid, True), order_id)
    return _done(target, message, function, order_id)


@bp.get("/deliveries")
@require("sales.view")
def delivery_list():
    rows = session().scalars(
        sa.select(Delivery).order_by(Delivery.id.desc()).offset((_page() - 1) * PAGE).limit(PAGE)
    )
    return render_template("sales/deliveries.html", deliveries=rows.all(), page=_page())


@bp.get("/deliveries/<int:delivery_id>")
@require("sales.view")
def delivery(delivery_id: int):
    from niaga import settings

    found = deliveries.get_delivery(session(), delivery_id)
    return render_template(
        "sales/delivery_print.html",
        delivery=found,
        shop=settings.get(session(), "core.shop_name"),
        address=settings.get(session(), "core.address"),
        warehouse=branches.names(session()).get(found.order.warehouse_id)
        if found.order.warehouse_id is not None
        else None,
    )


DELIVERY_ACTIONS = {
    "pack": ("Packed", deliveries.pack),
    "deliver": ("Delivered", deliveries.deliver),
    "cancel": ("Delivery cancelled", deliveries.cancel),
}


@bp.post("/deliveries/<int:delivery_id>/<action>")
@require("sales.edit")
def delivery_action(delivery_id: int, action: str):
    if action not in DELIVERY_ACTIONS:
        raise Invalid("Unknown action {action}", action=action)
    message, function = DELIVERY_ACTIONS[action]
    target = request.form.get("next") or url_for(".delivery", delivery_id=delivery_id)
    if not target.startswith("/"):
        target = url_for(".delivery", delivery_id=delivery_id)
    return _done(target, message, function, delivery_id)


@bp.get("/invoices")
@require("sales.view")
def invoice_list():
    state = request.args.get("state", "")
    statement = sa.select(Invoice).order_by(Invoice.id.desc())
    if state in ("open", "paid"):
        statement = statement.where(Invoice.state == state)
    rows = session().scalars(statement.offset((_page() - 1) * PAGE).limit(PAGE))
    # a PKP exports its tax invoices, by default those of the month before
    last_month = shop_today(session()).replace(day=1) - dt.timedelta(days=1)
    return render_template(
        "sales/invoices.html",
        invoices=rows.all(),
        state=state,
        page=_page(),
        tax_month=f"{last_month:%Y-%m}" if tax_invoice.is_pkp(session()) else None,
    )


@bp.get("/invoices/<int:invoice_id>")
@require("sales.view")
def invoice(invoice_id: int):
    from niaga import settings

    found = invoices.get_invoice(session(), invoice_id)
    return render_template(
        "sales/invoice.html",
        invoice=found,
        methods=invoices.METHODS,
        shop=settings.get(session(), "core.shop_name"),
        # a PKP's invoice shows what its Faktur Pajak needs; None for other shops
        tax=tax_invoice.for_invoice(session(), found),
    )


@bp.get("/tax-invoices.xml")
@require("sales.view")
def tax_invoices_xml():
    """The month's output tax invoices as the Coretax e-Faktur import file."""
    month = request.args.get("month", "")
    document = coretax.export_month(session(), month)
    return Response(
        document,
        mimetype="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="faktur-keluaran-{month.strip()}.xml"'
        },
    )


@bp.get("/tax-returns.xml")
@require("sales.view")
def tax_returns_xml():
    """The month's returns (retur PPN) of credit notes as XML."""
    month = request.args.get("month", "")
    document = coretax.export_returns(session(), month)
    return Response(
        document,
        mimetype="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="retur-keluaran-{month.strip()}.xml"'
        },
    )


@bp.get("/tax-invoices.csv")
@require("sales.view")
def tax_invoices_csv():
    """The month's output tax invoices as a CSV recap (DPP, DPP nilai lain, PPN)."""
    month = request.args.get("month", "")
    document = coretax.export_recap(session(), month)
    name = f"rekap-faktur-keluaran-{month.strip()}.csv"
    return Response(
        document,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/invoices/<int:invoice_id>/pay")
@require("sales.edit")
def invoice_pay(invoice_id: int):
    return _money_on_invoice(invoice_id, invoices.record_payment, "Payment of {amount} recorded")


@bp.post("/invoices/<int:invoice_id>/refund")
@require("sales.edit")
def invoice_refund(invoice_id: int):
    """Pay back a customer in credit on the invoice."""
    return _money_on_invoice(invoice_id, invoices.refund_credit, "Refund of {amount} recorded")


def _money_on_invoice(invoice_id: int, record: Callable[..., Any], success: str) -> Response:
    """Money in or out on an invoice, from its page's amount and method fields."""
    form = FormReader(request.form)
    amount = form.money("amount", required=True, positive=True)
    method = form.text("method", max_length=20) or "cash"
    target = url_for(".invoice", invoice_id=invoice_id)

    def work(db: Any) -> Any:
        form.check()
        return record(db, invoice_id, amount, method)

    return run_action(
        work, success=success, then=target, failed=target, amount=format_money(amount or 0)
    )


@bp.get("/receivables")
@require("sales.view")
def receivable_list():
    return render_template("sales/receivables.html", rows=receivables.aged(session()))


def _customer_fields(form: FormReader) -> dict[str, Any]:
    """The customer fields of the new-customer and edit forms."""
    return {
        "shop_name": form.text("shop_name", required=True, max_length=120),
        "owner_name": form.text("owner_name", max_length=120),
        "phone": form.text("phone", max_length=30),
        "address": form.text("address", max_length=400),
        "area": form.text("area", max_length=80),
        "group_id": form.integer("group_id", minimum=Decimal(1)),
        "payment_terms_days": form.integer(
            "payment_terms_days", default=0, minimum=Decimal(0), maximum=Decimal(365)
        ),
        # empty: no limit; 0: cash only
        "credit_limit": form.money("credit_limit"),
        # the buyer's tax identity: checked (and reduced to digits) by customers.py
        "npwp": form.text("npwp", max_length=40),
        "nik": form.text("nik", max_length=40),
        "nitku": form.text("nitku", max_length=40),
        "tax_name": form.text("tax_name", max_length=120),
        "tax_address": form.text("tax_address", max_length=400),
    }


def _may_edit() -> bool:
    who = caller()
    if who is None or not who.can("sales.edit"):
        flash(gettext("You do not have permission to do this"), "error")
        return False
    return True


@bp.route("/customers", methods=["GET", "POST"])
@require("sales.view")
def customer_list():
    if request.method == "POST":
        if not _may_edit():
            return redirect(url_for(".customer_list"))
        form = FormReader(request.form)
        data = _customer_fields(form)

        def save(db: Any) -> Any:
            form.check()
            return customers.create_customer(db, data)

        return run_action(
            save,
            success="Customer saved",
            then=lambda customer: url_for(".customer_page", customer_id=customer.id),
            failed=url_for(".customer_list"),
        )
    rows = session().scalars(sa.select(Customer).order_by(Customer.shop_name)).all()
    groups = session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.code)).all()
    return render_template("sales/customers.html", customers=rows, groups=groups)


@bp.route("/customers/<int:customer_id>", methods=["GET", "POST"])
@require("sales.view")
def customer_page(customer_id: int):
    """One retailer: edit, deactivate, and give or take away their portal login."""
    customer = customers.get_customer(session(), customer_id)
    here = url_for(".customer_page", customer_id=customer_id)
    if request.method == "POST":
        if not _may_edit():
            return redirect(here)
        form = FormReader(request.form)
        action = request.form.get("action", "save")
        if action == "login":
            phone = form.text("login_phone", required=True, max_length=30)
            name = form.text("login_name", max_length=120)
            password = request.form.get("login_password", "")

            def give_login(db: Any) -> Any:
                form.check()
                user = create_user(
                    db,
                    role="retailer",
                    phone=phone,
                    name=name or customer.owner_name,
                    password=password,
                )
                db.flush()
                return customers.update_customer(db, customer, {"user_id": user.id})

            return run_action(give_login, success="Portal login created", then=here)
        if action == "invite":
            invite_phone = form.text("invite_phone", max_length=30)
            invite_email = form.text("invite_email", max_length=200)

            def send_invitation(db: Any) -> Any:
                form.check()
                who = caller()
                _, secret = onboarding.invite(
                    db,
                    by=who.user.id if who else None,
                    customer_id=customer.id,
                    phone=invite_phone,
                    email=invite_email,
                )
                return url_for("sales_onboarding.invitation_page", secret=secret, _external=True)

            try:
                with transaction(session()) as db:
                    link = send_invitation(db)
            except NiagaError as exc:
                flash(error_text(exc, INVITE_LABELS), "error")
                return redirect(here)
            # the link is shown once, on this page; only its hash is stored
            groups = session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.code))
            return render_template(
                "sales/customer.html",
                customer=customer,
                groups=groups.all(),
                login=None,
                invitation_link=link,
                format_npwp=tax_ids.format_npwp,
            )
        if action == "unlink":
            return run_action(
                lambda db: customers.update_customer(db, customer, {"user_id": None}),
                success="Portal login taken away",
                then=here,
            )
        data = {**_customer_fields(form), "active": form.flag("active")}

        def save(db: Any) -> Any:
            form.check()
            return customers.update_customer(db, customer, data)

        return run_action(save, success="Customer saved", then=here)
    groups = session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.code)).all()
    login = session().get(User, customer.user_id) if customer.user_id else None
    return render_template(
        "sales/customer.html",
        customer=customer,
        groups=groups,
        login=login,
        format_npwp=tax_ids.format_npwp,
    )


@bp.get("/pos")
@require("sales.pos")
def pos_screen():
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
        tax=tax_policy(session()),
        number_example=l10n.example(),
        methods=pos.counter_methods(session()),
        warehouses=[w for w in branches.warehouses(session()) if w.active],
    )


@bp.get("/retailers")
@require("sales.view")
def retailer_activity():
    """Who is active, who is slipping away, and the action plan for each retailer."""
    form = FormReader(request.args)
    days = form.integer("days", minimum=Decimal(1))
    end = form.date("end")
    area = form.text("area", max_length=80)
    status = request.args.get("status", "")
    if form.errors:
        flash(gettext("Check the filter: {fields}", fields=", ".join(form.errors)), "error")
        days, end = None, None
    period = activity.period_ending(session(), end, days)
    rows = activity.retailer_activity(session(), period, area or None)
    counts = {name: sum(1 for r in rows if r.status == name) for name in activity.STATUSES}
    quadrants = {q: [r for r in rows if r.quadrant == q] for q in activity.QUADRANTS}
    shown = [r for r in rows if not status or r.status == status]
    if request.args.get("format") in tabular.MIMETYPES:
        return _activity_export(shown, period, request.args["format"])
    areas = session().scalars(
        sa.select(Customer.area).where(Customer.area != "").distinct().order_by(Customer.area)
    )
    return render_template(
        "sales/retailers.html",
        rows=shown,
        counts=counts,
        quadrants=quadrants,
        period=period,
        days=period.days,
        area=area,
        areas=list(areas),
        status=status,
        statuses=activity.STATUSES,
        percent=activity.declining_percent(session()),
    )


@bp.route("/registrations", methods=["GET", "POST"])
@require("sales.view")
def registrations():
    """Shops that signed up in the portal: approve (linking the existing customer with the
    same phone, or one picked, or a new one) or reject."""
    here = url_for(".registrations")
    if request.method == "POST":
        if not _may_edit():
            return redirect(here)
        form = FormReader(request.form)
        registration_id = form.integer("registration", required=True, minimum=Decimal(1))
        customer_id = form.integer("customer_id", minimum=Decimal(1))
        reason = form.text("reason", max_length=400)
        who = caller()
        by = who.user.id if who else None

        def decide(db: Any) -> Any:
            form.check()
            assert registration_id is not None
            registration = onboarding.get_registration(db, registration_id)
            if request.form.get("action") == "reject":
                onboarding.reject(db, registration, by=by, reason=reason)
                return registration
            onboarding.approve(db, registration, by=by, customer_id=customer_id)
            return registration

        if request.form.get("action") == "reject":
            return run_action(decide, success="Registration rejected", then=here)
        return run_action(
            decide,
            success="Registration approved; the shop can log in now",
            then=lambda r: url_for(".customer_page", customer_id=r.customer_id),
            failed=here,
        )
    pending = (
        session()
        .scalars(
            sa.select(Registration).where(Registration.state == PENDING).order_by(Registration.id)
        )
        .all()
    )
    decided = (
        session()
        .scalars(
            sa.select(Registration)
            .where(Registration.state != PENDING)
            .order_by(Registration.decided_at.desc(), Registration.id.desc())
            .limit(20)
        )
        .all()
    )
    suggestions = {r.id: onboarding.suggested_customer(session(), r) for r in pending}
    shops = (
        session()
        .scalars(
            sa.select(Customer)
            .where(
                Customer.walk_in.is_(False), Customer.active.is_(True), Customer.user_id.is_(None)
            )
            .order_by(Customer.shop_name)
        )
        .all()
    )
    return render_template(
        "sales/registrations.html",
        pending=pending,
        decided=decided,
        suggestions=suggestions,
        shops=shops,
    )


#: how the analysis names its own rows (no area, no category, order discounts)
ANALYSIS_BLANKS = {
    "area": "(no area)",
    "category": "(no category)",
    "salesperson": "(no salesperson: counter and office)",
    "warehouse": "(no warehouse)",
    analysis.ADJUSTMENTS: "Order discounts and vouchers",
}


def _analysis_label(by: str, row: analysis.Row) -> str:
    if row.key == analysis.ADJUSTMENTS:
        return gettext(ANALYSIS_BLANKS[analysis.ADJUSTMENTS])
    if not row.label:
        return gettext(ANALYSIS_BLANKS.get(by, "(none)"))
    return row.label


@bp.get("/analysis")
@require("sales.view")
def sales_analysis():
    """Net sales of a date range by retailer, area, product, category or period, with a
    bar chart and a CSV export; the total is the revenue the books show for those days."""
    form = FormReader(request.args)
    start, end = form.date("start"), form.date("end")
    by = request.args.get("by", "retailer")
    failed = None
    if form.errors:
        failed = gettext("Check the filter: {fields}", fields=", ".join(form.errors))
        start = end = None
    try:
        found = analysis.analyse(session(), start, end, by)
    except Invalid as exc:
        failed = exc.message()
        found = analysis.analyse(session(), None, None, "retailer")
    labels = {row.key: _analysis_label(found.by, row) for row in found.rows}
    if request.args.get("format") in tabular.MIMETYPES and failed is None:
        return _analysis_export(found, labels, request.args["format"])
    if failed:
        flash(failed, "error")
    peak = max((abs(r.sales) for r in found.rows), default=Decimal(0)) or Decimal(1)
    return render_template(
        "sales/analysis.html",
        result=found,
        labels=labels,
        peak=peak,
        dimensions=analysis.DIMENSIONS,
    )


def _analysis_export(found: analysis.Analysis, labels: dict[str, str], fmt: str) -> Response:
    columns = [gettext("Breakdown"), gettext("Invoiced"), gettext("Returned"), gettext("Net sales")]
    rows = [(labels[row.key], row.invoiced, row.returned, row.sales) for row in found.rows]
    rows.append((gettext("Total"), found.invoiced, found.returned, found.total))
    name = f"penjualan-{found.by}-{found.start.isoformat()}-{found.end.isoformat()}"
    return _spreadsheet(name, fmt, columns, rows)


def _spreadsheet(
    name: str, fmt: str, columns: list[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """``rows`` under ``columns`` as the download ``<name>.<fmt>`` (``csv`` or ``xlsx``)."""
    table = [dict(zip(columns, row, strict=True)) for row in rows]
    return Response(
        tabular.write_rows(columns, table, fmt),
        mimetype=tabular.MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _activity_export(
    rows: list[activity.RetailerActivity], period: activity.Period, fmt: str
) -> Response:
    """The retailers shown, with status and action plan, as a CSV or XLSX spreadsheet."""
    header = ("Code", "Shop", "Area", "Status", "Action plan", "Last purchase", "Orders")
    header += ("Sales", "Before", "Change", "Through the portal")
    table = [
        (
            r.code,
            r.shop_name,
            r.area,
            pgettext("retailer status", r.status),
            pgettext("action plan", r.quadrant),
            r.last_purchase.isoformat() if r.last_purchase else "",
            r.orders,
            r.sales,
            r.sales_before,
            None if r.change is None else Decimal(str(round(r.change, 4))),
            None if r.portal_share is None else Decimal(str(round(r.portal_share, 4))),
        )
        for r in rows
    ]
    name = f"aktivitas-pengecer-{period.start.isoformat()}-{period.end.isoformat()}"
    return _spreadsheet(name, fmt, [gettext(h) for h in header], table)
