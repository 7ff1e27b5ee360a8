"""``niaga users ...`` and ``niaga tokens ...``: accounts and API tokens from the shell."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

import click
import sqlalchemy as sa

from niaga import accounts, auth
from niaga.db import committed, session, utcnow
from niaga.errors import NotFound
from niaga.models import ApiToken, User


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _password(given: str | None) -> str:
    if given:
        return given
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise click.ClickException("The passwords differ")
    return first


def user_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "phone": user.phone,
        "name": user.name,
        "role": user.role.name,
        "language": user.language,
        "active": user.active,
    }


@click.group()
def users() -> None:
    """Create and list users, change their role or password."""


@users.command("create")
@click.option("--email", help="E-mail address (staff log in with it).")
@click.option("--phone", help="Phone number (retailers log in with it).")
@click.option("--role", default="cashier", show_default=True, help="owner, manager, cashier, ...")
@click.option("--name", default="", help="Display name.")
@click.option("--password", help="At least 10 characters, not a common one; asked when left out.")
@click.option("--language", type=click.Choice(["id", "en"]), default="id", show_default=True)
def users_create(
    email: str | None, phone: str | None, role: str, name: str, password: str | None, language: str
) -> None:
    """Create a user."""
    auth.ensure_roles(session())
    user = committed(
        auth.create_user(
            session(),
            role=role,
            email=email,
            phone=phone,
            name=name,
            password=_password(password),
            language=language,
        )
    )
    click.echo(f"Created user {accounts.login(user)} ({role})")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def users_list(as_json: bool) -> None:
    """List users."""
    rows = [user_row(u) for u in session().scalars(sa.select(User).order_by(User.id))]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        state = "" if row["active"] else "  (inactive)"
        click.echo(f"{row['id']:>4} {row['email'] or row['phone']:<32} {row['role']:<11}{state}")


@users.command("set-role")
@click.argument("login")
@click.argument("role")
def users_set_role(login: str, role: str) -> None:
    """Give the user LOGIN (e-mail or phone) another ROLE; their sessions end."""
    user = committed(accounts.set_role(session(), accounts.find_user(session(), login), role))
    click.echo(f"{accounts.login(user)} is now {role}")


@users.command("reset-password")
@click.argument("login")
@click.option("--password", help="The new password; asked when left out.")
def users_reset_password(login: str, password: str | None) -> None:
    """Set a new password for LOGIN and end all their sessions."""
    user = accounts.find_user(session(), login)
    committed(accounts.reset_password(user, _password(password)))
    click.echo(f"Password changed for {accounts.login(user)}; their sessions have ended")


@click.group()
def tokens() -> None:
    """Create, list and revoke API tokens."""


@tokens.command("create")
@click.option("--user", "login", required=True, help="E-mail or phone of the token's user.")
@click.option("--scope", "scopes", multiple=True, help="A permission name; repeat; default *.")
@click.option("--name", default="", help="What the token is for, e.g. 'POS 1'.")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Expire after N days.")
def tokens_create(login: str, scopes: tuple[str, ...], name: str, expires_days: int | None) -> None:
    """Create a token. The token is printed on the last line, once: store it now."""
    expires = utcnow() + dt.timedelta(days=expires_days) if expires_days else None
    secret, token = committed(
        accounts.issue_token(
            session(),
            accounts.find_user(session(), login),
            list(scopes),
            name=name,
            expires_at=expires,
        )
    )
    until = f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else ""
    click.echo(f"Token {token.id} for {login}, scopes {', '.join(token.scopes)}{until}:", err=True)
    click.echo(secret)


@tokens.command("list")
@click.option("--user", "login", help="Only this user's tokens.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tokens_list(login: str | None, as_json: bool) -> None:
    """List tokens (never their secrets)."""
    statement = sa.select(ApiToken).order_by(ApiToken.id)
    if login:
        statement = statement.where(ApiToken.user_id == accounts.find_user(session(), login).id)
    found = session().scalars(statement).all()
    rows = [
        {
            "id": t.id,
            "user": accounts.login(t.user),
            "name": t.name,
            "prefix": t.prefix,
            "scopes": t.scopes,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "state": accounts.token_state(t),
        }
        for t in found
    ]
    if as_json:
        _echo_json(rows)
        return
    for token, row in zip(found, rows, strict=True):
        click.echo(
            f"{row['id']:>4} nga_{row['prefix']}_…  {row['user']:<28} {row['state']:<8} "
            f"{','.join(token.scopes)}  {row['name']}"
        )


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID; it stops working at once."""
    token = session().get(ApiToken, token_id)
    if token is None:
        raise NotFound("No token {id}", id=token_id)
    committed(accounts.revoke_token(token))
    click.echo(f"Revoked token {token_id}")
