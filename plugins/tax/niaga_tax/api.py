"""REST API under ``/api/tax/``: the PPN recap of a month and its closing, the PPh final
of a month and its payment."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from niaga.api import Blueprint, Schema
from niaga.auth import require
from niaga.db import committed, session
from niaga.fields import Date as DateField
from niaga_tax import pph, ppn

bp = Blueprint("tax", __name__, description="PPN recap and closing, PPh final UMKM")


def money() -> ma.fields.Decimal:
    return ma.fields.Decimal(as_string=True, places=2)


class PpnRecapSchema(Schema):
    month = ma.fields.String()
    output_tax = money()
    input_tax = money()
    input_waiting = money()
    carried_in = money()
    payable = money()
    carried_out = money()
    closed = ma.fields.Function(lambda r: r.closed is not None)
    closed_on = ma.fields.Function(
        lambda r: r.closed.closed_on.isoformat() if r.closed is not None else None
    )
    over = ma.fields.Boolean()


class PphFinalSchema(Schema):
    month = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "individual or company"})
    turnover = money()
    earlier = money()
    exempt = money()
    taxable = money()
    tax = money()
    year_to_date = money()
    over_cap = ma.fields.Boolean()
    billing_code = ma.fields.Function(lambda f: f.payment.billing_code if f.payment else None)
    paid_on = ma.fields.Function(lambda f: f.payment.paid_on.isoformat() if f.payment else None)


class PphPaySchema(Schema):
    billing_code = ma.fields.String(required=True, validate=ma.validate.Length(1, 30))
    paid_on = DateField(load_default=None)
    method = ma.fields.String(load_default="bank_transfer")
    account = ma.fields.String(load_default=None, allow_none=True)


@bp.route("/ppn/<month>")
class PpnMonth(MethodView):
    @bp.response(200, PpnRecapSchema)
    @require("tax.view")
    def get(self, month: str) -> Any:
        """The PPN recap of a month (``2026-11``)."""
        return ppn.recap(session(), month)


@bp.route("/ppn/<month>/close")
class PpnClose(MethodView):
    @bp.response(200, PpnRecapSchema)
    @require("tax.post")
    def post(self, month: str) -> Any:
        """Close a month's PPN: the closing entry is posted in the books."""
        committed(ppn.close(session(), month))
        return ppn.recap(session(), month)


@bp.route("/pph-final/<month>")
class PphMonth(MethodView):
    @bp.response(200, PphFinalSchema)
    @require("tax.view")
    def get(self, month: str) -> Any:
        """The PPh final UMKM of a month."""
        return pph.figure(session(), month)


@bp.route("/pph-final/<month>/payment")
class PphPay(MethodView):
    @bp.arguments(PphPaySchema)
    @bp.response(201, PphFinalSchema)
    @require("tax.post")
    def post(self, data: dict[str, Any], month: str) -> Any:
        """Record the payment of a month's PPh final with its billing code."""
        db = session()
        committed(
            pph.pay(
                db, month, data["billing_code"], data["paid_on"], data["method"], data["account"]
            )
        )
        return pph.figure(session(), month)
