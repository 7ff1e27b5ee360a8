"""The retailer's pay screen under ``/portal/payments/``: "Bayar sekarang" for one of their
own documents, with the enabled methods, the open payment's instructions and status, and
the transfer proof upload. Other plugins' pages show its button with the template global
``pay_button(target)`` (nothing when payments is disabled)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup

from niaga.actions import run_action
from niaga.auth import caller, require
from niaga.db import session
from niaga.errors import Invalid
from niaga.i18n import gettext, pick
from niaga.inputs import FormReader
from niaga.runtime import is_enabled
from niaga_payments import payments, registry, states
from niaga_payments.models import Payment

bp = Blueprint("payments_portal", __name__, template_folder="templates")


def viewer() -> Any:
    """``None`` for payments staff, else the logged-in user (see :func:`payments.get`)."""
    who = caller()
    assert who is not None  # guarded by require()
    return None if who.can("payments.view") else who.user


def pay_button(target: str) -> Markup:
    """A "Bayar sekarang" link to the pay screen of ``target``, when payments is enabled."""
    if not is_enabled("payments"):
        return Markup("")
    url = url_for("payments_portal.pay", target=target)
    return Markup('<a class="button" href="{}">{}</a>').format(url, gettext("Pay now"))


#: counters a ``retail_outlet`` pay code can be paid at, offered as choices of their own
OUTLETS = {"indomaret": "Indomaret", "alfamart": "Alfamart"}


def choices(db: Any) -> list[dict[str, str]]:
    """The enabled gateways a customer can choose, with their labels; a gateway that gives
    pay codes for Indomaret or Alfamart counters also offers each counter
    (``midtrans:indomaret``)."""
    found = []
    for name, adapter in sorted(registry.adapters().items()):
        if not registry.is_enabled(db, adapter) or name == "cash":
            continue
        label = pick(adapter.label) or name
        found.append({"name": name, "label": label})
        if "retail_outlet" in adapter.methods:
            for outlet, shop in OUTLETS.items():
                text = gettext("Pay at {outlet} ({gateway})", outlet=shop, gateway=label)
                found.append({"name": f"{name}:{outlet}", "label": text})
    return found


def chosen(value: str) -> tuple[str, str | None, dict[str, str] | None]:
    """``(gateway, method, customer)`` of a choice: ``midtrans:indomaret`` is a pay code
    for an Indomaret counter through Midtrans."""
    gateway, _, outlet = value.partition(":")
    if outlet in OUTLETS:
        return gateway, "retail_outlet", {"channel": outlet}
    return value, None, None


@bp.get("/pay")
@require("payments.create")
def pay() -> str:
    db = session()
    target = request.args.get("target", "")
    payments.check_visible(db, target, viewer())
    due = payments.amount_due(db, target)
    latest = db.scalar(
        sa.select(Payment).where(Payment.target == target).order_by(Payment.id.desc()).limit(1)
    )
    adapter = registry.adapters().get(latest.gateway) if latest is not None else None
    return render_template(
        "payments/portal_pay.html",
        target=target,
        due=due,
        payment=latest,
        label=pick(adapter.label) if adapter else "",
        takes_proof=bool(
            adapter and "proof_upload" in adapter.capabilities and latest.status in states.OPEN
        ),
        is_open=bool(latest and latest.status in states.OPEN),
        gateways=choices(db),
    )


@bp.post("/pay")
@require("payments.create")
def start() -> Response:
    target = request.args.get("target", "")
    form = FormReader(request.form)
    who = viewer()

    def work(db: Any) -> Payment:
        choice = form.text("gateway", max_length=60)
        form.check()
        gateway, method, customer = chosen(choice)
        return payments.start(db, target, gateway, method, customer, viewer=who)

    here = url_for(".pay", target=target)
    return run_action(
        work,
        success="Payment started; follow the instructions",
        then=lambda payment: payment.redirect_url or here,
        failed=here,
    )


@bp.post("/proof/<int:payment_id>")
@require("payments.create")
def proof(payment_id: int) -> Response:
    upload = request.files.get("file")
    who = viewer()
    target = request.args.get("target", "")

    def work(db: Any) -> None:
        if upload is None:
            raise Invalid("Attach the proof as the file field", fields={"file": ["Missing"]})
        payments.add_proof(db, payment_id, upload.filename or "", upload.read(), who)

    here = url_for(".pay", target=target)
    return run_action(work, success="Proof received; we will confirm it", then=here, failed=here)
