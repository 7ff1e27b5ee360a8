"""The public sign-up form of the portal is rate limited per client address (issue 22), with
the core's counter (``niaga.ratelimit``); the login page links to it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga_sales.models import Registration

from .test_onboarding import register

pytestmark = pytest.mark.plugins("sales")


def registrations(db) -> int:
    db.expire_all()
    return db.scalar(sa.select(sa.func.count()).select_from(Registration))


def test_too_many_sign_ups_from_one_address_are_refused_with_429(app, db):
    app.config["SIGNUP_RATE_LIMIT"] = 3
    shop = app.test_client()
    assert register(shop, phone="081355570001").status_code == 200
    # a refused sign-up (the same phone again) counts too: a script cannot probe for free
    assert register(shop, phone="081355570001").status_code == 422
    assert register(shop, phone="081355570003").status_code == 200
    refused = register(shop, phone="081355570004")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in refused.get_data(as_text=True)
    assert "Warung Bu Sari" in refused.get_data(as_text=True)  # what was typed is kept
    assert registrations(db) == 2  # nothing half-written

    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert register(elsewhere, phone="081355570005").status_code == 200
    assert registrations(db) == 3


def test_the_login_page_offers_the_sign_up(app):
    page = app.test_client().get("/admin/login").get_data(as_text=True)
    assert 'href="/portal/sales/register"' in page
