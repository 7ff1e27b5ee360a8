"""Bringing a retailer onto the portal without a second customer for the same shop: an
invitation link (API and the customer page) with which the retailer sets its password, and
a sign-up from the portal that staff approve or reject. Forms are submitted as the pages
render them; the retailer then logs in through the real login form."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.models import User
from niaga.testing import login
from niaga.testing_pages import parse_page
from niaga_sales import onboarding
from niaga_sales.models import Customer, Invitation, Registration

pytestmark = pytest.mark.plugins("sales")

NEW_PASSWORD = "Warung-Palu-2026"


def customer_count(db) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(Customer))


def form_of(html: str, **match: str) -> dict[str, str]:
    """The values of the first form on ``html`` whose fields include ``match``."""
    for form in parse_page(html).forms:
        values = form.values()
        if all(values.get(k) == v if v else k in values for k, v in match.items()):
            return values
    raise AssertionError(f"no form with {match}")


def local(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def accept(client, link: str, password: str = NEW_PASSWORD, name: str = "Bu Rina"):
    page = client.get(local(link))
    assert page.status_code == 200
    fields = form_of(page.get_data(as_text=True), password="")
    fields.update(name=name, password=password, password_again=password)
    return client.post(local(link), data=fields)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("0813 5551 2345", "081355512345"),
        ("+62 813-5551-2345", "081355512345"),
        ("62813.5551.2345", "081355512345"),
        ("(0451) 421 234", "0451421234"),
    ],
)
def test_phone_numbers_are_compared_the_way_indonesians_write_them(typed, normal):
    assert onboarding.normal_phone(typed) == normal


@pytest.mark.parametrize("typed", ["12345", "0813-abc-2345", "+1 415 555 0100", "62"])
def test_what_is_not_a_phone_number_is_refused_naming_the_field(typed):
    with pytest.raises(onboarding.Invalid) as refused:
        onboarding.normal_phone(typed, "invite_phone")
    assert "invite_phone" in refused.value.field_messages()


def test_an_invitation_links_the_existing_customer_and_the_retailer_sets_its_password(
    app, db, api, customer
):
    before = customer_count(db)
    # the customer's phone was typed 081234500001; the invitation writes it another way
    answer = api.post("/api/sales/invitations", json={"phone": "+62 812-3450-0001"})
    assert answer.status_code == 201, answer.get_json()
    invited = answer.get_json()
    assert invited["customer_id"] == customer["id"] and invited["phone"] == "081234500001"
    link = invited["link"]
    assert "/portal/sales/invite/" in link
    # only the link's hash is kept
    secret = link.rsplit("/", 1)[1]
    stored = db.scalars(sa.select(Invitation.token_hash)).all()
    assert stored and secret not in stored

    retailer = app.test_client()
    done = accept(retailer, link)
    assert done.status_code == 302 and done.headers["Location"].endswith("/portal/sales/")
    page = retailer.get("/portal/sales/").get_data(as_text=True)
    assert "Toko Sinar Palu" in page or "tidak terhubung" not in page
    assert retailer.get("/api/sales/my/balance").status_code == 200

    db.expire_all()
    assert customer_count(db) == before  # no second customer
    user = db.scalar(sa.select(User).where(User.phone == "081234500001"))
    assert user is not None and user.role.name == "retailer" and user.name == "Bu Rina"
    assert db.get(Customer, customer["id"]).user_id == user.id
    # the retailer logs in again with the number as it types it
    again = app.test_client()
    login(again, user, password=NEW_PASSWORD)
    assert again.get("/api/sales/my/balance").status_code == 200

    # the link works once
    used = app.test_client().get(local(link))
    assert used.status_code == 404 and "tidak berlaku" in used.get_data(as_text=True)


def test_an_invitation_never_makes_a_duplicate_and_says_why_in_indonesian(
    app, db, api, customer, make_user
):
    make_user("retailer", phone="081355500003")  # a login of no shop yet
    other = api.post(
        "/api/sales/customers", json={"shop_name": "Toko Dua", "phone": "0813 5550 0002"}
    ).get_json()
    before = customer_count(db)
    # the phone of another customer cannot be used for this one
    clash = api.post(
        "/api/sales/invitations",
        json={"customer_id": customer["id"], "phone": "081355500002"},
        headers={"Accept-Language": "id"},
    )
    assert clash.status_code == 409, clash.get_json()
    assert "Toko Dua" in clash.get_json()["error"]["message"]
    # an unknown number without a shop name: nothing to invite
    unknown = api.post("/api/sales/invitations", json={"phone": "081399999999"})
    assert unknown.status_code == 422 and "shop_name" in str(unknown.get_json())
    # a typo is a 422, not a 500
    typo = api.post("/api/sales/invitations", json={"phone": "0813-abc"})
    assert typo.status_code == 422
    assert customer_count(db) == before
    assert db.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    db.rollback()  # the test's reads end before the app writes again

    # a customer that already has a login is not invited again
    first = api.post("/api/sales/invitations", json={"customer_id": other["id"]})
    assert first.status_code == 422  # neither phone nor e-mail given
    link = api.post("/api/sales/invitations", json={"phone": "081355500002"}).get_json()["link"]
    assert accept(app.test_client(), link).status_code == 302
    again = api.post("/api/sales/invitations", json={"phone": "081355500002"})
    assert again.status_code == 409
    # a login that exists already is not made twice
    taken = api.post(
        "/api/sales/invitations", json={"customer_id": customer["id"], "phone": "081355500003"}
    )
    assert taken.status_code == 409
    # with a shop name, a number nobody has becomes a new customer with its invitation
    made = api.post(
        "/api/sales/invitations", json={"phone": "0813 9999 9999", "shop_name": "Kios Baru"}
    )
    assert made.status_code == 201
    assert customer_count(db) == before + 1
    assert db.get(Customer, made.get_json()["customer_id"]).shop_name == "Kios Baru"


def test_a_newer_invitation_replaces_the_older_and_passwords_must_match(app, db, api, customer):
    first = api.post(
        "/api/sales/invitations", json={"customer_id": customer["id"], "phone": "081234500001"}
    )
    second = api.post(
        "/api/sales/invitations", json={"customer_id": customer["id"], "phone": "081234500001"}
    )
    assert first.status_code == second.status_code == 201
    assert app.test_client().get(local(first.get_json()["link"])).status_code == 404

    retailer = app.test_client()
    link = second.get_json()["link"]
    fields = form_of(retailer.get(local(link)).get_data(as_text=True), password="")
    fields.update(password=NEW_PASSWORD, password_again=NEW_PASSWORD + "x")
    page = retailer.post(local(link), data=fields, follow_redirects=True).get_data(as_text=True)
    assert "tidak sama" in page
    weak = accept(retailer, link, password="12345")
    assert weak.status_code == 200 and "10 karakter" in weak.get_data(as_text=True)
    db.expire_all()
    assert db.get(Customer, customer["id"]).user_id is None
    assert accept(retailer, link).status_code == 302


def test_staff_invite_from_the_customer_page_and_see_the_link_once(app, db, logged_in, customer):
    page = logged_in.get(f"/admin/sales/customers/{customer['id']}").get_data(as_text=True)
    fields = form_of(page, action="invite")
    assert fields["invite_phone"] == "081234500001"
    shown = logged_in.post(f"/admin/sales/customers/{customer['id']}", data=fields)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Kirim tautan ini" in html
    link = re.search(r'value="(http[^"]*/portal/sales/invite/[^"]+)"', html).group(1)
    assert accept(app.test_client(), link).status_code == 302
    db.expire_all()
    assert db.get(Customer, customer["id"]).user_id is not None
    after = logged_in.get(f"/admin/sales/customers/{customer['id']}").get_data(as_text=True)
    assert "Bu Rina" in after and "/portal/sales/invite/" not in after

    # a wrong number is refused on the page in Indonesian, nothing stored
    other = logged_in.post(
        "/admin/sales/customers",
        data={
            **form_of(logged_in.get("/admin/sales/customers").get_data(as_text=True), shop_name=""),
            "shop_name": "Toko Tiga",
        },
    )
    other_id = int(other.headers["Location"].rsplit("/", 1)[1])
    fields = form_of(
        logged_in.get(f"/admin/sales/customers/{other_id}").get_data(as_text=True), action="invite"
    )
    fields["invite_phone"] = "0812-abc"
    refused = logged_in.post(
        f"/admin/sales/customers/{other_id}", data=fields, follow_redirects=True
    ).get_data(as_text=True)
    assert "bukan nomor telepon" in refused
    assert db.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def register(client, **changes: str):
    page = client.get("/portal/sales/register")
    assert page.status_code == 200
    fields = form_of(page.get_data(as_text=True), shop_name="")
    fields.update(
        shop_name="Warung Bu Sari",
        owner_name="Sari",
        phone="0813 5557 7001",
        address="Jl. Kartini 5",
        area="Palu Timur",
        nik="7271 0145 0890 0001",
        latitude="-0,8917",
        longitude="119.8707",
        password=NEW_PASSWORD,
        password_again=NEW_PASSWORD,
    )
    fields.update(changes)
    return client.post("/portal/sales/register", data=fields)


def approve_form(html: str, registration_id: int) -> dict[str, str]:
    return form_of(html, registration=str(registration_id), action="approve")


def test_a_shop_signs_up_and_can_log_in_only_after_staff_approve(app, db, logged_in):
    before = customer_count(db)
    shop = app.test_client()
    sent = register(shop)
    assert sent.status_code == 200 and "Terima kasih" in sent.get_data(as_text=True)
    registration = db.scalar(sa.select(Registration))
    assert (registration.phone, registration.state) == ("081355577001", "pending")
    assert registration.latitude == Decimal("-0.891700")
    assert db.scalar(sa.select(User).where(User.phone == "081355577001")) is None
    assert customer_count(db) == before

    # the same phone cannot sign up twice while waiting
    twice = register(app.test_client())
    assert twice.status_code == 422 and "menunggu persetujuan" in twice.get_data(as_text=True)

    page = logged_in.get("/admin/sales/registrations").get_data(as_text=True)
    assert "Warung Bu Sari" in page and "Pelanggan baru" in page
    approved = logged_in.post(
        "/admin/sales/registrations", data=approve_form(page, registration.id)
    )
    assert approved.status_code == 302
    db.expire_all()
    assert customer_count(db) == before + 1
    made = db.scalar(sa.select(Customer).where(Customer.shop_name == "Warung Bu Sari"))
    assert approved.headers["Location"].endswith(f"/admin/sales/customers/{made.id}")
    assert (made.phone, made.area, made.nik) == ("081355577001", "Palu Timur", "7271014508900001")
    assert made.longitude == Decimal("119.870700")
    user = db.get(User, made.user_id)
    assert user.phone == "081355577001" and user.role.name == "retailer"
    assert db.get(Registration, registration.id).password_hash == ""

    login(shop, user, password=NEW_PASSWORD)
    assert shop.get("/api/sales/my/balance").status_code == 200
    assert shop.get("/portal/sales/").status_code == 200


def test_approval_links_the_customer_with_the_same_phone_instead_of_a_duplicate(
    app, db, api, logged_in
):
    existing = api.post(
        "/api/sales/customers",
        json={"shop_name": "Toko Sari (lama)", "phone": "+62 813 5557 7001", "area": "Palu"},
    ).get_json()
    before = customer_count(db)
    register(app.test_client(), email="Sari@Example.id")
    page = logged_in.get("/admin/sales/registrations").get_data(as_text=True)
    assert "Toko Sari (lama)" in page
    registration = db.scalar(sa.select(Registration))
    assert registration.email == "sari@example.id"
    logged_in.post("/admin/sales/registrations", data=approve_form(page, registration.id))
    db.expire_all()
    assert customer_count(db) == before
    linked = db.get(Customer, existing["id"])
    assert linked.user_id is not None
    # what staff knew stays; what was missing is filled in from the sign-up
    assert (linked.shop_name, linked.area, linked.nik) == (
        "Toko Sari (lama)",
        "Palu",
        "7271014508900001",
    )
    # deciding twice is refused
    again = api.post(f"/api/sales/registrations/{registration.id}/approve", json={})
    assert again.status_code == 409


def test_a_rejected_sign_up_leaves_no_login_and_may_be_sent_again(app, db, api, logged_in):
    register(app.test_client())
    registration = db.scalar(sa.select(Registration))
    page = logged_in.get("/admin/sales/registrations").get_data(as_text=True)
    fields = form_of(page, registration=str(registration.id), action="reject")
    fields["reason"] = "Di luar wilayah distribusi"
    logged_in.post("/admin/sales/registrations", data=fields)
    db.expire_all()
    assert db.get(Registration, registration.id).state == "rejected"
    assert db.scalar(sa.select(User).where(User.phone == "081355577001")) is None
    assert "Di luar wilayah distribusi" in logged_in.get("/admin/sales/registrations").get_data(
        as_text=True
    )
    assert register(app.test_client()).status_code == 200
    listed = api.get("/api/sales/registrations?state=pending").get_json()
    assert [r["phone"] for r in listed] == ["081355577001"]


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("nik", "7271-01", "NIK"),
        ("phone", "12", "bukan nomor telepon"),
        ("latitude", "95", "bukan koordinat peta"),
        ("email", "sari@", "bukan alamat e-mail"),
        ("shop_name", "", "Isi nama toko"),
    ],
)
def test_a_bad_sign_up_is_explained_in_indonesian_and_stores_nothing(app, db, field, typed, said):
    answer = register(app.test_client(), **{field: typed})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert said in page
    # what was typed is kept on the form, except the password
    assert NEW_PASSWORD not in page
    assert db.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_the_dashboard_tells_staff_a_sign_up_is_waiting(app, db, api, logged_in, customer):
    register(app.test_client())
    page = logged_in.get("/admin/").get_data(as_text=True)
    assert "Jaringan pengecer" in page and "1 pendaftaran menunggu" in page
    # the walk-in customer is no retailer: one retailer, nobody bought yet
    assert "0 dari 1 berbelanja" in page
    registration = db.scalar(sa.select(Registration))
    api.post(f"/api/sales/registrations/{registration.id}/approve", json={})
    assert "0 pendaftaran menunggu" in logged_in.get("/admin/").get_data(as_text=True)
