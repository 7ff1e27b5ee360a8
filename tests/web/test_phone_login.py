"""Logging in with a phone number finds the same user however the number is typed
(issue 22): one rule in core (``niaga.auth.find_login`` with ``niaga.phones``), used by the
login form, by the login rate limit's buckets and by the sales plugin's onboarding."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga import phones
from niaga.auth import find_login
from niaga.db import session
from niaga.errors import Invalid
from niaga.models import User
from niaga.testing import PASSWORD, build_app, csrf_token

TYPED = [
    "081355512345",
    "0813-5551-2345",
    "+62 813 5551 2345",
    "62813.5551.2345",
    " 0813 5551 2345 ",
]


def post_login(client, login: str, password: str = PASSWORD):
    return client.post(
        "/admin/login",
        data={"login": login, "password": password, "csrf_token": csrf_token(client)},
    )


@pytest.mark.parametrize("typed", TYPED)
def test_a_phone_login_is_found_however_the_number_is_typed(app, make_user, typed):
    user = make_user("retailer", phone="0813 5551 2345", email=None)
    client = app.test_client()
    answer = post_login(client, typed)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    with app.app_context():
        stored = session().get(User, user.id)
        assert stored.phone == "081355512345"  # stored in its normal form


def test_a_login_stored_before_normalisation_is_still_found(app, make_user):
    user = make_user("retailer", phone="081355512399", email=None)
    with app.app_context():
        db = session()
        db.execute(sa.update(User).where(User.id == user.id).values(phone="+62 813-5551-2399"))
        db.commit()
        assert find_login(db, "0813 5551 2399").id == user.id
        assert find_login(db, "6281355512399").id == user.id
        assert find_login(db, "081355512390") is None  # same tail digits, another number
    assert post_login(app.test_client(), "0813-5551-2399").status_code == 302


def test_a_wrong_password_or_another_number_is_refused(app, make_user):
    make_user("retailer", phone="081355512345", email=None)
    client = app.test_client()
    assert b"Location" not in post_login(client, "+62 813 5551 2345", "wrong-password").data
    assert post_login(client, "+62 813 5551 2345", "wrong-password").status_code == 200
    assert post_login(client, "0813 5551 2346").status_code == 200
    assert post_login(client, "").status_code == 200


def test_a_second_login_with_the_same_number_typed_otherwise_is_refused(app, make_user):
    make_user("retailer", phone="081355512345", email=None)
    with pytest.raises(Invalid):
        make_user("retailer", phone="+62 813-5551-2345", email=None)


def test_the_rate_limit_counts_one_number_however_it_is_typed(database_url, make_user):
    make_user("retailer", phone="081355512345", email=None)
    limited = build_app(database_url, LOGIN_RATE_LIMIT=3, LOGIN_ADDRESS_LIMIT=100)
    client = limited.test_client()
    for typed in TYPED[:3]:
        assert post_login(client, typed, "wrong-password").status_code == 200
    # a fourth spelling of the same number is the same bucket: refused, right password or not
    assert post_login(client, TYPED[3]).status_code == 429
    limited.extensions["niaga"].engine.dispose()


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Owner@Toko.ID ", "owner@toko.id"),
        ("+62 812-3450-0001", "081234500001"),
        ("0811", "0811"),  # too short to be a phone number: compared as typed
    ],
)
def test_login_key(typed, key):
    assert phones.login_key(typed) == key
    assert phones.phone_or_none("tidak ada") is None
