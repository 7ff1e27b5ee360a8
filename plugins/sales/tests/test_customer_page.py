"""A distributor's admin keeps a retailer up to date on one page: edits the details (numbers
typed the Indonesian way), deactivates the shop, and gives or takes away its portal login.
Every form is submitted as the page rendered it."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.models import User
from niaga.testing import PASSWORD, login
from niaga.testing_pages import form_values, parse_page
from niaga_sales.models import Customer

pytestmark = pytest.mark.plugins("sales")


def page_of(client, customer_id: int) -> str:
    answer = client.get(f"/admin/sales/customers/{customer_id}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def rendered(client, customer_id: int, action: str) -> dict[str, str]:
    """The fields of the page's ``action`` form (save, login, unlink) as rendered."""
    forms = parse_page(page_of(client, customer_id)).forms
    found = [form.values() for form in forms if form.values().get("action") == action]
    assert found, f"no {action} form on the page"
    return found[0]


def submit(client, customer_id: int, action: str, **changes: str) -> str:
    fields = {**rendered(client, customer_id, action), **changes}
    answer = client.post(
        f"/admin/sales/customers/{customer_id}", data=fields, follow_redirects=True
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_new_customer_opens_on_its_own_page_and_edits_keep_what_was_typed(
    app, db, logged_in, customer
):
    created = logged_in.post(
        "/admin/sales/customers",
        data={
            **form_values(
                logged_in.get("/admin/sales/customers").get_data(as_text=True), having="shop_name"
            ),
            "shop_name": "Toko Baru Tatanga",
        },
    )
    new_id = db.scalar(sa.select(Customer.id).where(Customer.shop_name == "Toko Baru Tatanga"))
    assert created.headers["Location"].endswith(f"/admin/sales/customers/{new_id}")

    page = submit(
        logged_in,
        customer["id"],
        "save",
        credit_limit="7.500.000",
        payment_terms_days="30",
        area="Palu Timur",
    )
    assert "Pelanggan disimpan" in page
    db.expire_all()
    saved = db.get(Customer, customer["id"])
    assert (saved.credit_limit, saved.payment_terms_days, saved.area) == (
        Decimal("7500000"),
        30,
        "Palu Timur",
    )
    # the page shows what was stored, and saving it unchanged stores the same again
    submit(logged_in, customer["id"], "save")
    db.expire_all()
    assert db.get(Customer, customer["id"]).credit_limit == Decimal("7500000")


def test_a_typo_in_a_number_is_refused_and_nothing_changes(db, logged_in, customer):
    page = submit(logged_in, customer["id"], "save", credit_limit="7.500,000.00", area="X")
    assert "7.500,000.00" in page and "Pelanggan disimpan" not in page
    db.expire_all()
    assert db.get(Customer, customer["id"]).area == "Palu Barat"


def test_deactivating_a_customer_closes_its_portal(app, db, logged_in, customer):
    submit(
        logged_in,
        customer["id"],
        "login",
        login_phone="081355512345",
        login_password="Sulteng-2026!",
    )
    retailer = db.scalar(sa.select(User).where(User.phone == "081355512345"))
    assert retailer is not None and retailer.role.name == "retailer"
    portal = app.test_client()
    login(portal, retailer, password="Sulteng-2026!")
    assert portal.get("/api/sales/my/balance").status_code == 200

    fields = rendered(logged_in, customer["id"], "save")
    assert fields.get("active") == "1"
    fields.pop("active")  # the box unticked
    logged_in.post(f"/admin/sales/customers/{customer['id']}", data=fields)
    db.expire_all()
    assert db.get(Customer, customer["id"]).active is False
    assert portal.get("/api/sales/my/balance").status_code == 404
    assert "nonaktif" in page_of(logged_in, customer["id"]).lower()


def test_a_login_is_given_once_and_can_be_taken_away(db, logged_in, customer, make_user):
    taken = make_user("retailer", phone="081355500077")
    other = logged_in.post(
        "/admin/sales/customers",
        data={
            **form_values(
                logged_in.get("/admin/sales/customers").get_data(as_text=True), having="shop_name"
            ),
            "shop_name": "Toko Lain",
        },
    )
    assert other.status_code == 302
    # a phone that already logs in is refused with a message, nothing is linked
    page = submit(
        logged_in, customer["id"], "login", login_phone=taken.phone, login_password="x-Palu-2026"
    )
    assert "081355500077" in page
    db.expire_all()
    assert db.get(Customer, customer["id"]).user_id is None

    submit(
        logged_in,
        customer["id"],
        "login",
        login_phone="081355500088",
        login_password="Sulteng-2026!",
    )
    db.expire_all()
    assert db.get(Customer, customer["id"]).user_id is not None
    assert "081355500088" in page_of(logged_in, customer["id"])
    submit(logged_in, customer["id"], "unlink")
    db.expire_all()
    assert db.get(Customer, customer["id"]).user_id is None


def test_staff_who_may_only_look_cannot_change_a_customer(app, db, customer, make_user):
    viewer = make_user("bookkeeper", email="buku@toko.id")
    client = app.test_client()
    login(client, viewer, password=PASSWORD)
    assert client.get(f"/admin/sales/customers/{customer['id']}").status_code == 200  # may look
    client.post(
        f"/admin/sales/customers/{customer['id']}",
        data={**rendered(client, customer["id"], "save"), "shop_name": "Diubah"},
    )
    db.expire_all()
    assert db.get(Customer, customer["id"]).shop_name == "Toko Sinar Palu"
