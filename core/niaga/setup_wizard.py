"""The first-run setup under ``/admin/setup/``: the shop's details, tax, time zone, modules
and staff on one server-rendered page, saved in one transaction (all or nothing).

The dashboard links to it (a core dashboard widget) until ``core.setup_done`` is stored.
Inventory and Cash & Bank start with a default warehouse and a cash account of their own and
offer no setting to name them, so the setup only points to their pages instead of asking
(core may not import plugins, and no hook exists for that).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, render_template, request, url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from niaga import accounts, admin, auth, lifecycle, settings
from niaga.db import committed, session
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext
from niaga.runtime import forget_enabled_plugins, is_enabled, niaga

bp = Blueprint("core_setup", __name__, template_folder="templates")

DONE = "core.setup_done"
SHOP_FIELDS = ("shop_name", "address", "phone", "npwp", "timezone", "language")
STAFF_ROWS = 3
STAFF_ROLES = ("manager", "cashier", "warehouse", "bookkeeper")
TIMEZONES = {"WIB": "UTC+7", "WITA": "UTC+8", "WIT": "UTC+9"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 \-]{6,20}$")
NPWP = re.compile(r"^[0-9 .\-]+$")


def is_done(db: Session) -> bool:
    """Whether the owner has completed the setup once."""
    return bool(settings.get_stored(db, DONE, False))


def widget(db: Session) -> Markup:
    """The dashboard card: a prominent link until the setup is done, then a quiet one."""
    link = url_for("core_setup.wizard")
    if is_done(db):
        text, button = gettext("Your shop is set up."), gettext("Review the setup")
        css = "secondary"
    else:
        text = gettext("Start here: your shop's details, tax, modules and staff in a few minutes.")
        button, css = gettext("Start the setup"), ""
    return Markup('<p>{}</p><p><a class="button {}" href="{}" id="start-setup">{}</a></p>').format(
        escape(text), css, link, escape(button)
    )


def normal_npwp(text: str) -> str:
    """NPWP as stored: 15 digits as ``99.999.999.9-999.999``, 16 digits (NIK) as digits.
    Raises :class:`Invalid` for anything else."""
    digits = re.sub(r"\D", "", text)
    if not NPWP.match(text) or len(digits) not in (15, 16):
        raise Invalid("NPWP has 15 or 16 digits")
    if len(digits) == 16:
        return digits
    d = digits
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


@dataclass
class Plan:
    """What one submission will do, once every field has been checked."""

    shop: dict[str, Any] = field(default_factory=dict)
    modules: list[str] = field(default_factory=list)
    staff: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def read_form(db: Session, form: Any, may_invite: bool) -> Plan:
    """Check the submitted form without writing anything; problems land in ``plan.errors``."""
    plan = Plan()
    shop = {name: form.get(name, "").strip() for name in SHOP_FIELDS}
    if not shop["shop_name"]:
        plan.errors["shop_name"] = gettext("Enter the shop's name")
    if shop["phone"] and not PHONE.match(shop["phone"]):
        plan.errors["phone"] = gettext("Enter a phone number, for example 0812 3456 7890")
    if shop["npwp"]:
        try:
            shop["npwp"] = normal_npwp(shop["npwp"])
        except Invalid as exc:
            plan.errors["npwp"] = exc.message()
    if shop["timezone"] not in TIMEZONES:
        plan.errors["timezone"] = gettext("Choose WIB, WITA or WIT")
    if shop["language"] not in ("id", "en"):
        plan.errors["language"] = gettext("Choose a language")
    shop["vat_registered"] = form.get("vat_registered") == "1"
    plan.shop = shop

    loadable = {row["name"] for row in module_rows() if row["state"] == "disabled"}
    chosen = form.getlist("module")
    unknown = [name for name in chosen if name not in loadable and name not in enabled_now()]
    if unknown:
        plan.errors["module"] = gettext("Unknown module: {names}", names=", ".join(unknown))
    plan.modules = [name for name in chosen if name in loadable]

    if may_invite:
        plan.staff = _read_staff(db, form, plan.errors)
    return plan


def _read_staff(db: Session, form: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    staff, seen = [], set()
    for row in range(STAFF_ROWS):
        values = {k: form.get(f"staff-{row}-{k}", "").strip() for k in ("name", "email", "role")}
        if not values["name"] and not values["email"]:
            continue
        email = values["email"].lower()
        key = f"staff-{row}-email"
        if not EMAIL.match(email):
            errors[key] = gettext("{email} is not an e-mail address", email=values["email"])
        elif email in seen or auth.find_login(db, email) is not None:
            errors[key] = gettext("A user with {value} already exists", value=email)
        if values["role"] not in STAFF_ROLES:
            errors[f"staff-{row}-role"] = gettext("Choose a role")
        if not values["name"]:
            errors[f"staff-{row}-name"] = gettext("Enter the name")
        seen.add(email)
        staff.append({**values, "email": email})
    return staff


def apply(db: Session, plan: Plan) -> list[dict[str, str]]:
    """Store the shop's settings, enable the modules and create the staff accounts (the
    caller commits). Returns each new account with its temporary password, shown once."""
    for name, value in plan.shop.items():
        settings.put(db, f"core.{name}", value)
    host = niaga().host
    for name in plan.modules:
        lifecycle.enable(db, host, name, with_deps=True)
    forget_enabled_plugins()
    auth.ensure_roles(db)  # a newly enabled module's permissions join the default roles
    invited = []
    for person in plan.staff:
        password = secrets.token_urlsafe(9)
        auth.create_user(
            db,
            role=person["role"],
            email=person["email"],
            name=person["name"],
            password=password,
            language=plan.shop["language"],
        )
        invited.append({**person, "password": password})
    settings.put_stored(db, DONE, True)
    return invited


def enabled_now() -> set[str]:
    return {row["name"] for row in module_rows() if row["state"] == "enabled"}


def module_rows() -> list[dict[str, Any]]:
    return [row for row in admin.plugin_rows() if row["state"] in ("enabled", "disabled")]


def _form_values(db: Session) -> dict[str, Any]:
    values = {name: settings.get(db, f"core.{name}") for name in SHOP_FIELDS}
    values["vat_registered"] = bool(settings.get(db, "core.vat_registered"))
    return values


def _render(
    values: dict[str, Any], errors: dict[str, str], chosen: list[str], form: Any = None
) -> str:
    roles = {r.name: r for r in accounts.roles(session())}
    return render_template(
        "admin/setup.html",
        values=values,
        errors=errors,
        chosen=chosen,
        modules=module_rows(),
        timezones=TIMEZONES,
        staff_roles=[roles[name] for name in STAFF_ROLES if name in roles],
        staff_rows=range(STAFF_ROWS),
        may_invite=_may_invite(),
        form=form or {},
    )


def _may_invite() -> bool:
    who = auth.caller()
    return who is not None and who.can("core.users")


@bp.get("/")
@auth.require("core.plugins")
@auth.require("core.settings")
def wizard():
    db = session()
    return _render(_form_values(db), {}, sorted(enabled_now()))


@bp.post("/")
@auth.require("core.plugins")
@auth.require("core.settings")
def save():
    db = session()
    plan = read_form(db, request.form, _may_invite())
    chosen = request.form.getlist("module")
    values = {**plan.shop}
    if plan.errors:
        return _render(values, plan.errors, chosen, request.form), 422
    try:
        invited = committed(apply(db, plan))
    except NiagaError as exc:
        db.rollback()
        forget_enabled_plugins()
        return _render(values, {"form": exc.message()}, chosen, request.form), 422
    forget_enabled_plugins()
    page = render_template("admin/setup_done.html", invited=invited, links=_next_steps())
    # The temporary passwords are on this answer only.
    return page, 200, {"Cache-Control": "no-store"}


def _next_steps() -> list[dict[str, str]]:
    """Links to the pages where the default warehouse and cash account can be renamed."""
    steps = []
    for plugin, endpoint, label in (
        ("inventory", "inventory_admin.index", "Warehouses and products (Inventory)"),
        ("cashbank", "cashbank_admin.accounts", "Cash and bank accounts (Cash & Bank)"),
    ):
        if is_enabled(plugin) and endpoint in _endpoints():
            steps.append({"href": url_for(endpoint), "label": gettext(label)})
    return steps


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp, url_prefix="/admin/setup")
