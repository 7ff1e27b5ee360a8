"""Field errors and texts read in the language of the request, the same English word by its
meaning, and money, numbers and dates the Indonesian way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from niaga.models import User
from niaga.testing_pages import find_form

BAD_TOKEN = {"name": 5, "scopes": "all", "expires_days": 0, "colour": "red"}


def field_errors(api, language: str) -> dict:
    response = api.post("/api/core/tokens", json=BAD_TOKEN, headers={"Accept-Language": language})
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["error"]


def test_field_errors_of_the_api_are_in_indonesian(api):
    error = field_errors(api, "id")
    assert error["message"] == "Beberapa isian tidak valid"
    assert error["fields"] == {
        "name": ["Bukan teks yang valid."],
        "scopes": ["Bukan daftar yang valid."],
        "expires_days": ["Harus antara 1 dan 3650."],
        "colour": ["Isian tidak dikenal."],
    }


def test_field_errors_of_the_api_stay_english_in_english(api):
    error = field_errors(api, "en")
    assert error["message"] == "Some fields are not valid"
    assert error["fields"] == {
        "name": ["Not a valid string."],
        "scopes": ["Not a valid list."],
        "expires_days": ["Must be greater than or equal to 1 and less than or equal to 3650."],
        "colour": ["Unknown field."],
    }


def test_an_error_envelope_translates_its_field_messages():
    from niaga.errors import Invalid
    from niaga.i18n import load_package_catalogues

    load_package_catalogues("niaga")
    error = Invalid("Some fields are not valid", fields={"kind": ["Must be one of: a, b."]})
    assert error.to_dict("id")["error"] == {
        "code": "invalid",
        "message": "Beberapa isian tidak valid",
        "fields": {"kind": ["Harus salah satu dari: a, b."]},
    }
    assert error.to_dict("en")["error"]["fields"] == {"kind": ["Must be one of: a, b."]}


def test_the_same_english_word_reads_by_its_meaning(app):
    from niaga.i18n import gettext, pgettext

    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert app.jinja_env.from_string("{{ _('Change') }}").render() == "Ubah"
        rendered = app.jinja_env.from_string("{{ pgettext('money handed back', 'Change') }}")
        assert gettext("Change") == "Ubah"
        # the till's "Change" is money handed back; sales ships that context
        assert rendered.render() == "Kembalian"
        assert pgettext("no such context", "Change") == "Change"


def test_money_and_dates_in_the_shop_zone(app):
    from niaga.web import format_date

    with app.test_request_context(headers={"Accept-Language": "id"}):
        env = app.jinja_env
        assert env.from_string("{{ x|rupiah }}").render(x=Decimal("1250000")) == "Rp 1.250.000"
        moment = dt.datetime(2026, 8, 16, 18, 30, tzinfo=dt.UTC)  # 01:30 next day in WIB
        assert format_date(moment, with_time=True) == "17 Agustus 2026 01:30 WIB"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_date(dt.date(2026, 8, 17)) == "17 August 2026"


def test_form_field_errors_are_in_the_language_of_the_page(logged_in):
    from niaga.testing import csrf_token

    url = "/admin/plugins/core/settings"
    form = {"shop_name": "", "timezone": "GMT", "csrf_token": csrf_token(logged_in, url)}
    response = logged_in.post(url, data=form, headers={"Accept-Language": "id"})
    page = response.get_data(as_text=True)
    assert "Harus salah satu dari: WIB, WITA, WIT." in page
    assert "Must be one of" not in page


def test_the_language_chosen_is_kept_for_the_next_visit(logged_in, db, owner):
    page = logged_in.get("/admin/").get_data(as_text=True)
    chosen = {**find_form(page, action="/admin/language").values(), "language": "en"}
    assert logged_in.post("/admin/language", data=chosen).status_code == 302
    db.expire_all()
    assert db.get(User, owner.id).language == "en"
