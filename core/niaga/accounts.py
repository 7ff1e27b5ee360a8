"""Managing users, roles and API tokens: shared by the admin pages, the API and the CLI.

Every function takes a session and leaves committing to the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import auth
from niaga.db import utcnow
from niaga.errors import Invalid, NotFound, Refused
from niaga.meta import Permission
from niaga.models import ApiToken, Role, User
from niaga.runtime import collect


def permissions() -> dict[str, list[Permission]]:
    """Permissions contributed by core and the enabled plugins, grouped by plugin."""
    grouped: dict[str, list[Permission]] = {}
    for plugin, items in collect("niaga_permissions"):
        grouped.setdefault(plugin, []).extend(items)
    return grouped


def permission_names() -> set[str]:
    return {p.name for items in permissions().values() for p in items}


def effective_permissions(user: User) -> list[str]:
    """What ``user`` may do: every known permission for the owner, else the role's."""
    if user.role.name == "owner":
        return sorted(permission_names())
    return sorted(user.role.permissions or [])


def roles(session: Session) -> list[Role]:
    return list(session.scalars(sa.select(Role).order_by(Role.id)))


def role_named(session: Session, name: str) -> Role:
    role = session.scalar(sa.select(Role).where(Role.name == name))
    if role is None:
        known = ", ".join(r.name for r in roles(session))
        raise NotFound("Unknown role {role}; known: {known}", role=name, known=known)
    return role


def set_role_permissions(session: Session, name: str, chosen: Iterable[str]) -> Role:
    """Replace the permissions of role ``name``; the owner role always has every one."""
    role = role_named(session, name)
    if role.name == "owner":
        raise Refused("The owner role always has every permission")
    chosen = set(chosen)
    unknown = chosen - permission_names()
    if unknown:
        raise Invalid("Unknown permissions: {names}", names=", ".join(sorted(unknown)))
    # Keep permissions of disabled plugins: switching a plugin off must not edit roles.
    hidden = set(role.permissions or []) - permission_names()
    role.permissions = sorted(chosen | hidden)
    return role


def find_user(session: Session, login: str) -> User:
    user = auth.find_login(session, login)
    if user is None:
        raise NotFound("No user {login}", login=login)
    return user


def owners_left(session: Session, without: User) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .join(Role)
            .where(Role.name == "owner", User.active.is_(True), User.id != without.id)
        )
        or 0
    )


def set_role(session: Session, user: User, role: str) -> User:
    """Give ``user`` another role; the last active owner keeps the owner role."""
    new_role = role_named(session, role)
    if user.role.name == "owner" and new_role.name != "owner" and not owners_left(session, user):
        raise Refused("{login} is the last owner; make someone else owner first", login=login(user))
    user.role = new_role
    user.session_version += 1  # sessions carrying the old rights end
    return user


def set_active(session: Session, user: User, active: bool) -> User:
    if not active and user.role.name == "owner" and not owners_left(session, user):
        raise Refused("{login} is the last owner and cannot be deactivated", login=login(user))
    user.active = active
    user.session_version += 1
    return user


def reset_password(user: User, password: str) -> User:
    """Set a new password and end every session of ``user``."""
    user.password_hash = auth.hash_password(password)
    user.session_version += 1
    return user


def login(user: User) -> str:
    return user.email or user.phone or str(user.id)


def check_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = sorted(set(scopes)) or ["*"]
    unknown = [s for s in scopes if s != "*" and s not in permission_names()]
    if unknown:
        raise Invalid(
            "Unknown scope {names}; use permission names or *",
            names=", ".join(unknown),
            fields={"scopes": [f"unknown: {', '.join(unknown)}"]},
        )
    return scopes


def issue_token(
    session: Session,
    user: User | None,
    scopes: Iterable[str],
    *,
    name: str = "",
    expires_at: dt.datetime | None = None,
) -> tuple[str, ApiToken]:
    """Create a token for ``user``; returns ``(secret, row)``. The secret is never stored."""
    if user is None or not user.active:
        raise Invalid("Tokens are only for active users")
    secret = auth.create_token(session, user, check_scopes(scopes), name, expires_at)
    hashed = auth.hash_token(secret)
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hashed))
    assert token is not None
    return secret, token


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def token_state(token: ApiToken) -> str:
    """``active``, ``revoked`` or ``expired``."""
    if token.revoked_at is not None:
        return "revoked"
    expires = token.expires_at
    if expires is not None and auth.aware(expires) < utcnow():
        return "expired"
    return "active"
