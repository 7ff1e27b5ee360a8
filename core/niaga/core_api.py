"""Core's own API under ``/api/core/``: who am I, the audit log (read-only), users and
API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView

from niaga import accounts, auth
from niaga.api import Blueprint, ListQuery, Page, Schema, list_query
from niaga.db import committed, session, utcnow
from niaga.errors import NotFound
from niaga.fields import DateTime as DateTimeField
from niaga.models import ApiToken, AuditLog, User

bp = Blueprint("core", __name__, description="Core: the caller, the audit log, users, tokens")


class AuditSchema(Schema):
    id = ma.fields.Integer()
    occurred_at = DateTimeField()
    actor = ma.fields.String(metadata={"description": "user:ID:login, token:ID:login, plugin:X"})
    action = ma.fields.String(metadata={"description": "create, update, delete, ..."})
    entity = ma.fields.String(metadata={"description": "table name"})
    entity_id = ma.fields.String()
    before = ma.fields.Raw(allow_none=True)
    after = ma.fields.Raw(allow_none=True)


class AuditQuery(ListQuery):
    entity = ma.fields.String(metadata={"description": "table name, e.g. inventory_product"})
    entity_id = ma.fields.String()
    actor = ma.fields.String(metadata={"description": "actor prefix, e.g. user:3"})
    action = ma.fields.String()


class RoleSchema(Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    permissions = ma.fields.List(ma.fields.String())


class UserSchema(Schema):
    id = ma.fields.Integer()
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    role: ma.fields.Field = ma.fields.Function(lambda u: u.role.name)
    language = ma.fields.String()
    active = ma.fields.Boolean()


class MeSchema(UserSchema):
    role = ma.fields.String()
    permissions = ma.fields.List(ma.fields.String())
    token_scopes = ma.fields.List(ma.fields.String(), allow_none=True)


class TokenSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    user_id = ma.fields.Integer(dump_only=True, metadata={"description": "whose token it is"})
    name = ma.fields.String(validate=ma.validate.Length(0, 80), load_default="")
    prefix = ma.fields.String(dump_only=True)
    scopes = ma.fields.List(ma.fields.String(), load_default=lambda: ["*"])
    created_at = DateTimeField(dump_only=True)
    expires_at = DateTimeField(dump_only=True, allow_none=True)
    revoked_at = DateTimeField(dump_only=True, allow_none=True)
    expires_days = ma.fields.Integer(
        load_only=True, validate=ma.validate.Range(1, 3650), load_default=None, allow_none=True
    )


class TokenQuery(Schema):
    everyone = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "every user's tokens, not only the caller's (core.users)"},
    )


class NewTokenSchema(TokenSchema):
    token = ma.fields.String(metadata={"description": "shown once; store it now"})


@bp.route("/me")
class Me(MethodView):
    @bp.response(200, MeSchema)
    @auth.require_login
    def get(self) -> Any:
        """The caller: user, role, permissions and the token's scopes."""
        who = auth.caller()
        assert who is not None
        data = UserSchema().dump(who.user)
        data["permissions"] = accounts.effective_permissions(who.user)
        data["token_scopes"] = who.token.scopes if who.token else None
        return data


@bp.route("/audit")
class Audit(MethodView):
    @bp.arguments(AuditQuery, location="query")
    @bp.response(200, AuditSchema(many=True))
    @bp.paginate(Page)
    @auth.require("core.audit")
    def get(self, query: dict[str, Any]) -> Any:
        """The audit log, newest first; filter by entity, entity_id, actor or action."""
        statement = sa.select(AuditLog)
        for name in ("entity", "entity_id", "action"):
            if name in query:
                statement = statement.where(getattr(AuditLog, name) == query[name])
        if "actor" in query:
            statement = statement.where(AuditLog.actor.startswith(query["actor"]))
        return list_query(
            statement,
            query,
            sortable={"id": AuditLog.id, "occurred_at": AuditLog.occurred_at},
            searchable=[AuditLog.entity, AuditLog.actor],
            default_sort="-id",
        )


@bp.route("/users")
class Users(MethodView):
    @bp.arguments(ListQuery, location="query")
    @bp.response(200, UserSchema(many=True))
    @bp.paginate(Page)
    @auth.require("core.users")
    def get(self, query: dict[str, Any]) -> Any:
        """Users; ``q`` searches e-mail, phone and name."""
        return list_query(
            sa.select(User),
            query,
            sortable={"id": User.id, "email": User.email, "name": User.name},
            searchable=[User.email, User.phone, User.name],
            default_sort="id",
        )


@bp.route("/roles")
class Roles(MethodView):
    @bp.response(200, RoleSchema(many=True))
    @auth.require("core.users")
    def get(self) -> Any:
        """Roles and their permissions."""
        return accounts.roles(session())


@bp.route("/tokens")
class Tokens(MethodView):
    @bp.arguments(TokenQuery, location="query")
    @bp.response(200, TokenSchema(many=True))
    @auth.require("core.tokens")
    def get(self, query: dict[str, Any]) -> Any:
        """The caller's API tokens (never the secrets); with ``everyone``, every user's,
        for whoever manages users (``core.users``)."""
        who = auth.caller()
        assert who is not None
        statement = sa.select(ApiToken).order_by(ApiToken.id)
        if query["everyone"]:
            auth.check("core.users")
        else:
            statement = statement.where(ApiToken.user_id == who.user.id)
        return session().scalars(statement)

    @bp.arguments(TokenSchema)
    @bp.response(201, NewTokenSchema)
    @auth.require("core.tokens")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a token for the caller; the answer holds the secret, shown this once."""
        who = auth.caller()
        assert who is not None
        db = session()
        expires = data.get("expires_days")
        secret, token = committed(
            accounts.issue_token(
                db,
                db.get(User, who.user.id),
                data["scopes"],
                name=data["name"],
                expires_at=utcnow() + dt.timedelta(days=expires) if expires else None,
            )
        )
        shown = {f: getattr(token, f) for f in TokenSchema().dump_fields}
        return {**shown, "token": secret}


@bp.route("/tokens/<int:token_id>")
class TokenItem(MethodView):
    @bp.response(204)
    @auth.require("core.tokens")
    def delete(self, token_id: int) -> None:
        """Revoke one of the caller's tokens, or anyone's for whoever manages users."""
        who = auth.caller()
        assert who is not None
        token = session().get(ApiToken, token_id)
        if token is None or (token.user_id != who.user.id and not who.can("core.users")):
            raise NotFound("No token {id}", id=token_id)
        committed(accounts.revoke_token(token))
