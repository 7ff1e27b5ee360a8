"""The notifications screens: the log, the templates, the preferences and the principal's
page answer in Bahasa Indonesia; bad input is refused with the field named and nothing
stored; settings are checked; a disabled plugin's pages are 404."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.errors import Invalid
from niaga.testing import csrf_token
from niaga_notifications import wording
from niaga_notifications.models import Preference, Template

pytestmark = pytest.mark.plugins("notifications", "sales")

PAGES = (
    "/admin/notifications/",
    "/admin/notifications/templates",
    "/admin/notifications/templates/order_confirmed/id",
    "/admin/notifications/preferences",
    "/admin/notifications/principal",
)


def test_every_page_answers_in_indonesian(logged_in):
    for page in PAGES:
        response = logged_in.get(page)
        assert response.status_code == 200, page
    text = logged_in.get("/admin/notifications/principal").get_data(as_text=True)
    assert "Berbagi data dengan prinsipal" in text
    assert "subtotal" in text and "active_retailers_30d" in text  # the exact fields
    assert "Pesanan dikonfirmasi" in logged_in.get("/admin/notifications/templates").get_data(
        as_text=True
    )


def test_a_template_with_an_unknown_placeholder_is_refused_and_a_good_one_saved(logged_in, db):
    url = "/admin/notifications/templates/order_confirmed/id"
    token = csrf_token(logged_in, url)
    refused = logged_in.post(
        url,
        data={"csrf_token": token, "subject": "Pesanan {number}", "body": "Total {jumlah}"},
        follow_redirects=True,
    )
    assert refused.status_code == 200
    assert "{jumlah}" in refused.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Template)) == 0
    saved = logged_in.post(
        url,
        data={
            "csrf_token": token,
            "subject": "Pesanan {number} OK",
            "body": "Yth. {customer}, pesanan {number} ({total}) kami proses.",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200
    db.expire_all()
    assert wording.wording(db, "order_confirmed", "id") == (
        "Pesanan {number} OK",
        "Yth. {customer}, pesanan {number} ({total}) kami proses.",
    )
    with pytest.raises(Invalid):
        wording.check("order_confirmed", "x", "unclosed {number")


def test_a_preference_for_an_unknown_customer_or_a_bad_address_is_refused(logged_in, db, api):
    url = "/admin/notifications/preferences"
    token = csrf_token(logged_in, url)
    response = logged_in.post(
        url,
        data={"csrf_token": token, "customer_id": "9999", "channel": "whatsapp"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Baru"}).get_json()
    response = logged_in.post(
        url,
        data={
            "csrf_token": token,
            "customer_id": str(customer["id"]),
            "channel": "email",
            "email": "bukan-email",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(Preference)) == 0
    response = logged_in.post(
        url,
        data={
            "csrf_token": token,
            "customer_id": str(customer["id"]),
            "channel": "whatsapp",
            "phone": "0812 3456 7890",
            "language": "id",
        },
        follow_redirects=True,
    )
    db.expire_all()
    stored = db.scalar(sa.select(Preference))
    assert (stored.channel, stored.phone) == ("whatsapp", "081234567890")
    assert "Toko Baru" in response.get_data(as_text=True)


def test_bad_settings_are_refused_with_the_field_named(db):
    for key, value in (
        ("notifications.default_channel", "sms"),
        ("notifications.whatsapp_base_url", "graph.facebook.com"),
        ("notifications.whatsapp_api_version", "21"),
        ("notifications.whatsapp_phone_number_id", "abc"),
        ("notifications.smtp_port", 70000),
        ("notifications.sender", "not an address"),
        ("notifications.principal_url", "ftp://x"),
    ):
        with pytest.raises(Invalid):
            settings.put(db, key, value)
    db.rollback()


@pytest.mark.plugins("sales")
def test_a_disabled_plugin_has_no_pages(logged_in):
    assert logged_in.get("/admin/notifications/").status_code == 404
