"""The admin shell under ``/admin/``: login, dashboard, navigation, the Plugins page with
each plugin's settings, users, roles, API tokens and the audit log. Plugins add pages under
``/admin/<plugin>/`` that extend ``admin/base.html``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from sqlalchemy.orm import Session

from niaga import accounts, audit_view, auth, forms, lifecycle, settings
from niaga.actions import run_action
from niaga.auth import ensure_roles
from niaga.db import committed, session, utcnow
from niaga.errors import Invalid, NiagaError
from niaga.i18n import LANGUAGES, gettext, pick
from niaga.inputs import FormReader
from niaga.meta import MenuEntry
from niaga.models import ApiToken, AuditLog, User
from niaga.module_pages import plugin_label
from niaga.plugins import CORE
from niaga.ratelimit import check_login_allowed, client_address, record_login_failure
from niaga.runtime import collect, enabled_plugins, forget_enabled_plugins, niaga

bp = Blueprint("core_admin", __name__, template_folder="templates")
AUDIT_PAGE = 50


def menu(area: str = "admin") -> list[dict[str, Any]]:
    """Navigation entries of enabled plugins that the caller may see."""
    who = auth.caller()
    entries: list[MenuEntry] = [
        entry for _, items in collect("niaga_admin_menu") for entry in items if entry.area == area
    ]
    visible = []
    for entry in sorted(entries, key=lambda e: (e.order, pick(e.label))):
        if entry.permission and (who is None or not who.can(entry.permission)):
            continue
        try:
            href = url_for(entry.endpoint)
        except Exception:  # a plugin pointed at an endpoint it does not have
            continue
        nested = href not in ("/admin/", "/portal/") and request.path.startswith(href)
        active = request.path == href or nested
        visible.append(
            {"label": pick(entry.label), "href": href, "icon": entry.icon, "active": active}
        )
    return visible


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and "//" not in target:
        return target
    return url_for("core_admin.dashboard")


def _refused(exc: NiagaError) -> None:
    session().rollback()
    flash(exc.message(), "error")


def _me() -> User:
    who = auth.caller()
    assert who is not None
    user = session().get(User, who.user.id)
    assert user is not None
    return user


# --- logging in and out ---------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        login_name, address = request.form.get("login", "").strip(), client_address()
        check_login_allowed(login_name, address)
        user = auth.authenticate(session(), login_name, request.form.get("password", ""))
        if user is not None:
            auth.start_session(user)
            return committed(redirect(_safe_next(request.args.get("next"))))
        committed(record_login_failure(login_name, address))
        flash(gettext("Wrong e-mail/phone or password"), "error")
    return render_template("admin/login.html")


@bp.post("/logout")
def logout():
    auth.end_session()
    return committed(redirect(url_for("core_admin.login")))


@bp.post("/logout-everywhere")
@auth.require_login
def logout_everywhere():

    def log_out_everywhere(_db: Session) -> None:
        _me().session_version += 1
        auth.end_session()

    return run_action(
        log_out_everywhere,
        success="You are logged out on every device.",
        then=url_for("core_admin.login"),
    )


@bp.post("/language")
def set_language():
    language = request.form.get("language", "id")
    if language in LANGUAGES:
        if auth.caller() is not None:
            _me().language = language
            committed()
        g.language = language
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/account")
@auth.require_login
def account():
    return render_template("admin/account.html", me=_me())


# --- dashboard and plugins ------------------------------------------------------------


@bp.get("/")
@auth.require("core.dashboard")
def dashboard():
    who = auth.caller()
    widgets = []
    for _, items in collect("niaga_dashboard_widgets"):
        for widget in items:
            if widget.permission and who and not who.can(widget.permission):
                continue
            try:
                html = widget.render(session())
            except Exception:  # one broken widget must not break the dashboard
                session().rollback()
                html = Markup("<p class='muted'>") + gettext("Not available") + Markup("</p>")
            widgets.append({"order": widget.order, "label": pick(widget.label), "html": html})
    widgets.sort(key=lambda w: w["order"])
    return render_template("admin/dashboard.html", widgets=widgets)


def shop_name() -> str:
    """The shop's name for page headers and titles (set in the setup wizard); "Niaga" when
    the database cannot say (an error page while it is down)."""
    try:
        return str(settings.get(session(), "core.shop_name"))
    except sa.exc.SQLAlchemyError:
        return "Niaga"


def plugin_rows() -> list[dict[str, Any]]:
    host = niaga().host
    enabled = enabled_plugins()
    rows = []
    for name, plugin in sorted(host.installed.items()):
        state = (
            plugin.status if not plugin.loaded else ("enabled" if name in enabled else "disabled")
        )
        dependents = host.dependents(name)
        rows.append(
            {
                "name": name,
                "label": plugin_label(name),
                "description": pick(plugin.meta.description) if plugin.meta else "",
                "version": plugin.version,
                "state": state,
                "error": plugin.error,
                "depends": [plugin_label(d) for d in plugin.depends],
                "dependents": [plugin_label(d) for d in dependents],
                "enabled_dependents": [plugin_label(d) for d in dependents if d in enabled],
                "missing": [plugin_label(d) for d in plugin.depends if d not in enabled],
                "has_settings": state == "enabled" and name in settings.schemas(),
            }
        )
    return rows


@bp.get("/plugins")
@auth.require("core.plugins")
def plugins():
    return render_template("admin/plugins.html", plugins=plugin_rows())


@bp.post("/plugins/<name>/<action>")
@auth.require("core.plugins")
def plugin_action(name: str, action: str):
    host = niaga().host
    needed_by = [d for d in host.dependents(name) if d in enabled_plugins()]
    if action == "disable" and not request.form.get("confirmed") and not needed_by:
        # ask first: the module's pages and menu disappear for everyone at once
        return render_template("admin/plugin_disable.html", name=name, label=plugin_label(name))
    try:
        if action == "enable":
            with_deps = bool(request.form.get("with_deps"))
            switched = committed(lifecycle.enable(session(), host, name, with_deps=with_deps))
            labels = ", ".join(plugin_label(n) for n in switched) or plugin_label(name)
            flash(gettext("Enabled: {names}", names=labels), "success")
        elif action == "disable":
            lifecycle.disable(session(), host, name)
            committed()
            flash(
                gettext("Disabled: {name}. Its data is kept.", name=plugin_label(name)), "success"
            )
        else:
            abort(404)
    except NiagaError as exc:
        _refused(exc)
    forget_enabled_plugins()
    ensure_roles(session())  # a newly enabled plugin's permissions join the default roles
    return committed(redirect(url_for("core_admin.plugins") + f"#plugin-{name}"))


@bp.route("/plugins/<name>/settings", methods=["GET", "POST"])
@auth.require("core.settings")
def plugin_settings(name: str):
    schema = settings.schemas().get(name)
    if schema is None:
        abort(404)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            forms.save(session(), name, schema, request.form)
            committed()
            flash(gettext("Settings saved."), "success")
            return redirect(url_for("core_admin.plugin_settings", name=name))
        except Invalid as exc:
            session().rollback()
            errors = exc.field_messages()
            flash(exc.message(), "error")
    host = niaga().host
    if name != CORE:
        host.get(name)  # an unknown plugin is refused here
    label = gettext("Shop") if name == CORE else plugin_label(name)
    return render_template(
        "admin/settings.html",
        name=name,
        label=label,
        fields=forms.form_fields(session(), name, schema),
        errors=errors,
        submitted=request.form if errors else {},
    )


# --- users, roles, tokens -------------------------------------------------------------


@bp.get("/users")
@auth.require("core.users")
def users():
    rows = session().scalars(sa.select(User).order_by(User.id)).all()
    return render_template("admin/users.html", users=rows, roles=accounts.roles(session()))


@bp.post("/users")
@auth.require("core.users")
def user_create():
    form = request.form
    return run_action(
        lambda db: auth.create_user(
            db,
            role=form.get("role", ""),
            email=form.get("email") or None,
            phone=form.get("phone") or None,
            name=form.get("name", ""),
            password=form.get("password", ""),
            language=form.get("language", "id") if form.get("language") in LANGUAGES else "id",
        ),
        success="User created.",
        then=url_for("core_admin.users"),
    )


@bp.post("/users/<int:user_id>")
@auth.require("core.users")
def user_update(user_id: int):
    user = session().get(User, user_id)
    if user is None:
        abort(404)
    form = request.form

    def update(db: Session) -> None:
        if form.get("role") and form["role"] != user.role.name:
            accounts.set_role(db, user, form["role"])
        if form.get("password"):
            accounts.reset_password(user, form["password"])
        if "active" in form and (form["active"] == "1") != user.active:
            accounts.set_active(db, user, form["active"] == "1")

    return run_action(
        update,
        success="Saved: {login}",
        login=accounts.login(user),
        then=url_for("core_admin.users"),
    )


@bp.get("/roles")
@auth.require("core.users")
def roles():
    grouped = [
        {"plugin": plugin, "permissions": [{"name": p.name, "label": pick(p.label)} for p in items]}
        for plugin, items in sorted(accounts.permissions().items())
    ]
    return render_template("admin/roles.html", roles=accounts.roles(session()), groups=grouped)


@bp.post("/roles/<name>")
@auth.require("core.users")
def role_update(name: str):
    return run_action(
        lambda db: accounts.set_role_permissions(db, name, request.form.getlist("permission")),
        success="Role {name} saved.",
        name=name,
        then=url_for("core_admin.roles") + f"#role-{name}",
    )


@bp.get("/tokens")
@auth.require("core.tokens")
def tokens():
    rows = session().scalars(
        sa.select(ApiToken).where(ApiToken.user_id == _me().id).order_by(ApiToken.id.desc())
    )
    scopes = sorted(accounts.effective_permissions(_me()))
    return render_template(
        "admin/tokens.html",
        tokens=[{"row": t, "state": accounts.token_state(t)} for t in rows],
        others=_others_tokens(),
        scopes=scopes,
        new_token=None,
    )


def _manages_users() -> bool:
    who = auth.caller()
    return who is not None and who.can("core.users")


def _others_tokens() -> list[dict]:
    """Everyone else's tokens, for whoever manages users (``core.users``): to see what
    integrations exist and revoke one without its owner."""
    if not _manages_users():
        return []
    rows = session().scalars(
        sa.select(ApiToken).where(ApiToken.user_id != _me().id).order_by(ApiToken.id.desc())
    )
    return [{"row": t, "state": accounts.token_state(t)} for t in rows]


def _all_scopes(user: User) -> list[str]:
    """What "every permission" means for a new token of ``user``: ``*`` for the owner,
    else the permissions of enabled plugins the user has now (only the owner grants ``*``)."""
    if user.role.name == "owner":
        return ["*"]
    return sorted(set(accounts.effective_permissions(user)) & accounts.permission_names())


@bp.post("/tokens")
@auth.require("core.tokens")
def token_create():
    form = request.form
    me = _me()
    try:
        days = form.get("expires_days", "").strip()
        if days and (not days.isdigit() or not 1 <= int(days) <= 3650):
            raise Invalid("Expiry must be 1 to 3650 days", fields={"expires_days": ["1-3650"]})
        secret, _ = committed(
            accounts.issue_token(
                session(),
                me,
                form.getlist("scope") or _all_scopes(me),
                name=form.get("name", "")[:80],
                expires_at=utcnow() + dt.timedelta(days=int(days)) if days else None,
            )
        )
    except NiagaError as exc:
        _refused(exc)
        return redirect(url_for("core_admin.tokens"))
    # Shown on this answer only; the secret is stored hashed and cannot be shown again.
    rows = session().scalars(
        sa.select(ApiToken).where(ApiToken.user_id == me.id).order_by(ApiToken.id.desc())
    )
    response = render_template(
        "admin/tokens.html",
        tokens=[{"row": t, "state": accounts.token_state(t)} for t in rows],
        others=_others_tokens(),
        scopes=sorted(accounts.effective_permissions(me)),
        new_token=secret,
    )
    return response, 201, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
@auth.require("core.tokens")
def token_revoke(token_id: int):
    token = session().get(ApiToken, token_id)
    if token is None or (token.user_id != _me().id and not _manages_users()):
        abort(404)
    accounts.revoke_token(token)
    committed()
    flash(gettext("Token revoked."), "success")
    return redirect(url_for("core_admin.tokens"))


# --- audit log ------------------------------------------------------------------------


@bp.get("/audit")
@auth.require("core.audit")
def audit():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    statement = sa.select(AuditLog).order_by(AuditLog.id.desc())
    filters = {k: request.args.get(k, "").strip() for k in ("entity", "entity_id", "actor")}
    if filters["entity"]:
        statement = statement.where(AuditLog.entity == filters["entity"])
    if filters["entity_id"]:
        statement = statement.where(AuditLog.entity_id == filters["entity_id"])
    if filters["actor"]:
        statement = statement.where(AuditLog.actor.startswith(filters["actor"]))
    dates = FormReader(request.args)
    start, end = dates.date("from"), dates.date("to")
    if dates.errors:
        flash(gettext("Check the dates: {fields}", fields=", ".join(dates.errors)), "error")
        start = end = None
    statement = statement.where(*audit_view.day_bounds(session(), start, end))
    rows = session().scalars(statement.offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE + 1)).all()
    people = session().scalars(sa.select(User).order_by(User.name)).all()
    return render_template(
        "admin/audit.html",
        entries=audit_view.describe(session(), rows[:AUDIT_PAGE]),
        more=len(rows) > AUDIT_PAGE,
        page=page,
        filters={
            **filters,
            "from": start.isoformat() if start else "",
            "to": end.isoformat() if end else "",
        },
        people=people,
    )


# --- portal ---------------------------------------------------------------------------

portal = Blueprint("core_portal", __name__, template_folder="templates")


@portal.get("/")
@auth.require_login
def portal_index():
    return render_template("portal/index.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp, url_prefix="/admin")
    app.register_blueprint(portal, url_prefix="/portal")
    app.jinja_env.globals.update(niaga_menu=menu, languages=LANGUAGES, shop_name=shop_name)

    @app.get("/")
    def index():
        return redirect(url_for("core_admin.dashboard"))
