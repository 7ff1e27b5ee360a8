"""REST API under ``/api/notifications/``: the log of messages, and each customer's
channel preference (for onboarding tools that set it with the retailer)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView

from niaga import fields
from niaga.api import Blueprint, ListQuery, Page, Schema, list_query
from niaga.auth import require
from niaga.db import committed, session
from niaga.errors import NotFound
from niaga_notifications import preferences
from niaga_notifications.models import Message
from niaga_notifications.settings import CHANNELS
from niaga_notifications.wording import EVENTS, LANGUAGES

bp = Blueprint("notifications", __name__, description="Notifications to retailers")

STATES = ("queued", "sending", "sent", "failed", "skipped")


class NotificationsMessageSchema(Schema):
    id = ma.fields.Integer()
    key = ma.fields.String()
    event = ma.fields.String()
    reference = ma.fields.String()
    customer_id = ma.fields.Integer(allow_none=True)
    channel = ma.fields.String()
    recipient = ma.fields.String()
    subject = ma.fields.String()
    body = ma.fields.String()
    state = ma.fields.String(metadata={"description": ", ".join(STATES)})
    attempts = ma.fields.Integer()
    provider_id = ma.fields.String()
    error = ma.fields.String()
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class NotificationsMessageQuery(ListQuery):
    state = ma.fields.String(validate=ma.validate.OneOf(STATES), load_default=None)
    event = ma.fields.String(validate=ma.validate.OneOf(sorted(EVENTS)), load_default=None)
    customer_id = ma.fields.Integer(load_default=None, validate=ma.validate.Range(1, 2**31 - 1))


class NotificationsPreferenceSchema(Schema):
    customer_id = ma.fields.Integer(dump_only=True)
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(CHANNELS))
    email = ma.fields.String(load_default="", validate=ma.validate.Length(0, 200))
    phone = ma.fields.String(load_default="", validate=ma.validate.Length(0, 20))
    language = ma.fields.String(load_default="id", validate=ma.validate.OneOf(LANGUAGES))


@bp.route("/messages")
class Messages(MethodView):
    @bp.arguments(NotificationsMessageQuery, location="query")
    @bp.response(200, NotificationsMessageSchema(many=True))
    @bp.paginate(Page)
    @require("notifications.view")
    def get(self, query: dict[str, Any]) -> Any:
        statement = sa.select(Message)
        for name in ("state", "event", "customer_id"):
            if query.get(name) is not None:
                statement = statement.where(getattr(Message, name) == query[name])
        return list_query(
            statement,
            query,
            sortable={"id": Message.id, "created_at": Message.created_at},
            searchable=[Message.recipient, Message.reference],
            default_sort="-id",
        )


def _customer(customer_id: int) -> int:
    if not 0 < customer_id < 2**31:  # an id no database row can have
        raise NotFound("No preference stored for customer {id}", id=customer_id)
    return customer_id


@bp.route("/preferences/<int:customer_id>")
class PreferenceItem(MethodView):
    @bp.response(200, NotificationsPreferenceSchema)
    @require("notifications.manage")
    def get(self, customer_id: int) -> Any:
        found = preferences.get(session(), _customer(customer_id))
        if found is None:
            raise NotFound("No preference stored for customer {id}", id=customer_id)
        return found

    @bp.arguments(NotificationsPreferenceSchema)
    @bp.response(200, NotificationsPreferenceSchema)
    @require("notifications.manage")
    def put(self, data: dict[str, Any], customer_id: int) -> Any:
        return committed(preferences.put(session(), _customer(customer_id), **data))
