"""Price lists and customer groups on screens (issue 22): a price list made and filled on
its page, a group given that list and its customers ticked on the group's page; orders are
then priced from it (quantity breaks included) as worked out here. Bad rows are refused by
name and save nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from niaga.testing_pages import parse_page

pytestmark = pytest.mark.plugins("inventory", "sales")

KARTON = 24


def form_of(html: str, form_id: str | None = None, action: str | None = None) -> dict[str, str]:
    """The fields of the form that posts to ``action``, or of the page's form ``form_id``
    (told by the field only it has: ``rows`` or ``shown``/``name``)."""
    marker = {"price-list-form": "rows", "group-form": "name"}.get(form_id or "")
    for form in parse_page(html).forms:
        values = form.values()
        if "csrf_token" not in values:
            continue
        if action is not None and form.action.split("?")[0].endswith(action):
            return values
        if marker is not None and marker in values and "code" not in values:
            return values
    raise AssertionError(f"no form {form_id or action}")


def flashes(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def catalogue(api):
    """Coffee at Rp 2.500 a pcs (a karton is 24), and three retailers."""
    product = api.post(
        "/api/inventory/products",
        json={
            "sku": "KKA-65",
            "name": "Kopi Kapal Api 65 g",
            "base_unit": "pcs",
            "units": {"karton": str(KARTON)},
            "price": "2500",
        },
    ).get_json()
    shops = {}
    for name, area in (
        ("Toko Sinar", "Palu"),
        ("Warung Bu Sri", "Palu"),
        ("Kios Donggala", "Donggala"),
    ):
        answer = api.post("/api/sales/customers", json={"shop_name": name, "area": area})
        assert answer.status_code == 201, answer.get_json()
        shops[name] = answer.get_json()["id"]
    return product["id"], shops


def price_of(api, customer_id: int, product_id: int, quantity: str, unit: str) -> Decimal:
    answer = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer_id,
            "lines": [{"product_id": product_id, "quantity": quantity, "unit": unit}],
        },
    )
    assert answer.status_code == 201, answer.get_json()
    return Decimal(answer.get_json()["lines"][0]["unit_price"])


def test_a_price_list_and_a_group_made_on_screens_price_the_orders(
    app, db, api, logged_in, catalogue
):
    from niaga_sales.models import Customer, CustomerGroup, PriceList

    product_id, shops = catalogue
    page = logged_in.get("/admin/sales/price-lists")
    assert page.status_code == 200 and "Daftar harga" in page.get_data(as_text=True)
    made = logged_in.post(
        "/admin/sales/price-lists",
        data={
            **form_of(page.get_data(as_text=True), action="/admin/sales/price-lists"),
            "name": "Grosir",
        },
    )
    assert made.status_code == 302
    edit_url = made.headers["Location"]
    fields = form_of(logged_in.get(edit_url).get_data(as_text=True), form_id="price-list-form")
    assert fields["rows"] == "3"  # no prices yet: three empty rows

    # an unknown product and a unit the product lacks are refused by name; nothing is saved
    bad = dict(
        fields,
        sku_0="KKA-65",
        unit_0="karton",
        price_0="60.000",
        sku_1="TIDAK-ADA",
        price_1="1.000",
        sku_2="KKA-65",
        unit_2="slop",
        price_2="5",
    )
    refused = logged_in.post(edit_url, data=bad, follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "TIDAK-ADA" in text and "slop" in text
    db.expire_all()
    assert db.scalars(sa.select(PriceList)).one().items == []

    good = dict(
        fields,
        sku_0="KKA-65",
        unit_0="karton",
        price_0="60.000",
        sku_1="KKA-65",
        unit_1="karton",
        min_1="5",
        price_1="57.500",
        sku_2="KKA-65",
        unit_2="",
        price_2="2.400",
    )
    assert logged_in.post(edit_url, data=good).status_code == 302
    db.expire_all()
    price_list = db.scalars(sa.select(PriceList)).one()
    assert sorted((i.unit, i.min_quantity, i.price) for i in price_list.items) == [
        ("karton", Decimal(1), Decimal(60000)),
        ("karton", Decimal(5), Decimal(57500)),
        ("pcs", Decimal(1), Decimal(2400)),
    ]
    # the page shows them again, by SKU, with three more empty rows
    again = form_of(logged_in.get(edit_url).get_data(as_text=True), form_id="price-list-form")
    assert again["rows"] == "6" and again["sku_0"] == "KKA-65"

    groups = logged_in.get("/admin/sales/groups").get_data(as_text=True)
    group_form = form_of(groups, action="/admin/sales/groups")
    made = logged_in.post(
        "/admin/sales/groups",
        data={
            **group_form,
            "code": "GROSIR",
            "name": "Grosir",
            "price_list_id": str(price_list.id),
        },
    )
    assert made.status_code == 302
    group_url = made.headers["Location"]
    group = db.scalars(sa.select(CustomerGroup)).one()

    # before: every shop pays the product price
    assert price_of(api, shops["Toko Sinar"], product_id, "2", "karton") == Decimal(2500 * KARTON)

    page = logged_in.get(group_url).get_data(as_text=True)
    members = [
        ("csrf_token", form_of(page, form_id="group-form")["csrf_token"]),
        ("name", "Grosir"),
        ("price_list_id", str(price_list.id)),
    ]
    members += [("shown", str(i)) for i in shops.values()]
    members += [("member", str(shops["Toko Sinar"])), ("member", str(shops["Warung Bu Sri"]))]
    assert logged_in.post(group_url, data=MultiDict(members)).status_code == 302
    db.expire_all()
    assert {
        c.shop_name for c in db.scalars(sa.select(Customer).where(Customer.group_id == group.id))
    } == {
        "Toko Sinar",
        "Warung Bu Sri",
    }
    assert price_of(api, shops["Toko Sinar"], product_id, "2", "karton") == Decimal(60000)
    assert price_of(api, shops["Toko Sinar"], product_id, "5", "karton") == Decimal(57500)
    assert price_of(api, shops["Warung Bu Sri"], product_id, "10", "pcs") == Decimal(2400)
    assert price_of(api, shops["Kios Donggala"], product_id, "1", "pcs") == Decimal(2500)

    # saving a filtered page changes only the customers it showed
    page = logged_in.get(group_url + "?q=sinar").get_data(as_text=True)
    assert "Warung Bu Sri" not in page
    filtered = [
        ("csrf_token", form_of(page, form_id="group-form")["csrf_token"]),
        ("name", "Grosir"),
        ("price_list_id", str(price_list.id)),
        ("shown", str(shops["Toko Sinar"])),
    ]  # Toko Sinar unticked
    assert logged_in.post(f"{group_url}?q=sinar", data=MultiDict(filtered)).status_code == 302
    db.expire_all()
    assert db.get(Customer, shops["Toko Sinar"]).group_id is None
    assert db.get(Customer, shops["Warung Bu Sri"]).group_id == group.id
    assert price_of(api, shops["Toko Sinar"], product_id, "2", "karton") == Decimal(2500 * KARTON)


def test_bad_group_input_is_refused_without_a_500(app, db, logged_in, catalogue):
    from niaga_sales.models import CustomerGroup

    page = logged_in.get("/admin/sales/groups").get_data(as_text=True)
    fields = form_of(page, action="/admin/sales/groups")
    for data in (
        {"code": "", "name": "X"},
        {"code": "A", "name": "A", "price_list_id": "abc"},
        {"code": "A", "name": "A", "price_list_id": "999"},
    ):
        answer = logged_in.post("/admin/sales/groups", data={**fields, **data})
        assert answer.status_code == 302
    db.expire_all()
    assert db.scalars(sa.select(CustomerGroup)).all() == []
    assert logged_in.get("/admin/sales/groups/999").status_code == 404
    assert logged_in.get("/admin/sales/price-lists/999").status_code == 404
