"""The first-run setup through the test client: the dashboard points to it, one submission
stores the shop's details, enables modules with what they need and invites staff; bad input
re-shows the form and stores nothing; only owners-like callers may use it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import g

from niaga import settings
from niaga.models import User
from niaga.testing import csrf_token, login

URL = "/admin/setup/"


def form(client, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, URL),
        "shop_name": "Toko Sumber Rejeki",
        "address": "Jl. Veteran 12, Makassar",
        "phone": "0411 123 456",
        "npwp": "012345678901000",
        "vat_registered": "1",
        "timezone": "WITA",
        "language": "id",
        "module": ["loyalty"],
        "staff-0-name": "Rina",
        "staff-0-email": "Rina@Toko.id",
        "staff-0-role": "cashier",
        "staff-1-name": "Budi",
        "staff-1-email": "budi@toko.id",
        "staff-1-role": "warehouse",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def enabled(app, db) -> set[str]:
    db.expire_all()
    return set(app.extensions["niaga"].host.enabled_names(db))


def test_the_dashboard_leads_to_the_setup_until_it_is_done(logged_in, db):
    page = logged_in.get("/admin/").get_data(as_text=True)
    assert f'href="{URL}"' in page and "Mulai persiapan" in page
    assert logged_in.post(URL, data=form(logged_in)).status_code == 200
    page = logged_in.get("/admin/").get_data(as_text=True)
    assert "Mulai persiapan" not in page and "Tinjau persiapan" in page


def test_the_setup_stores_everything_in_one_go(app, logged_in, db):
    assert {"sales", "loyalty"}.isdisjoint(enabled(app, db))
    response = logged_in.post(URL, data=form(logged_in))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Toko Anda sudah siap" in page

    db.expire_all()
    assert settings.get(db, "core.shop_name") == "Toko Sumber Rejeki"
    assert settings.get(db, "core.npwp") == "01.234.567.8-901.000"
    assert settings.get(db, "core.vat_registered") is True
    assert settings.get(db, "core.timezone") == "WITA"
    assert settings.get_stored(db, "core.setup_done") is True
    assert {"sales", "loyalty"} <= enabled(app, db)  # loyalty brought sales along

    passwords = re.findall(r'<code class="password">([^<]+)</code>', page)
    assert len(passwords) == 2
    assert "<td>kasir</td>" in page and "<td>cashier</td>" not in page  # roles in words
    rina = db.scalar(sa.select(User).where(User.email == "rina@toko.id"))
    assert rina.role.name == "cashier" and rina.name == "Rina"
    staff = app.test_client()
    g.pop("csrf_token", None)  # the shared app context caches the owner's CSRF token
    login(staff, rina, password=passwords[0])  # the temporary password works once given
    assert staff.get("/admin/sales/pos").status_code == 200  # the new module's permission
    # the passwords are never shown again
    assert passwords[0] not in logged_in.get(URL).get_data(as_text=True)


def test_the_form_shows_what_is_stored(logged_in, db):
    settings.put(db, "core.shop_name", "Warung Bu Sri")
    settings.put(db, "core.timezone", "WIT")
    db.commit()
    page = logged_in.get(URL).get_data(as_text=True)
    assert 'value="Warung Bu Sri"' in page
    assert '<option value="WIT" selected>' in page


def test_sixteen_digit_npwp_and_no_staff(logged_in, db):
    data = form(logged_in, npwp="3173 0123 4567 0001", module=[], vat_registered=None)
    for key in [k for k in data if k.startswith("staff-")]:
        data.pop(key)
    assert logged_in.post(URL, data=data).status_code == 200
    db.expire_all()
    assert settings.get(db, "core.npwp") == "3173012345670001"
    assert settings.get(db, "core.vat_registered") is False
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"npwp": "12.345"}, "npwp", "NPWP terdiri dari 15 atau 16 digit"),
        ({"npwp": "01.234.567.8-901.00x"}, "npwp", "NPWP terdiri dari 15 atau 16 digit"),
        ({"staff-1-email": "budi-at-toko"}, "staff-1-email", "bukan alamat e-mail"),
        ({"staff-1-email": "owner@toko.id"}, "staff-1-email", "sudah ada"),
        ({"staff-1-email": "rina@toko.id"}, "staff-1-email", "sudah ada"),
        ({"staff-1-role": "owner"}, "staff-1-role", "Pilih peran"),
        ({"shop_name": "  "}, "shop_name", "Masukkan nama toko"),
        ({"timezone": "CET"}, "timezone", "Pilih WIB, WITA atau WIT"),
        ({"phone": "call me"}, "phone", "nomor telepon"),
        ({"module": ["loyalty", "nonsense"]}, "module", "Modul tidak dikenal: nonsense"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_saved(app, logged_in, db, changes, field, message):
    response = logged_in.post(URL, data=form(logged_in, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="e-{field}"' in page and message in page
    assert 'value="Rina@Toko.id"' in page or field.startswith("staff")  # input is kept
    db.expire_all()
    assert settings.get_stored(db, "core.shop_name") is None
    assert settings.get_stored(db, "core.setup_done") is None
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert "loyalty" not in enabled(app, db)


def test_a_failure_while_saving_leaves_nothing_half_done(app, logged_in, db, monkeypatch):
    from niaga import auth
    from niaga.errors import Invalid

    real = auth.create_user

    def second_fails(session, **kwargs):
        if kwargs["email"] == "budi@toko.id":
            raise Invalid("A user with {value} already exists", value=kwargs["email"])
        return real(session, **kwargs)

    monkeypatch.setattr(auth, "create_user", second_fails)
    response = logged_in.post(URL, data=form(logged_in))
    assert response.status_code == 422
    assert "budi@toko.id sudah ada" in response.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(sa.select(User).where(User.email == "rina@toko.id")) is None
    assert settings.get_stored(db, "core.shop_name") is None
    assert settings.get_stored(db, "core.setup_done") is None
    assert "loyalty" not in enabled(app, db)


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse", "bookkeeper", "retailer"])
def test_only_who_may_manage_modules_and_settings(app, client, make_user, db, role):
    user = make_user(role, email=f"{role}@toko.id")
    login(client, user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"shop_name": "X"}).status_code in (400, 403)
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post(URL, data={"shop_name": "X"}).status_code == 403
    db.expire_all()
    assert settings.get_stored(db, "core.shop_name") is None
    assert "Mulai persiapan" not in client.get("/admin/").get_data(as_text=True)


def test_anonymous_callers_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_the_form_needs_its_csrf_token(logged_in, db):
    data = form(logged_in)
    data.pop("csrf_token")
    assert logged_in.post(URL, data=data).status_code == 400
    db.expire_all()
    assert settings.get_stored(db, "core.setup_done") is None


def test_in_english(logged_in, db, owner):
    from niaga.models import User as UserRow

    db.get(UserRow, owner.id).language = "en"
    db.commit()
    page = logged_in.get(URL).get_data(as_text=True)
    assert "Set up your shop" in page and "Invite staff" in page
    response = logged_in.post(URL, data=form(logged_in, npwp="123"))
    assert "NPWP has 15 or 16 digits" in response.get_data(as_text=True)
