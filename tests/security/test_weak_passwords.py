"""Weak passwords are refused wherever a password is set: too short, too common, or one
character repeated; the message is in Indonesian."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from niaga import auth
from niaga.errors import Invalid
from niaga.models import User
from niaga.testing import csrf_token

WEAK = ["12345678", "password", "1234567890", "Password123", "QWERTYUIOP", "aaaaaaaaaaaa"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(password):
    with pytest.raises(Invalid):
        auth.check_password(password)


def test_a_long_uncommon_password_is_accepted():
    auth.check_password("kopi-tubruk-pagi")


@pytest.mark.parametrize("password", ["password", "password123"])
def test_the_users_page_refuses_a_weak_password_in_indonesian(logged_in, db, password):
    page = logged_in.post(
        "/admin/users",
        data={
            "email": "kasir@toko.id",
            "role": "cashier",
            "password": password,
            "csrf_token": csrf_token(logged_in, "/admin/users"),
        },
        follow_redirects=True,
        headers={"Accept-Language": "id"},
    ).get_data(as_text=True)
    assert "Kata sandi minimal 10 karakter" in page or "Kata sandi ini terlalu umum" in page
    assert db.scalar(sa.select(User).where(User.email == "kasir@toko.id")) is None


def test_a_reset_to_a_weak_password_is_refused(logged_in, db, make_user):
    cashier = make_user("cashier")
    before = cashier.password_hash
    logged_in.post(
        f"/admin/users/{cashier.id}",
        data={"password": "1234567890", "csrf_token": csrf_token(logged_in, "/admin/users")},
    )
    db.expire_all()
    assert db.get(User, cashier.id).password_hash == before


def test_the_command_line_refuses_a_weak_password(app, database_url, monkeypatch):
    from niaga.cli import main

    monkeypatch.setenv("NIAGA_DATABASE_URL", database_url)
    result = CliRunner().invoke(
        main,
        [
            "users",
            "create",
            "--email",
            "kasir@toko.id",
            "--role",
            "cashier",
            "--password",
            "123456789a",
        ],
    )
    assert result.exit_code != 0
    assert "common" in result.output or "umum" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
