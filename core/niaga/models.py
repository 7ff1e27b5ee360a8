"""Core tables: plugin state, settings, users and roles, tokens, audit log, outbox,
idempotency keys. All prefixed ``core_``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from niaga import sealing
from niaga.db import Model, TimestampMixin, utcnow


class PluginState(Model):
    """Whether an installed plugin is enabled; the source of truth for every process."""

    __tablename__ = "core_plugin_state"
    __config__ = True  # niaga.config_version

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ConfigVersion(Model):
    """One row whose ``version`` the database bumps on every change to a watched
    configuration table (:mod:`niaga.config_version`)."""

    __tablename__ = "core_config_version"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Setting(Model):
    """A setting, ``<plugin>.<key>`` (``core.<key>`` for core), stored as JSON.

    Read and write :attr:`value`; a secret setting's value is stored sealed
    (:mod:`niaga.sealing`), so the database, its dumps and backups never hold it in clear.
    """

    __tablename__ = "core_setting"
    __config__ = True  # niaga.config_version

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    stored: Mapped[Any] = mapped_column("value", sa.JSON)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __init__(self, key: str, value: Any = None, **kwargs: Any) -> None:
        super().__init__(key=key, **kwargs)
        self.value = value  # after the key: sealing depends on it

    @property
    def value(self) -> Any:
        return sealing.unseal(self.stored)

    @value.setter
    def value(self, value: Any) -> None:
        if not sealing.is_secret_setting(self.key):
            self.stored = value
        elif not sealing.is_sealed(self.stored) or self.value != value:
            self.stored = sealing.seal(value)  # a fresh seal only for a new value


class Role(Model):
    """A named set of permissions (owner, manager, cashier, warehouse, bookkeeper, retailer)."""

    __tablename__ = "core_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    permissions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)


class User(TimestampMixin, Model):
    """A person who logs in: staff by e-mail, retailers by phone number."""

    __tablename__ = "core_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(30), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(200), default="")
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("core_role.id"))
    language: Mapped[str] = mapped_column(sa.String(5), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    #: Bumped by "log out everywhere": sessions carrying an older value are refused.
    session_version: Mapped[int] = mapped_column(default=1)

    role: Mapped[Role] = relationship(lazy="joined")

    def can(self, permission: str) -> bool:
        return self.active and (
            self.role.name == "owner" or permission in (self.role.permissions or [])
        )


class LoginSession(Model):
    """One login in one browser, named by the session cookie. Logging out ends it, so a
    cookie copied before the logout no longer works (``niaga.auth``)."""

    __tablename__ = "core_login_session"
    __audit__ = False

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("core_user.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column()


class ApiToken(Model):
    """A hashed API token with scopes (permission names, or ``*``) and an expiry."""

    __tablename__ = "core_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("core_user.id"))
    name: Mapped[str] = mapped_column(sa.String(80), default="")
    prefix: Mapped[str] = mapped_column(sa.String(12), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()

    user: Mapped[User] = relationship(lazy="joined")


class AuditLog(Model):
    """Who changed what, when, from what to what. Insert-only."""

    __tablename__ = "core_audit_log"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(120))
    action: Mapped[str] = mapped_column(sa.String(20))
    entity: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_id: Mapped[str] = mapped_column(sa.String(80))
    before: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    after: Mapped[Any] = mapped_column(sa.JSON, nullable=True)


class OutboxMessage(Model):
    """Work to do after commit (webhooks, notifications), written in the same transaction."""

    __tablename__ = "core_outbox"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(80), index=True)
    payload: Mapped[Any] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    done_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class IdempotencyKey(Model):
    """The stored answer to a POST sent with an ``Idempotency-Key`` header."""

    __tablename__ = "core_idempotency_key"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(120))
    key: Mapped[str] = mapped_column(sa.String(200))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(10), default="running")
    status_code: Mapped[int | None] = mapped_column()
    response_body: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class JobRun(Model):
    """When each scheduled job last ran, so several workers do not run it twice."""

    __tablename__ = "core_job_run"
    __audit__ = False

    name: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    last_started_at: Mapped[dt.datetime | None] = mapped_column()
    last_finished_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    #: Set while a run is going on and renewed by it; a run whose lease expired without
    #: finishing was killed, and the next worker round takes the job over.
    lease_until: Mapped[dt.datetime | None] = mapped_column()


class Sequence(Model):
    """The last number handed out in one document series and period (``niaga.numbering``)."""

    __tablename__ = "core_sequence"
    __audit__ = False

    series: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    last: Mapped[int] = mapped_column(sa.BigInteger, default=0)
