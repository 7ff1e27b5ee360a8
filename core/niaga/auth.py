"""Who is calling, and what they may do.

* People log in with a session cookie (Flask-Login); every form is CSRF-protected
  (Flask-WTF). Passwords are hashed with Argon2id, a memory-hard function.
* Integrations send ``Authorization: Bearer <token>``; tokens are stored as SHA-256
  hashes, carry scopes (permission names or ``*``) and may expire.
* :func:`require` guards a view with a permission; ``owner`` has every permission.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, g, has_request_context, request
from flask import session as flask_session
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session

from niaga import config_version, i18n
from niaga.db import session as db_session
from niaga.db import utcnow
from niaga.errors import Forbidden, Invalid, NiagaError
from niaga.models import ApiToken, LoginSession, Role, User
from niaga.phones import login_key, phone_or_none
from niaga.runtime import niaga
from niaga.web import wants_json

F = TypeVar("F", bound=Callable[..., Any])

hasher = PasswordHasher()
csrf = CSRFProtect()
login_manager = LoginManager()

TOKEN_PREFIX = "nga_"

DEFAULT_ROLES = {
    "owner": "Pemilik / Owner",
    "manager": "Manajer / Manager",
    "cashier": "Kasir / Cashier",
    "warehouse": "Gudang / Warehouse",
    "bookkeeper": "Pembukuan / Bookkeeper",
    "retailer": "Pengecer / Retailer",
}


class Unauthorized(NiagaError):
    code = "unauthorized"
    status = 401


class LoginUser:
    """Adapter that Flask-Login keeps in ``current_user``."""

    is_active = True
    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User, token: ApiToken | None = None) -> None:
        self.user = user
        self.token = token

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"

    def can(self, permission: str) -> bool:
        if not self.user.can(permission):
            return False
        if self.token is not None:
            return "*" in self.token.scopes or permission in self.token.scopes
        return True

    @property
    def actor(self) -> str:
        if self.token is not None:
            return f"token:{self.token.id}:{self.user.email or self.user.phone}"
        return f"user:{self.user.id}:{self.user.email or self.user.phone}"


MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``, refusing weak ones (:func:`check_password`)."""
    check_password(password)
    return hasher.hash(password)


def check_password(password: str) -> None:
    """Refuse a password shorter than 10 characters, made of one or two characters
    repeated, or on the built-in list of common passwords (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("The password must have at least 10 characters")
    if len(set(password)) < 3 or password.casefold() in _common_passwords():
        raise Invalid("This password is too common; choose a longer, less predictable one")


@functools.cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("niaga").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The active user ``login`` if ``password`` is theirs. An unknown or inactive account
    costs the same Argon2 verification (against a dummy hash), so the answer's timing
    does not tell which accounts exist."""
    user = find_login(session, login)
    if user is None or not user.active:
        _verify(_dummy_hash(), password)
        return None
    return user if _verify(user.password_hash, password) else None


def find_login(session: Session, login: str) -> User | None:
    """The user whose e-mail or phone number is ``login``. A phone number is found however
    it is typed (``0812-3450-0001``, ``+62 812 3450 0001``, ``6281234500001``) and however
    it was stored: compared in its normal form (:func:`niaga.phones.login_key`)."""
    key = login_key(login)
    if not key:
        return None
    if "@" in key:
        return session.scalar(sa.select(User).where(sa.func.lower(User.email) == key))
    user = session.scalar(sa.select(User).where(User.phone == key))
    if user is not None or not key.isdigit():
        return user
    # Logins made before phone numbers were stored normalised (``+62 812-...``): the same
    # number has the same last digits, so only those few rows are read and compared.
    tail = key[-4:]
    candidates = session.scalars(
        sa.select(User).where(User.phone.is_not(None), User.phone.like(f"%{tail}"))
    )
    return next((u for u in candidates if phone_or_none(u.phone) == key), None)


def create_user(
    session: Session,
    *,
    role: str,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    name: str = "",
    language: str = "id",
) -> User:
    """Create a user with ``role`` (the caller commits)."""
    if not email and not phone:
        raise Invalid("A user needs an e-mail address or a phone number")
    if email and "@" not in email:
        raise Invalid("{email} is not an e-mail address", email=email)
    # stored in its normal form (0812...) when it is an Indonesian number, as typed otherwise
    phone = phone_or_none(phone) or (phone.strip() if phone else None)
    role_row = session.scalar(sa.select(Role).where(Role.name == role))
    if role_row is None:
        raise Invalid("Unknown role {role}", role=role)
    for value in (email, phone):
        if value and find_login(session, value) is not None:
            raise Invalid("A user with {value} already exists", value=value)
    user = User(
        email=email.lower() if email else None,
        phone=phone,
        name=name,
        password_hash=hash_password(password),
        role=role_row,
        language=language,
    )
    session.add(user)
    session.flush()
    return user


