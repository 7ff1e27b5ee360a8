"""The admin shell under ``/admin/``: login, dashboard, navigation, Plugins page, users and
the audit log. Plugins add pages under ``/admin/<plugin>/`` that extend ``admin/base.html``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from markupsafe import Markup

from niaga import auth, lifecycle
from niaga.db import session
from niaga.errors import NiagaError
from niaga.i18n import LANGUAGES, gettext, pick
from niaga.meta import MenuEntry
from niaga.models import AuditLog, User
from niaga.runtime import collect, enabled_plugins, forget_enabled_plugins, niaga

bp = Blueprint("core_admin", __name__, template_folder="templates")


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
        visible.append(
            {
                "label": pick(entry.label),
                "href": href,
                "icon": entry.icon,
                "active": request.path.startswith(href)
                and href != "/admin/"
                or request.path == href,
            }
        )
    return visible


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("core_admin.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if request.method == "POST":
        from niaga.ratelimit import check_login_allowed, record_login_failure

        login_name = request.form.get("login", "").strip()
        check_login_allowed(login_name)
        user = auth.find_login(session(), login_name)
        if user and user.active and auth.verify_password(user, request.form.get("password", "")):
            login_user(auth.LoginUser(user))
            return redirect(_safe_next(request.args.get("next")))
        record_login_failure(login_name)
        session().commit()
        flash(gettext("Wrong e-mail/phone or password"), "error")
    return render_template("admin/login.html")


@bp.post("/logout")
def logout():  # noqa: ANN201
    logout_user()
    return redirect(url_for("core_admin.login"))


@bp.post("/logout-everywhere")
@auth.require("core.dashboard")
def logout_everywhere():  # noqa: ANN201
    who = auth.caller()
    assert who is not None
    user = session().get(User, who.user.id)
    assert user is not None
    user.session_version += 1
    session().commit()
    logout_user()
    return redirect(url_for("core_admin.login"))


@bp.post("/language")
def set_language():  # noqa: ANN201
    language = request.form.get("language", "id")
    if language in LANGUAGES:
        who = auth.caller()
        if who is not None:
            user = session().get(User, who.user.id)
            assert user is not None
            user.language = language
            session().commit()
        g.language = language
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/")
@auth.require("core.dashboard")
def dashboard():  # noqa: ANN201
    who = auth.caller()
    widgets = []
    for _, items in collect("niaga_dashboard_widgets"):
        for widget in items:
            if widget.permission and who and not who.can(widget.permission):
                continue
            try:
                html = widget.render(session())
            except Exception:  # one broken widget must not break the dashboard
                html = Markup("<p class='muted'>") + gettext("Not available") + Markup("</p>")
            widgets.append({"order": widget.order, "label": pick(widget.label), "html": html})
    widgets.sort(key=lambda w: w["order"])
    return render_template("admin/dashboard.html", widgets=widgets)


@bp.get("/plugins")
@auth.require("core.plugins")
def plugins():  # noqa: ANN201
    host = niaga().host
    enabled = enabled_plugins()
    rows = []
    for name, plugin in sorted(host.installed.items()):
        state = (
            plugin.status if not plugin.loaded else ("enabled" if name in enabled else "disabled")
        )
        rows.append(
            {
                "name": name,
                "label": pick(plugin.meta.label) if plugin.meta else name,
                "description": pick(plugin.meta.description) if plugin.meta else "",
                "version": plugin.version,
                "state": state,
                "error": plugin.error,
                "depends": list(plugin.depends),
                "dependents": host.dependents(name),
            }
        )
    return render_template("admin/plugins.html", plugins=rows)


@bp.post("/plugins/<name>/<action>")
@auth.require("core.plugins")
def plugin_action(name: str, action: str):  # noqa: ANN201
    host = niaga().host
    try:
        if action == "enable":
            switched = lifecycle.enable(
                session(), host, name, with_deps=bool(request.form.get("with_deps"))
            )
            session().commit()
            flash(gettext("Enabled: {names}", names=", ".join(switched) or name), "success")
        elif action == "disable":
            lifecycle.disable(session(), host, name)
            session().commit()
            flash(gettext("Disabled: {name}. Its data is kept.", name=name), "success")
        else:
            flash(gettext("Unknown action"), "error")
    except NiagaError as exc:
        session().rollback()
        flash(exc.message(), "error")
    forget_enabled_plugins()
    return redirect(url_for("core_admin.plugins"))


@bp.get("/users")
@auth.require("core.users")
def users():  # noqa: ANN201
    rows = session().scalars(sa.select(User).order_by(User.id)).all()
    return render_template("admin/users.html", users=rows)


@bp.get("/audit")
@auth.require("core.audit")
def audit():  # noqa: ANN201
    page = max(1, request.args.get("page", 1, type=int) or 1)
    statement = sa.select(AuditLog).order_by(AuditLog.id.desc())
    entity = request.args.get("entity")
    if entity:
        statement = statement.where(AuditLog.entity == entity)
    rows = session().scalars(statement.offset((page - 1) * 50).limit(50)).all()
    return render_template("admin/audit.html", rows=rows, page=page, entity=entity or "")


portal = Blueprint("core_portal", __name__, template_folder="templates")


@portal.get("/")
def portal_index():  # noqa: ANN201
    if auth.caller() is None:
        return redirect(url_for("core_admin.login", next=request.full_path))
    return render_template("portal/index.html")


def _user_language() -> None:
    who = auth.caller()
    if who is not None and not g.get("language"):
        g.language = who.user.language


def init_app(app: Flask) -> None:
    app.register_blueprint(bp, url_prefix="/admin")
    app.register_blueprint(portal, url_prefix="/portal")
    app.before_request(_user_language)
    app.jinja_env.globals.update(niaga_menu=menu, languages=LANGUAGES)

    @app.get("/")
    def index():  # noqa: ANN202
        return redirect(url_for("core_admin.dashboard"))
