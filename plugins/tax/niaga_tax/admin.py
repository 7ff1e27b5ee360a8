"""The tax screen (*Pajak*): a month's PPN recap with its closing, and its PPh final with
the payment form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.wrappers import Response

from niaga.actions import error_text, run_action
from niaga.auth import require
from niaga.clock import shop_today
from niaga.db import session
from niaga.errors import NiagaError
from niaga.inputs import FormReader
from niaga_sales.tax_invoice import is_pkp
from niaga_tax import pph, ppn

bp = Blueprint("tax_admin", __name__, template_folder="templates")

LABELS = {
    "month": "Month",
    "billing_code": "Billing code",
    "paid_on": "Paid on",
    "method": "Paid from",
    "account": "Account code (optional)",
}


def _last_month() -> str:
    return f"{shop_today(session()).replace(day=1) - dt.timedelta(days=1):%Y-%m}"


@bp.get("/")
@require("tax.view")
def index() -> str:
    month = request.args.get("month") or _last_month()
    problem = None
    recap = figure = None
    try:
        figure = pph.figure(session(), month)
        recap = ppn.recap(session(), month) if is_pkp(session()) else None
    except NiagaError as exc:
        problem = error_text(exc, LABELS)
    return render_template(
        "tax/index.html",
        month=month,
        recap=recap,
        figure=figure,
        problem=problem,
        methods=pph.METHODS,
        today=shop_today(session()),
    )


@bp.post("/ppn/close")
@require("tax.post")
def ppn_close() -> Response:
    month = request.form.get("month", "")
    back = url_for(".index", month=month)
    return run_action(
        lambda db: ppn.close(db, month),
        success="PPN closed and posted",
        then=back,
        failed=back,
        labels=LABELS,
    )


@bp.post("/pph/pay")
@require("tax.post")
def pph_pay() -> Response:
    month = request.form.get("month", "")
    back = url_for(".index", month=month)

    def pay(db: Any) -> Any:
        form = FormReader(request.form)
        code = form.text("billing_code", required=True, max_length=30)
        day = form.date("paid_on")
        method = form.text("method", max_length=20) or "bank_transfer"
        account = form.text("account", max_length=20) or None
        form.check()
        return pph.pay(db, month, code, day, method, account)

    return run_action(
        pay, success="PPh final payment recorded", then=back, failed=back, labels=LABELS
    )