def ensure_roles(session: Session) -> None:
    """Create the default roles and give them the permissions plugins suggest for them."""
    suggested: dict[str, set[str]] = {name: set() for name in DEFAULT_ROLES}
    for _, permissions in niaga().host.collect("niaga_permissions"):
        for permission in permissions:
            for role in permission.roles:
                suggested.setdefault(role, set()).add(permission.name)
    existing = {r.name: r for r in session.scalars(sa.select(Role))}
    for name, label in DEFAULT_ROLES.items():
        role = existing.get(name)
        if role is None:
            session.add(Role(name=name, label=label, permissions=sorted(suggested[name])))
        else:
            # Add permissions of newly installed plugins; never take away what an owner set.
            role.permissions = sorted(set(role.permissions or []) | suggested[name])
    session.flush()


def create_token(
    session: Session,
    user: User,
    scopes: list[str],
    name: str = "",
    expires_at: dt.datetime | None = None,
) -> str:
    """Create an API token and return it in clear: it is shown once and stored hashed.
    In a request, the caller may only hand out what it holds (:func:`check_grant`)."""
    scopes = scopes or ["*"]
    if has_request_context():
        check_grant(scopes, expires_at)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            prefix=prefix,
            token_hash=hash_token(secret),
            scopes=scopes,
            expires_at=expires_at,
        )
    )
    session.flush()
    return secret


def check_grant(scopes: list[str], expires_at: dt.datetime | None) -> None:
    """Refuse a new token wider than the caller: only the owner grants ``*``, a person
    grants only permissions they have, and a token only its own scopes and expiry."""
    who = caller()
    if who is None:
        return
    if "*" in scopes and who.user.role.name != "owner":
        raise Forbidden("Only the owner can create a token with every permission (*)")
    beyond = sorted(s for s in scopes if s != "*" and not who.can(s))
    if who.token is not None and "*" in scopes and "*" not in who.token.scopes:
        beyond.insert(0, "*")
    if beyond:
        raise Forbidden("You cannot grant what you do not have: {scopes}", scopes=", ".join(beyond))
    own_expiry = who.token.expires_at if who.token is not None else None
    if own_expiry is not None and (expires_at is None or aware(expires_at) > aware(own_expiry)):
        raise Forbidden("A token cannot create a token that outlives it")


def hash_token(secret: str) -> str:
    """How a token secret is stored (SHA-256: secrets are long and random)."""
    return hashlib.sha256(secret.encode()).hexdigest()


LOGIN_KEY, SEEN_KEY = "niaga_login", "niaga_seen"


def start_session(user: User) -> None:
    """Log ``user`` in in this browser: a server-side login that the cookie names, lasting
    at most ``PERMANENT_SESSION_LIFETIME`` and ending after ``SESSION_IDLE_MINUTES`` unused
    (the caller commits)."""
    nonce = secrets.token_urlsafe(32)
    db_session().add(LoginSession(id=nonce, user_id=user.id))
    login_user(LoginUser(user))
    flask_session.permanent = True
    flask_session[LOGIN_KEY] = nonce
    flask_session[SEEN_KEY] = int(utcnow().timestamp())


def end_session() -> None:
    """Log out this browser: its login ends on the server too (the caller commits)."""
    nonce = flask_session.pop(LOGIN_KEY, None)
    row = db_session().get(LoginSession, nonce) if isinstance(nonce, str) else None
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
    logout_user()


def _session_alive(user: User) -> bool:
    """Whether this browser's login of ``user`` is still on, and note that it was used."""
    from flask import current_app

    nonce = flask_session.get(LOGIN_KEY)
    row = db_session().get(LoginSession, nonce) if isinstance(nonce, str) else None
    if row is None or row.ended_at is not None or row.user_id != user.id:
        return False
    now = utcnow()
    if aware(row.started_at) + current_app.permanent_session_lifetime < now:
        return False
    seen = flask_session.get(SEEN_KEY)
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if not isinstance(seen, int) or seen + idle < now.timestamp():
        return False
    if now.timestamp() - seen >= 60:  # rewriting the cookie once a minute is enough
        flask_session[SEEN_KEY] = int(now.timestamp())
    return True


def _load_session_user(user_id: str) -> LoginUser | None:
    ident, _, version = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = db_session().get(User, int(ident))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return LoginUser(user) if _session_alive(user) else None


# Built once (every API request runs it). The configuration version rides along, so the
# per-process configuration cache is checked without a statement of its own
# (niaga.config_version).
_TOKEN_BY_HASH = sa.select(ApiToken, config_version.column()).where(
    ApiToken.token_hash == sa.bindparam("token_hash")
)


