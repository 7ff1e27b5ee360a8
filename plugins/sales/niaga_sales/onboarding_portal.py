"""Portal pages that need no login, under ``/portal/sales/``: a shop signs up (staff then
approve it) or accepts an invitation by setting its password (:mod:`niaga_sales.onboarding`).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from niaga.actions import error_text
from niaga.auth import start_session
from niaga.db import session, transaction
from niaga.errors import NiagaError, NotFound
from niaga.i18n import gettext
from niaga.ratelimit import (
    TooManyAttempts,
    check_attempts_allowed,
    client_address,
    record_attempt,
)
from niaga_sales import onboarding

bp = Blueprint("sales_onboarding", __name__, template_folder="templates")


#: how the sign-up form labels its fields, for error messages
REGISTER_LABELS = {
    "shop_name": "Shop name",
    "owner_name": "Owner",
    "phone": "Phone number",
    "email": "E-mail",
    "address": "Address",
    "area": "Area",
    "nik": "NIK",
    "npwp": "NPWP",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "password": "Password",
}


@bp.route("/invite/<secret>", methods=["GET", "POST"])
def invitation_page(secret: str):
    """A retailer sets the password of the login it was invited to, and is logged in."""
    try:
        invitation = onboarding.open_invitation(session(), secret)
    except NotFound as exc:
        return render_template("sales/portal_invitation.html", invalid=exc.message()), 404
    if request.method == "POST":
        password = request.form.get("password", "")
        name = request.form.get("name", "")[:120]
        if password != request.form.get("password_again", ""):
            flash(gettext("The two passwords are not the same"), "error")
        else:
            try:
                with transaction(session()) as db:
                    user = onboarding.accept(db, secret, name=name, password=password)
                    start_session(user)
            except NiagaError as exc:
                flash(error_text(exc), "error")
            else:
                flash(gettext("Welcome! Your login is ready."), "success")
                return redirect(url_for("sales_portal.catalogue_page"))
    return render_template("sales/portal_invitation.html", invitation=invitation, invalid=None)


#: sign-ups one address may send per window (a public form: stops a script filling the
#: approval list), overridable in the instance's configuration
SIGNUP_RATE_LIMIT, SIGNUP_RATE_WINDOW = 5, 3600


def _count_signup() -> None:
    """Refuse (429) an address that sent too many sign-ups lately, else count this one
    (committed even when the sign-up itself is then refused)."""
    config, address = current_app.config, client_address()
    with transaction(session()):
        check_attempts_allowed(
            "signup",
            address,
            config.get("SIGNUP_RATE_LIMIT", SIGNUP_RATE_LIMIT),
            config.get("SIGNUP_RATE_WINDOW", SIGNUP_RATE_WINDOW),
        )
        record_attempt("signup", address)


@bp.route("/register", methods=["GET", "POST"])
def register_page():
    """A shop signs up; staff approve it before it can log in."""
    if request.method == "POST":
        data = {key: request.form.get(key, "") for key in REGISTER_LABELS}
        form = {k: v for k, v in data.items() if k != "password"}
        try:
            _count_signup()
        except TooManyAttempts as exc:
            flash(error_text(exc), "error")
            return render_template("sales/portal_register.html", done=False, form=form), 429
        if data["password"] != request.form.get("password_again", ""):
            flash(gettext("The two passwords are not the same"), "error")
        else:
            try:
                with transaction(session()) as db:
                    onboarding.register(db, data)
            except NiagaError as exc:
                labels = {k: gettext(v) for k, v in REGISTER_LABELS.items()}
                flash(error_text(exc, labels), "error")
            else:
                return render_template("sales/portal_register.html", done=True, form={})
        return render_template("sales/portal_register.html", done=False, form=form), 422
    return render_template("sales/portal_register.html", done=False, form={})
