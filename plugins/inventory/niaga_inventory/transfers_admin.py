"""Admin pages of warehouses (branches) under ``/admin/inventory/``: the warehouses with
what each holds, a new warehouse, and transfers of stock between them (the
:func:`niaga_inventory.stock.transfer` rule: at average cost, refused when the source
has too little)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for

from niaga.actions import run_action
from niaga.auth import caller, check, require
from niaga.db import committed, session
from niaga.i18n import gettext
from niaga.inputs import FormReader
from niaga_inventory import stock
from niaga_inventory.admin import LABELS
from niaga_inventory.contracts import StockLine
from niaga_inventory.models import Product, StockBalance, StockMove, Warehouse
from niaga_inventory.warehouses import get_warehouse, list_warehouses, save_warehouse

bp = Blueprint("inventory_transfers", __name__, template_folder="templates")

#: how the forms' fields are named in an error (English, translated when shown)
FIELDS = {
    "product_id": "Product",
    "quantity": "Quantity",
    "from_warehouse_id": "From warehouse",
    "to_warehouse_id": "To warehouse",
    "reason": "Reason",
    "code": "Code",
    "name": "Name",
}
RECENT = 30


def can(permission: str) -> bool:
    who = caller()
    return bool(who and who.can(permission))


def _allowed(permission: str) -> None:
    check(permission)  # 403 without it


@bp.context_processor
def helpers() -> dict[str, Any]:
    return {"can": can, "label": lambda key: gettext(LABELS.get(key, key))}


def _totals() -> dict[int, tuple[Decimal, Decimal, int]]:
    """``{warehouse id: (units on hand, units reserved, products in stock)}``."""
    rows = session().execute(
        sa.select(
            StockBalance.warehouse_id,
            sa.func.sum(StockBalance.on_hand),
            sa.func.sum(StockBalance.reserved),
            sa.func.count().filter(StockBalance.on_hand != 0),
        ).group_by(StockBalance.warehouse_id)
    )
    return {w: (Decimal(h or 0), Decimal(r or 0), int(n or 0)) for w, h, r, n in rows}


@bp.route("/warehouses", methods=["GET", "POST"])
@require("inventory.view")
def warehouses_page():
    """Every warehouse with what it holds, and a form for a new one."""
    if request.method == "POST":
        _allowed("inventory.edit")
        form = FormReader(request.form)
        data = {
            "code": form.text("code", required=True, max_length=20),
            "name": form.text("name", required=True, max_length=120),
            "is_default": form.flag("is_default"),
        }

        def create(db: Any) -> Warehouse:
            form.check()
            return save_warehouse(db, data)

        return run_action(
            create,
            success="Warehouse saved",
            then=lambda w: url_for(".warehouse_page", warehouse_id=w.id),
            failed=url_for(".warehouses_page"),
            labels=FIELDS,
        )
    found = committed(list_warehouses(session()))  # the default warehouse, made on first look
    return render_template("inventory/warehouses.html", warehouses=found, totals=_totals())


@bp.route("/warehouses/<int:warehouse_id>", methods=["GET", "POST"])
@require("inventory.view")
def warehouse_page(warehouse_id: int):
    """One warehouse: the stock of each product there (on hand, reserved, available)."""
    warehouse = get_warehouse(session(), warehouse_id, active_only=False)
    here = url_for(".warehouse_page", warehouse_id=warehouse_id)
    if request.method == "POST":
        _allowed("inventory.edit")
        form = FormReader(request.form)
        data = {
            "name": form.text("name", required=True, max_length=120),
            "active": form.flag("active"),
            "is_default": form.flag("is_default"),
        }

        def save(db: Any) -> Warehouse:
            form.check()
            return save_warehouse(db, data, get_warehouse(db, warehouse_id, active_only=False))

        return run_action(save, success="Warehouse saved", then=here, labels=FIELDS)
    rows = (
        session()
        .execute(
            sa.select(Product, StockBalance.on_hand, StockBalance.reserved)
            .join(StockBalance, StockBalance.product_id == Product.id)
            .where(
                StockBalance.warehouse_id == warehouse_id,
                sa.or_(StockBalance.on_hand != 0, StockBalance.reserved != 0),
            )
            .order_by(Product.name, Product.id)
        )
        .all()
    )
    return render_template("inventory/warehouse.html", warehouse=warehouse, rows=rows)


@bp.route("/transfers", methods=["GET", "POST"])
@require("inventory.view")
def transfers_page():
    """Move stock of one product from one warehouse to another, and the latest transfers."""
    if request.method == "POST":
        _allowed("inventory.adjust")
        form = FormReader(request.form)
        product_id = form.integer("product_id", required=True)
        source = form.integer("from_warehouse_id", required=True)
        target = form.integer("to_warehouse_id", required=True)
        quantity = form.quantity("quantity", required=True, positive=True)
        unit = form.text("unit", max_length=20) or None
        reason = form.text("reason", max_length=200)

        def move(db: Any) -> Any:
            form.check()
            line = StockLine(
                product_id=product_id or 0,
                quantity=quantity or Decimal(0),
                unit=unit,
                warehouse_id=source,
            )
            return stock.transfer(db, stock.new_reference("transfer"), line, target or 0, reason)

        back = url_for(".transfers_page")
        return run_action(move, success="Stock transferred", then=back, labels=FIELDS)
    warehouses = committed(list_warehouses(session()))
    products = session().scalars(
        sa.select(Product)
        .where(Product.active.is_(True), Product.track_stock.is_(True))
        .order_by(Product.name)
    )
    recent = list(
        session().scalars(
            sa.select(StockMove)
            .where(StockMove.kind == "transfer_in")
            .order_by(StockMove.id.desc())
            .limit(RECENT)
        )
    )
    sources = {
        move.reference: move.warehouse_id
        for move in session().scalars(
            sa.select(StockMove)
            .where(StockMove.kind == "transfer_out")
            .order_by(StockMove.id.desc())
            .limit(RECENT * 2)
        )
    }
    return render_template(
        "inventory/transfers.html",
        warehouses=warehouses,
        names={w.id: w.name for w in warehouses},
        suggested_to=next((w.id for w in warehouses if w.active and not w.is_default), None),
        products=products.all(),
        recent=recent,
        sources=sources,
        product_names=dict(
            session()
            .execute(
                sa.select(Product.id, Product.name).where(
                    Product.id.in_({m.product_id for m in recent})
                )
            )
            .all()
        ),
    )