def _load_bearer_user(req: Any) -> LoginUser | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    secret = header.removeprefix("Bearer ").strip()
    db = db_session()
    found = db.execute(_TOKEN_BY_HASH, {"token_hash": hash_token(secret)}).first()
    if found is None:
        return None
    token, version = found
    config_version.saw(db, version)
    if token.revoked_at is not None or not token.user.active:
        return None
    if token.expires_at is not None and aware(token.expires_at) < utcnow():
        return None
    g.niaga_token_auth = True
    return LoginUser(token.user, token)


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def caller() -> LoginUser | None:
    """The logged-in user or token of this request, if any."""
    user = current_user
    return user if getattr(user, "is_authenticated", False) else None


def caller_language() -> str | None:
    """The language the logged-in user chose, if anyone is logged in."""
    who = caller()
    return who.user.language if who is not None else None


def check(permission: str) -> LoginUser:
    """Raise unless the caller has ``permission``; returns the caller."""
    who = caller()
    if who is None:
        raise Unauthorized("Please log in first")
    if not who.can(permission):
        raise Forbidden(
            "You do not have permission to do this ({permission})", permission=permission
        )
    return who


LOGGED_IN = "__logged_in__"


def refusal(permission: str) -> Any:
    """``None`` if the caller has ``permission`` (``LOGGED_IN``: is logged in at all);
    else a redirect to the login page for an anonymous browser, or raises 401/403."""
    from flask import redirect, url_for

    who = caller()
    if who is None and not wants_json():
        return redirect(url_for("core_admin.login", next=request.full_path.rstrip("?")))
    if permission == LOGGED_IN:
        if who is None:
            raise Unauthorized("Please log in first")
        return None
    check(permission)
    return None


def _guard(permission: str, view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        refused = refusal(permission)
        if refused is not None:
            return refused
        return view(*args, **kwargs)

    wrapper.niaga_permission = permission  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def require(permission: str) -> Callable[[F], F]:
    """Decorator: the view needs ``permission`` (API answers 401/403; pages redirect
    anonymous visitors to the login page). Checked before the request body is parsed."""

    def decorate(view: F) -> F:
        return _guard(permission, view)

    return decorate


def require_login(view: F) -> F:
    """Decorator: any logged-in user or token may call the view."""
    return _guard(LOGGED_IN, view)


def permission_of(endpoint: str | None) -> str | None:
    """The permission the view of ``endpoint`` requires for this request's method."""
    from flask import current_app

    view = current_app.view_functions.get(endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = "get" if request.method == "HEAD" else request.method.lower()
        view = getattr(view_class, method, None)
    while view is not None:
        found = getattr(view, "niaga_permission", None)
        if found:
            return found
        view = getattr(view, "__wrapped__", None)
    return None


def forget_caller() -> None:
    """Start a request knowing no caller. The caller is cached on ``g``; an app context
    shared by several requests (tests, commands that issue requests) must not hand one
    request's caller to the next."""
    g.pop("_login_user", None)
    g.pop("niaga_token_auth", None)
    g.pop("niaga_bearer", None)


def read_bearer() -> None:
    """Look up the request's bearer token, if it has one, before anything reads the enabled
    plugins (the lookup carries the configuration version). An invalid token is refused
    later, by :func:`_bearer_first`, so that a disabled plugin's routes still answer 404
    to everyone."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        g.niaga_bearer = _load_bearer_user(request)


def _bearer_first() -> None:
    """A request with ``Authorization: Bearer`` is the token's alone: a valid token is the
    caller even when a session cookie comes along (the cookie is ignored), and an invalid
    one is refused instead of falling back to the cookie."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return
    who = g.get("niaga_bearer")  # looked up by read_bearer, before the disabled-plugin gate
    if who is None:
        raise Unauthorized("The API token is not valid, expired or revoked")
    g._login_user = who


def _check_permission_first() -> Any:
    # Decorators above @require (argument parsing, pagination) would otherwise run first and
    # answer 422 to someone who may not call the view at all.
    permission = permission_of(request.endpoint)
    return refusal(permission) if permission else None


def _protect_unless_token() -> None:
    """CSRF applies to browsers (cookies); calls with a valid token (checked by
    :func:`_bearer_first`) and cookie-less API calls are exempt."""
    if g.get("niaga_token_auth"):
        return
    if request.path.startswith("/api/") and request.method != "GET" and not request.cookies:
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in protect_forms below
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(_load_session_user)
    login_manager.request_loader(_load_bearer_user)
    login_manager.login_view = "core_admin.login"
    i18n.select_user_language(app, caller_language)
    app.before_request(_bearer_first)
    app.before_request(_check_permission_first)

    @app.before_request
    def protect_forms() -> None:
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            _protect_unless_token()
