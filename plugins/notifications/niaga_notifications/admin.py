"""The notifications screens (*Notifikasi*): the log of what was sent, the wording of each
event, each customer's channel, and the principal's webhook with its delivery log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.wrappers import Response

from niaga import settings
from niaga.actions import run_action
from niaga.auth import caller, require
from niaga.db import session
from niaga.errors import Invalid
from niaga.inputs import FormReader
from niaga.runtime import hooks
from niaga_notifications import notify, principal, wording
from niaga_notifications import preferences as customer_preferences
from niaga_notifications.models import (
    Message,
    Preference,
    WebhookAttempt,
    WebhookDelivery,
)
from niaga_notifications.settings import CHANNELS, KPI_FIELDS, SELL_OUT_FIELDS

bp = Blueprint("notifications_admin", __name__, template_folder="templates")


@bp.context_processor
def helpers() -> dict[str, Any]:
    def can(permission: str) -> bool:
        who = caller()
        return bool(who and who.can(permission))

    return {"can": can}


STATES = ("queued", "sending", "sent", "failed", "skipped")
LABELS = {
    "customer_id": "Customer number",
    "channel": "Channel",
    "email": "E-mail",
    "phone": "WhatsApp number",
    "language": "Language",
    "subject": "Subject",
    "body": "Message",
    "principal_url": "Principal's webhook address",
    "principal_secret": "Principal's signing secret",
    "principal_distributor_code": "Distributor code at the principal",
}


@bp.get("/")
@require("notifications.view")
def index() -> str:
    state = request.args.get("state", "")
    event = request.args.get("event", "")
    statement = sa.select(Message).order_by(Message.id.desc()).limit(200)
    if state in STATES:
        statement = statement.where(Message.state == state)
    if event in wording.EVENTS:
        statement = statement.where(Message.event == event)
    return render_template(
        "notifications/index.html",
        messages=session().scalars(statement).all(),
        states=STATES,
        events=wording.EVENTS,
        state=state,
        event=event,
    )


@bp.post("/messages/<int:message_id>/resend")
@require("notifications.manage")
def resend(message_id: int) -> Response:
    return run_action(
        lambda db: notify.resend(db, message_id),
        success="The message is queued again",
        then=url_for(".index"),
    )


@bp.get("/templates")
@require("notifications.manage")
def templates() -> str:
    db = session()
    rows = [
        (event, language, *wording.wording(db, event.name, language))
        for event in wording.EVENTS.values()
        for language in wording.LANGUAGES
    ]
    return render_template("notifications/templates.html", rows=rows)


@bp.get("/templates/<event>/<language>")
@require("notifications.manage")
def template(event: str, language: str) -> str:
    if event not in wording.EVENTS or language not in wording.LANGUAGES:
        abort(404)
    subject, body = wording.wording(session(), event, language)
    return render_template(
        "notifications/template.html",
        event=wording.EVENTS[event],
        language=language,
        subject=subject,
        body=body,
    )


@bp.post("/templates/<event>/<language>")
@require("notifications.manage")
def template_save(event: str, language: str) -> Response:
    back = url_for(".template", event=event, language=language)

    def save(db: Any) -> Any:
        if request.form.get("reset"):
            return wording.reset(db, event, language)
        return wording.save(
            db, event, language, request.form.get("subject", ""), request.form.get("body", "")
        )

    return run_action(
        save, success="Template saved", then=url_for(".templates"), failed=back, labels=LABELS
    )


@bp.get("/preferences")
@require("notifications.manage")
def preferences() -> str:
    db = session()
    rows = db.scalars(sa.select(Preference).order_by(Preference.customer_id)).all()
    names = {}
    for row in rows:
        info = hooks().sales_customer(session=db, customer_id=row.customer_id, user_id=None)
        names[row.customer_id] = info.name if info else "—"
    return render_template(
        "notifications/preferences.html",
        rows=rows,
        names=names,
        channels=CHANNELS,
        default_channel=settings.get(db, "notifications.default_channel"),
    )


def save_preference(db: Any, form: Any) -> Preference:
    """The preference form: numbers read the shop's way, then the rules of
    :func:`niaga_notifications.preferences.put`."""
    reader = FormReader(form)
    customer_id = reader.integer("customer_id", required=True)
    channel = reader.text("channel", required=True, max_length=10)
    email = reader.text("email", max_length=200) or ""
    phone = reader.text("phone", max_length=20) or ""
    language = reader.text("language", max_length=2) or "id"
    reader.check()
    assert customer_id is not None
    return customer_preferences.put(db, customer_id, channel, email, phone, language)


@bp.post("/preferences")
@require("notifications.manage")
def preference_save() -> Response:
    return run_action(
        lambda db: save_preference(db, request.form),
        success="Preference saved",
        then=url_for(".preferences"),
        labels=LABELS,
    )


@bp.get("/principal")
@require("notifications.manage")
def principal_page() -> str:
    db = session()
    deliveries = db.scalars(
        sa.select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(100)
    ).all()
    attempts: dict[int, list[WebhookAttempt]] = {}
    if deliveries:
        for attempt in db.scalars(
            sa.select(WebhookAttempt)
            .where(WebhookAttempt.webhook_id.in_([d.id for d in deliveries]))
            .order_by(WebhookAttempt.id)
        ):
            attempts.setdefault(attempt.webhook_id, []).append(attempt)
    return render_template(
        "notifications/principal.html",
        enabled=settings.get(db, "notifications.principal_enabled"),
        url=settings.get(db, "notifications.principal_url"),
        has_secret=bool(settings.get(db, "notifications.principal_secret")),
        code=settings.get(db, "notifications.principal_distributor_code"),
        sell_out_fields=SELL_OUT_FIELDS,
        kpi_fields=KPI_FIELDS,
        deliveries=deliveries,
        attempts=attempts,
    )


def save_principal(db: Any, form: Any) -> None:
    """Switch sharing on or off and set the receiver; switching on needs an address and
    a secret."""
    on = form.get("enabled") == "on"
    url = (form.get("principal_url") or "").strip()
    secret = form.get("principal_secret") or ""
    code = (form.get("principal_distributor_code") or "").strip()
    settings.put(db, "notifications.principal_url", url)
    settings.put(db, "notifications.principal_distributor_code", code)
    if secret:
        if len(secret) < 16:
            raise Invalid(
                "The secret is too short",
                fields={"principal_secret": ["At least 16 characters"]},
            )
        settings.put(db, "notifications.principal_secret", secret)
    if on:
        problems = {}
        if not url:
            problems["principal_url"] = ["Needed to switch sharing on"]
        if not settings.get(db, "notifications.principal_secret"):
            problems["principal_secret"] = ["Needed to switch sharing on"]
        if problems:
            raise Invalid("Sharing cannot be switched on yet", fields=problems)
    settings.put(db, "notifications.principal_enabled", on)


@bp.post("/principal")
@require("notifications.manage")
def principal_save() -> Response:
    return run_action(
        lambda db: save_principal(db, request.form),
        success="Sharing settings saved",
        then=url_for(".principal_page"),
        labels=LABELS,
    )


@bp.post("/principal/send-now")
@require("notifications.manage")
def principal_send_now() -> Response:
    return run_action(
        principal.share_daily,
        success="Yesterday's figures are queued (once per day)",
        then=url_for(".principal_page"),
    )
