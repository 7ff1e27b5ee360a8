"""A retailer's tax identity (NPWP, NIK, NITKU, name and address as registered) is kept on
the customer page, checked by core's rule, and a wrong number is refused in Indonesian with
nothing stored. Every form is submitted as the page rendered it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga.errors import Invalid
from niaga.testing_pages import parse_page
from niaga_sales import customers
from niaga_sales.models import Customer

pytestmark = pytest.mark.plugins("sales")


def rendered(client, customer_id: int) -> dict[str, str]:
    """The fields of the page's save form as rendered."""
    answer = client.get(f"/admin/sales/customers/{customer_id}")
    assert answer.status_code == 200
    forms = parse_page(answer.get_data(as_text=True)).forms
    return next(form.values() for form in forms if form.values().get("action") == "save")


def submit(client, customer_id: int, **changes: str) -> str:
    """Post the save form as rendered with ``changes`` typed in; the page that follows."""
    fields = {**rendered(client, customer_id), **changes}
    answer = client.post(
        f"/admin/sales/customers/{customer_id}", data=fields, follow_redirects=True
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_valid_npwp_is_stored_as_digits_and_shown_again(db, logged_in, customer):
    fields = rendered(logged_in, customer["id"])
    assert {"npwp", "nik", "nitku", "tax_name", "tax_address"} <= set(fields)
    page = submit(
        logged_in,
        customer["id"],
        npwp="0012.3456.7890.1000",
        nitku="0012 3456 7890 1000 000000",
        tax_name="CV Sinar Palu Abadi",
        tax_address="Jl. Sis Aljufri No. 5, Palu",
    )
    assert "Pelanggan disimpan" in page and "Identitas pajak" in page
    db.expire_all()
    saved = db.get(Customer, customer["id"])
    assert (saved.npwp, saved.nik, saved.nitku) == (
        "0012345678901000",
        None,
        "0012345678901000" + "000000",
    )
    assert (saved.tax_name, saved.tax_address) == (
        "CV Sinar Palu Abadi",
        "Jl. Sis Aljufri No. 5, Palu",
    )
    # the page shows what was stored; saving it unchanged stores the same again
    assert rendered(logged_in, customer["id"])["npwp"] == "0012 3456 7890 1000"
    submit(logged_in, customer["id"])
    db.expire_all()
    again = db.get(Customer, customer["id"])
    assert (again.npwp, again.nitku, again.tax_name) == (saved.npwp, saved.nitku, saved.tax_name)


def test_an_invalid_nik_is_refused_in_indonesian_and_nothing_is_stored(db, logged_in, customer):
    # day of birth 99 does not exist (a woman's day is 41 to 71)
    page = submit(
        logged_in,
        customer["id"],
        nik="7271019903900001",
        tax_name="Rahman",
        area="Palu Timur",
    )
    assert "7271019903900001" in page and "bukan NIK yang sah" in page
    assert "Pelanggan disimpan" not in page
    db.expire_all()
    kept = db.get(Customer, customer["id"])
    assert (kept.nik, kept.tax_name, kept.area) == (None, None, "Palu Barat")


def test_a_nik_of_a_person_without_npwp_is_kept_and_emptied_again(db, logged_in, customer):
    submit(logged_in, customer["id"], nik="7271-0152-0390-0001")
    db.expire_all()
    assert db.get(Customer, customer["id"]).nik == "7271015203900001"
    submit(logged_in, customer["id"], nik="")
    db.expire_all()
    assert db.get(Customer, customer["id"]).nik is None


@pytest.mark.parametrize(
    ("field", "typed"),
    [("npwp", "12345"), ("npwp", "0000000000000000"), ("nitku", "0012345678901000"), ("nik", "x")],
)
def test_the_domain_refuses_what_tax_ids_refuses(db, customer, field, typed):
    with pytest.raises(Invalid) as refused:
        customers.create_customer(db, {"shop_name": "Toko Uji", field: typed})
    assert field in refused.value.fields
    assert db.scalar(sa.select(Customer.id).where(Customer.shop_name == "Toko Uji")) is None


def test_the_api_takes_and_gives_the_tax_identity(api, db, customer):
    changed = api.patch(
        f"/api/sales/customers/{customer['id']}",
        json={"npwp": "0012.3456.7890.1000", "tax_name": "CV Sinar Palu Abadi"},
    )
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert (body["npwp"], body["nik"], body["tax_name"]) == (
        "0012345678901000",
        None,
        "CV Sinar Palu Abadi",
    )
    refused = api.post(
        "/api/sales/customers", json={"shop_name": "Toko NIK", "nik": "7271019903900001"}
    )
    assert refused.status_code == 422
    assert "nik" in refused.get_json()["error"]["fields"]
    assert db.scalar(sa.select(Customer.id).where(Customer.shop_name == "Toko NIK")) is None
