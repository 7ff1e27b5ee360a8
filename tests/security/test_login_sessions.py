"""Logging out ends the session on the server: a cookie copied before the logout no longer
works. A login ends after its lifetime and when left unused too long."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from niaga.db import utcnow
from niaga.models import LoginSession
from niaga.testing import csrf_token, login


def _copy_cookie(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_cookie_copied_before_logout_no_longer_works(app, owner, db):
    browser, thief = app.test_client(), app.test_client()
    login(browser, owner)
    _copy_cookie(browser, thief)
    assert thief.get("/admin/").status_code == 200

    browser.post("/admin/logout", data={"csrf_token": csrf_token(browser, "/admin/")})
    assert thief.get("/admin/").status_code == 302
    assert thief.get("/api/core/me").status_code == 401
    assert db.scalar(sa.select(LoginSession.ended_at)) is not None


def test_logging_out_one_browser_keeps_the_others(app, owner):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, owner)
    login(laptop, owner)
    phone.post("/admin/logout", data={"csrf_token": csrf_token(phone, "/admin/")})
    assert phone.get("/admin/").status_code == 302
    assert laptop.get("/admin/").status_code == 200


def test_a_login_ends_after_its_lifetime(app, owner, db):
    browser = app.test_client()
    login(browser, owner)
    db.execute(sa.update(LoginSession).values(started_at=utcnow() - dt.timedelta(hours=13)))
    db.commit()
    assert browser.get("/admin/").status_code == 302


def test_a_login_left_unused_ends(app, owner):
    browser = app.test_client()
    login(browser, owner)
    with browser.session_transaction() as cookie:
        cookie["niaga_seen"] -= 121 * 60
    assert browser.get("/admin/").status_code == 302


def test_a_used_login_stays_on_and_the_cookie_expires(app, owner):
    browser = app.test_client()
    login(browser, owner)
    with browser.session_transaction() as cookie:
        cookie["niaga_seen"] -= 100 * 60
    assert browser.get("/admin/").status_code == 200
    with browser.session_transaction() as cookie:
        cookie["niaga_seen"] -= 100 * 60  # renewed by the last request
    assert browser.get("/admin/").status_code == 200
    assert browser.get_cookie("session").expires is not None


def test_a_session_cookie_without_a_server_side_login_is_refused(app, owner):
    browser = app.test_client()
    login(browser, owner)
    with browser.session_transaction() as cookie:
        cookie["niaga_login"] = "dibuat-sendiri"
    assert browser.get("/admin/").status_code == 302
