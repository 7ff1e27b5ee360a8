"""The page where staff merge a customer entered twice into the one that stays."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from sqlalchemy.orm import Session

from niaga.actions import run_action
from niaga.auth import require
from niaga.db import session
from niaga.errors import NiagaError
from niaga.inputs import FormReader
from niaga_sales import merging
from niaga_sales.customers import get_customer
from niaga_sales.models import Customer

bp = Blueprint("sales_merge", __name__, template_folder="templates")

#: the documents a merge moves, as the confirmation page names them (English, translated)
DOCUMENT_NAMES = {
    "sales_order": "Sales orders",
    "sales_invoice": "Invoices",
    "sales_credit_note": "Credit notes",
    "sales_invitation": "Portal invitations",
    "sales_registration": "Portal sign-ups",
}


@bp.get("/customers/<int:customer_id>/merge")
@require("sales.edit")
def merge_page(customer_id: int) -> Any:
    """Choose the customer to keep; with ``?into=`` the page shows what will move."""
    merged = get_customer(session(), customer_id)
    others = session().scalars(
        sa.select(Customer)
        .where(Customer.active.is_(True), Customer.walk_in.is_(False), Customer.id != merged.id)
        .order_by(Customer.shop_name)
    )
    preview, problem = None, None
    into = FormReader(request.args).integer("into")
    if into is not None:
        try:
            preview = merging.preview(session(), into, merged.id)
        except NiagaError as exc:
            problem = exc.message()
    return render_template(
        "sales/customer_merge.html",
        merged=merged,
        others=others.all(),
        preview=preview,
        problem=problem,
        names=DOCUMENT_NAMES,
    )


@bp.post("/customers/<int:customer_id>/merge")
@require("sales.edit")
def merge(customer_id: int) -> Any:
    form = FormReader(request.form)
    into = form.integer("into", required=True)

    def work(db: Session) -> Customer:
        form.check()
        return merging.merge(db, into or 0, customer_id)

    return run_action(
        work,
        success="Merged: everything of the duplicate now belongs to this customer.",
        then=lambda kept: url_for("sales_admin.customer_page", customer_id=kept.id),
        failed=url_for(".merge_page", customer_id=customer_id, into=into or ""),
    )
