"""Admin pages, the retailer portal, the CLI listings and the demo data."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from niaga.testing import csrf_token, login

pytestmark = pytest.mark.plugins("sales")


@pytest.fixture
def order(api, customer, line):
    return api.post(
        "/api/sales/orders",
        json={"customer_id": customer["id"], "lines": [line("Beras 5 kg", "2", "72000")]},
    ).get_json()


def test_admin_pages_walk_an_order_through(logged_in, order):
    client = logged_in
    listing = client.get("/admin/sales/")
    assert listing.status_code == 200
    assert order["number"] in listing.get_data(as_text=True)
    url = f"/admin/sales/orders/{order['id']}"
    page = client.get(url).get_data(as_text=True)
    assert "Rp 144.000" in page
    for action in ("confirm", "deliver"):
        token = csrf_token(client, url)
        answer = client.post(f"{url}/{action}", data={"csrf_token": token})
        assert answer.status_code == 302
    page = client.get(url).get_data(as_text=True)
    delivery_id = re.search(r"/admin/sales/deliveries/(\d+)", page).group(1)
    printable = client.get(f"/admin/sales/deliveries/{delivery_id}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", printable, re.S).group(1)
    assert heading.split() == ["Surat", "jalan", re.search(r"SJ/\S+", heading).group(0)]
    assert "Beras 5 kg" in printable
    token = csrf_token(client, f"/admin/sales/deliveries/{delivery_id}")
    client.post(f"/admin/sales/deliveries/{delivery_id}/deliver", data={"csrf_token": token})
    client.post(f"{url}/invoice", data={"csrf_token": csrf_token(client, url)})
    page = client.get(url).get_data(as_text=True)
    invoice_id = re.search(r"/admin/sales/invoices/(\d+)", page).group(1)
    invoice_url = f"/admin/sales/invoices/{invoice_id}"
    bad = client.post(
        f"{invoice_url}/pay",
        data={"csrf_token": csrf_token(client, invoice_url), "amount": "lots"},
        follow_redirects=True,
    )
    assert bad.status_code == 200
    client.post(
        f"{invoice_url}/pay",
        data={"csrf_token": csrf_token(client, invoice_url), "amount": "144000", "method": "cash"},
    )
    assert 'data-state="paid"' in client.get(url).get_data(as_text=True)
    for page_url in (
        "/admin/sales/invoices",
        "/admin/sales/deliveries",
        "/admin/sales/receivables",
        "/admin/sales/customers",
        "/admin/sales/orders/new",
        "/admin/sales/pos",
        "/admin/",
    ):
        assert client.get(page_url).status_code == 200, page_url


def test_admin_forms_refuse_bad_input_without_500(logged_in, customer):
    client = logged_in
    token = csrf_token(client, "/admin/sales/orders/new")
    answer = client.post(
        "/admin/sales/orders/new",
        data={"csrf_token": token, "customer_id": customer["id"], "quantity_0": "x"},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert "quantity_0" in answer.get_data(as_text=True)  # the field's problem is shown
    assert client.post(
        "/admin/sales/orders/999/frobnicate", data={"csrf_token": token}
    ).status_code in (404, 422)
    assert client.post("/admin/sales/orders/new", data={}).status_code == 400  # no CSRF token
    saved = client.post(
        "/admin/sales/customers",
        data={"csrf_token": token, "shop_name": "Kios Baru", "area": "Palu Utara"},
        follow_redirects=True,
    )
    assert "Kios Baru" in saved.get_data(as_text=True)


def test_pages_need_login_and_permission(client, make_user):
    assert client.get("/admin/sales/").status_code == 302
    cashier = make_user("cashier", email="kasir@toko.id")
    login(client, cashier)
    assert client.get("/admin/sales/pos").status_code == 200
    assert client.get("/admin/sales/orders/new").status_code == 403


def test_portal_pages(client, api, make_user, order, customer):
    user = make_user("retailer", phone="081299900001")
    api.patch(f"/api/sales/customers/{customer['id']}", json={"user_id": user.id})
    login(client, user)
    assert client.get("/portal/sales/").status_code == 200
    orders_page = client.get("/portal/sales/orders").get_data(as_text=True)
    assert order["number"] in orders_page
    assert client.get(f"/portal/sales/orders/{order['id']}").status_code == 200
    assert client.get("/portal/sales/invoices").status_code == 200
    token = csrf_token(client, "/portal/sales/orders")
    again = client.post(f"/portal/sales/orders/{order['id']}/reorder", data={"csrf_token": token})
    assert again.status_code == 302
    other = make_user("retailer", phone="081299900002")
    login(client, other)
    assert client.get(f"/portal/sales/orders/{order['id']}").status_code == 404


def test_cli_listings(app, db, order):
    from niaga_sales.cli import cli

    runner = CliRunner()
    for command in ("customers", "orders", "invoices", "receivables"):
        result = runner.invoke(cli, [command, "--json"])
        assert result.exit_code == 0, result.output
        json.loads(result.output)
    listed = json.loads(runner.invoke(cli, ["orders", "--json"]).output)
    assert listed[0]["number"] == order["number"]
    assert order["number"] in runner.invoke(cli, ["orders"]).output


def test_demo_data_without_inventory(app, db):
    from niaga.runtime import collect
    from niaga_sales.checks import problems

    collect("niaga_demo_data", session=db)
    db.commit()
    from niaga_sales.models import Customer, Order

    assert db.query(Customer).filter(Customer.area == "Tatanga").count() == 1
    assert db.query(Order).count() > 30
    assert {o.state for o in db.query(Order)} >= {"paid", "draft"}
    assert problems(db) == []
