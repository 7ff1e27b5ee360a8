"""Admin pages under ``/admin/inventory/``: products, stock per warehouse and move history,
stock counts, low stock, stock value, import and export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from niaga import audit_view, settings, tabular, uploads
from niaga.actions import error_text, run_action
from niaga.auth import caller, require
from niaga.db import committed, session
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext
from niaga.inputs import FormReader
from niaga.l10n import format_quantity
from niaga_inventory import (
    counts,
    imports,
    pictures,
    products,
    reorder,
    stock,
    valuation,
)
from niaga_inventory.api import product_stock
from niaga_inventory.contracts import EXEMPT, StockLine
from niaga_inventory.models import StockMove
from niaga_inventory.warehouses import list_warehouses

bp = Blueprint("inventory_admin", __name__, template_folder="templates")

PAGE_SIZE = 50
FORM_FIELDS = (
    "sku",
    "barcode",
    "name",
    "category",
    "brand",
    "price",
    "cost",
    "tax_class",
    "base_unit",
    "sale_unit",
    "purchase_unit",
    "reorder_point",
    "reorder_quantity",
)
FORM_FLAGS = ("active", "track_stock", "allow_negative")
#: typed numbers of the product form and how many decimals each keeps (as pre-filled by
#: ``|for_input`` in the template): the sale price in rupiah, the cost per base unit (4, like
#: the moving average) and quantities (4)
NUMBER_FIELDS = {"price": 2, "cost": 4, "reorder_point": 4, "reorder_quantity": 4}
#: rows for other units the product form can take at once
UNIT_ROWS_MAX = 20
#: tax classes a product can have, with their labels (English, translated when shown);
#: every product is taxed at the shop's PPN rate when the shop is a PKP
TAX_CLASSES = {
    "standard": "PPN at the shop's rate",
    EXEMPT: "Exempt from PPN (dibebaskan)",
}


def can(permission: str) -> bool:
    who = caller()
    return bool(who and who.can(permission))


#: How moves and count statuses are shown (English text, translated in the templates).
LABELS = {
    "receipt": "Goods receipt",
    "issue": "Goods issue",
    "transfer_in": "Stock transfer in",
    "transfer_out": "Stock transfer out",
    "adjustment": "Stock adjustment",
    "opening": "Opening stock",
    "return_in": "Customer return",
    "return_out": "Return to supplier",
    "gift": "Loyalty gift",
    "revaluation": "Price correction",
    "open": "Counting",
    "posted": "Count posted",
    "cancelled": "Count cancelled",
}


@bp.context_processor
def helpers() -> dict[str, Any]:
    return {
        "can": can,
        "label": lambda key: gettext(LABELS.get(key, key)),
        "picture_url": pictures.picture_url,
        "actor_label": actor_label,
        "picture_limit": uploads.size(pictures.MAX_BYTES),
    }


def actor_label(actor: str) -> str:
    """Who moved stock when no person's name is known: the login of a person since
    removed, the command line, or Niaga itself (``system``, ``plugin:loyalty``)."""
    kind, _, rest = (actor or "").partition(":")
    if kind in ("user", "token"):
        return rest.partition(":")[2] or rest
    if kind == "cli":
        return gettext("Command line ({who})", who=rest)
    return gettext("Niaga (automatic)")


def _fail(exc: NiagaError) -> None:
    flash(error_text(exc), "error")


@bp.get("/")
@require("inventory.view")
def index():
    query = request.args.get("q", "")
    page = max(request.args.get("page", 1, type=int), 1)
    statement = products.search_statement(query)
    total = session().scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    rows = session().scalars(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    available = stock.available_by_product(session(), [row.id for row in rows])
    return render_template(
        "inventory/products.html",
        products=rows,
        available=available,
        query=query,
        page=page,
        pages=max(((total or 0) + PAGE_SIZE - 1) // PAGE_SIZE, 1),
    )


def _form_data() -> dict[str, Any]:
    """The product form's fields; typed numbers are read the shop's way (``2.500`` is two
    thousand five hundred in Indonesian) by :class:`niaga.inputs.FormReader`."""
    form = FormReader(request.form)
    data: dict[str, Any] = {}
    for key in FORM_FIELDS:
        if key in NUMBER_FIELDS:
            empty = None if key.startswith("reorder") else Decimal(0)
            data[key] = form.number(
                key, places=NUMBER_FIELDS[key], minimum=Decimal(0), default=empty
            )
        else:
            data[key] = form.text(key, max_length=200)
    for key in FORM_FLAGS:
        data[key] = form.flag(key)
    data["units"] = _form_units(form)
    data["tax_class"] = data["tax_class"] or "standard"
    form.check()
    return data


def _form_units(form: FormReader) -> dict[str, Decimal]:
    """The other units from the form's rows: a name (``karton``) and how many base units
    it holds (``24``); a row left empty is no unit."""
    units: dict[str, Decimal] = {}
    for index in range(UNIT_ROWS_MAX):
        name = form.text(f"unit_name_{index}", max_length=20)
        if not name and not form.raw(f"unit_factor_{index}"):
            continue
        if not name:
            form.errors.setdefault(f"unit_name_{index}", []).append(gettext("Please fill this in"))
        factor = form.quantity(f"unit_factor_{index}", required=True, positive=True)
        if name and factor is not None:
            units[name] = factor
    return units


@bp.route("/products/new", methods=["GET", "POST"])
@require("inventory.edit")
def product_new():
    if request.method == "POST":
        try:
            product = products.save_product(session(), _form_data())
            _save_picture(product)
            committed()
            flash(gettext("Saved"), "success")
            return redirect(url_for(".product", product_id=product.id))
        except NiagaError as exc:
            session().rollback()
            _fail(exc)
            return _product_form(None, exc.field_messages())
    return _product_form(None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@require("inventory.edit")
def product_edit(product_id: int):
    product = products.get_product(session(), product_id)
    if request.method == "POST":
        try:
            products.save_product(session(), _form_data(), product)
            _save_picture(product)
            committed()
            flash(gettext("Saved"), "success")
            return redirect(url_for(".product", product_id=product.id))
        except NiagaError as exc:
            session().rollback()
            _fail(exc)
            return _product_form(product, exc.field_messages())
    return _product_form(product)


def _save_picture(product: Any) -> None:
    """The picture chosen in the product form (or its removal); a refused file is shown
    under the picture field with the reason in full ("larger than 8 MB")."""
    upload = request.files.get("picture")
    if upload is not None and upload.filename:
        try:
            pictures.attach(session(), product, upload.read(), upload.filename)
        except Invalid as exc:
            problem = {"picture": [exc.message()]}
            raise Invalid("The picture was not saved", fields=problem) from None
    elif request.form.get("remove_picture"):
        pictures.remove(session(), product)


def _product_form(product: Any, errors: dict[str, Any] | None = None) -> str:
    if request.method == "POST":
        typed = [
            (request.form.get(f"unit_name_{i}", ""), request.form.get(f"unit_factor_{i}", ""))
            for i in range(UNIT_ROWS_MAX)
            if f"unit_name_{i}" in request.form
        ]
    else:
        typed = [
            (name, format_quantity(factor))
            for name, factor in (product.factors().items() if product else ())
        ]
    current = (request.form.get("tax_class") or (product.tax_class if product else "")) or ""
    classes = dict(TAX_CLASSES)
    if current and current not in classes:
        classes[current] = current  # a class from an import or the API, kept as it is
    return render_template(
        "inventory/product_form.html",
        product=product,
        form=request.form,
        errors=errors or {},
        unit_rows=typed + [("", "")] * 2,
        tax_classes={code: gettext(label) for code, label in classes.items()},
    )


@bp.get("/products/<int:product_id>")
@require("inventory.view")
def product(product_id: int):
    item = products.get_product(session(), product_id)
    moves = session().scalars(
        sa.select(StockMove)
        .where(StockMove.product_id == product_id)
        .order_by(StockMove.id.desc())
        .limit(100)
    )
    moves = list(moves)
    warehouses = {w.id: w for w in list_warehouses(session())}
    # who moved the stock, by the person's name (``user:3:sari@toko.id`` reads "Sari"),
    # by the rule the audit log names people with
    people = committed(audit_view.actor_names(session(), (move.actor for move in moves)))
    return render_template(
        "inventory/product.html",
        product=item,
        stock=product_stock(product_id),
        moves=moves,
        warehouses=warehouses,
        people=people,
    )


@bp.post("/products/<int:product_id>/adjust")
@require("inventory.adjust")
def product_adjust(product_id: int):
    def adjust(db: Any) -> Any:
        form = FormReader(request.form)
        quantity = form.quantity("quantity", required=True)
        reason = form.text("reason", max_length=200)
        if quantity == 0:
            form.errors.setdefault("quantity", []).append(gettext("The quantity must not be zero"))
        form.check()
        assert quantity is not None
        line = StockLine(
            product_id=product_id,
            quantity=abs(quantity),
            unit=request.form.get("unit") or None,
            warehouse_id=request.form.get("warehouse_id", type=int),
        )
        return stock.adjust(
            db, stock.new_reference("adjustment"), [(line, 1 if quantity > 0 else -1)], reason
        )

    back = url_for(".product", product_id=product_id)
    return run_action(adjust, success="Stock adjusted", then=back, failed=back)


# --- stock counts --------------------------------------------------------------------------


@bp.route("/counts", methods=["GET", "POST"])
@require("inventory.count")
def counts_page():
    if request.method == "POST":
        try:
            count = committed(
                counts.start(
                    session(),
                    request.form.get("warehouse_id", type=int),
                    category=request.form.get("category") or None,
                    reason=request.form.get("reason", ""),
                    note=request.form.get("note", ""),
                )
            )
            return redirect(url_for(".count", count_id=count.id))
        except NiagaError as exc:
            session().rollback()
            _fail(exc)
    rows = session().scalars(counts.list_statement().limit(100)).all()
    warehouses = committed(list_warehouses(session()))
    return render_template("inventory/counts.html", counts=rows, warehouses=warehouses)


@bp.get("/counts/<int:count_id>")
@require("inventory.count")
def count(count_id: int):
    item = counts.get_count(session(), count_id)
    lines = counts.review(session(), item)
    return render_template("inventory/count.html", count=item, lines=lines)


@bp.post("/counts/<int:count_id>")
@require("inventory.count")
def count_update(count_id: int):
    action = request.form.get("action", "save")
    try:
        if action == "scan":
            code = request.form.get("code", "").strip()
            found = products.find_product(session(), barcode=code) or products.find_product(
                session(), sku=code
            )
            if found is None:
                raise Invalid("No product matches {key}", key=code)
            counts.enter(session(), count_id, 1, product_id=found.id, add=True)
        elif action == "post":
            require_adjust()
            counts.post(session(), count_id, request.form.get("reason", ""))
            flash(gettext("Differences posted"), "success")
        elif action == "cancel":
            counts.cancel(session(), count_id)
        else:
            _save_counted(count_id)
        committed()
    except NiagaError as exc:
        session().rollback()
        _fail(exc)
    return redirect(url_for(".count", count_id=count_id))


def require_adjust() -> None:
    from niaga.auth import check

    check("inventory.adjust")


def _save_counted(count_id: int) -> None:
    """Store every counted quantity typed (``12,5`` or ``1.250`` in Indonesian); nothing is
    stored when one of them cannot be read."""
    form = FormReader(request.form)
    entered = []
    for key in request.form:
        product_id = key.removeprefix("counted-")
        if not key.startswith("counted-") or not form.raw(key):
            continue
        if not product_id.isdigit() or len(product_id) > 18:
            continue
        quantity = form.quantity(key, minimum=Decimal(0))
        entered.append((int(product_id), quantity, form.text(f"reason-{product_id}")))
    form.check()
    for product_id, quantity, reason in entered:
        counts.enter(session(), count_id, quantity, product_id=product_id, reason=reason)


# --- reports -------------------------------------------------------------------------------


@bp.get("/low-stock")
@require("inventory.view")
def low_stock():
    return render_template("inventory/low_stock.html", needs=reorder.needs(session()))


@bp.get("/valuation")
@require("inventory.view")
def valuation_page():
    return render_template("inventory/valuation.html", report=valuation.report(session()))


@bp.route("/import", methods=["GET", "POST"])
@require("inventory.edit")
def import_page():
    problems: dict[str, Any] = {}
    if request.method == "POST":
        upload = request.files.get("file")
        kind = request.form.get("kind", "products")
        importer = (
            imports.import_opening_stock if kind == "opening-stock" else imports.import_products
        )
        try:
            if upload is None or not upload.filename:
                raise Invalid("Choose a CSV or XLSX file")
            result = committed(
                importer(session(), tabular.read_rows(upload.read(), upload.filename))
            )
            flash(
                gettext(
                    "Imported: {created} new, {updated} updated",
                    created=result["created"],
                    updated=result["updated"],
                ),
                "success",
            )
            return redirect(url_for(".import_page"))
        except NiagaError as exc:
            session().rollback()
            flash(exc.message(), "error")
            problems = exc.field_messages().get("rows", {}) or exc.field_messages()
    return render_template("inventory/import.html", problems=problems)


def low_stock_widget(db: Any) -> Markup:
    """The dashboard widget: the emptiest products at or below their reorder point."""
    limit = settings.get(db, "inventory.low_stock_widget_rows")
    found = reorder.needs(db, limit=limit)
    if not found:
        return Markup("<p class='muted'>") + gettext("No product is low on stock") + Markup("</p>")
    items = Markup("").join(
        Markup("<li><a href='{href}'>{name}</a>: {left} ({point})</li>").format(
            href=url_for("inventory_admin.product", product_id=need.product_id),
            name=need.name,
            left=format_quantity(need.available),
            point=escape(gettext("reorder at {n}", n=format_quantity(need.reorder_point))),
        )
        for need in found
    )
    link = url_for("inventory_admin.low_stock")
    return Markup("<ul>{}</ul><a href='{}'>{}</a>").format(items, link, gettext("All low stock"))
