"""Issue 22 screens: the owner sets up a salesperson (login, retailers, target) and the
salesperson takes an order at a shop from a branch warehouse on the take-order screen;
the warehouse clerk moves stock between warehouses on the transfer screen. Every form is
submitted as the page rendered it; refusals leave nothing behind."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.db import session
from niaga.models import Role
from niaga.testing import login
from niaga.testing_pages import find_form, form_values
from niaga_sales.models import Order, Salesperson

pytestmark = pytest.mark.plugins("sales", "inventory")


def query(app, statement):
    """One value read in an app context of its own (a test's open transaction would hold
    SQLite's write lock against the pages; a request would share a pushed context)."""
    with app.app_context():
        found = session().scalar(statement)
        session().rollback()
        return found


def logged_in_page(app, user, path: str) -> str:
    client = app.test_client()
    login(client, user)
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def let_cashiers_take_orders(app) -> None:
    with app.app_context():
        role = session().scalar(sa.select(Role).where(Role.name == "cashier"))
        role.permissions = sorted({*role.permissions, "sales.take_orders"})
        session().commit()


@pytest.fixture
def shop(api, customer):
    product = api.post(
        "/api/inventory/products",
        json={"sku": "KP-01", "name": "Kopi Toraja", "base_unit": "pcs", "price": "15000"},
    ).get_json()
    branch = api.post(
        "/api/inventory/warehouses", json={"code": "DGL", "name": "Cabang Donggala"}
    ).get_json()
    api.post(
        "/api/inventory/receipts",
        json={
            "lines": [
                {"product_id": product["id"], "quantity": "40", "cost": "9000"},
                {
                    "product_id": product["id"],
                    "quantity": "10",
                    "cost": "9000",
                    "warehouse_id": branch["id"],
                },
            ]
        },
    )
    return {"product": product["id"], "branch": branch["id"], "customer": customer["id"]}


def stock_at(api, product_id: int, warehouse_id: int) -> tuple[Decimal, Decimal]:
    rows = api.get(f"/api/inventory/products/{product_id}/stock").get_json()["warehouses"]
    row = next(r for r in rows if r["warehouse_id"] == warehouse_id)
    return Decimal(row["on_hand"]), Decimal(row["reserved"])


def test_owner_sets_up_a_salesperson_who_takes_an_order_from_the_branch(
    app, client, api, owner, make_user, shop
):
    seller = make_user("cashier", email="sari@toko.id", name="Sari")
    let_cashiers_take_orders(app)
    login(client, owner)
    page = client.get("/admin/sales/salespeople")
    assert page.status_code == 200 and "Salesman" in page.get_data(as_text=True)
    fields = form_values(page.get_data(as_text=True), having="code")
    fields.update(code="sri", name="Sari Dewi", phone="0812 555", user_id=str(seller.id))
    saved = client.post("/admin/sales/salespeople", data=fields, follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "Sari Dewi" in html and "SRI" in html
    person_id = query(app, sa.select(Salesperson.id))
    assert query(app, sa.select(Salesperson.user_id)) == seller.id
    url = f"/admin/sales/salespeople/{person_id}"
    assign = find_form(html, having="customer_id").values()
    assert assign["customer_id"] == str(shop["customer"])
    client.post(url, data=assign)
    target = find_form(client.get(url).get_data(as_text=True), having="amount").values()
    target["amount"] = "1.500.000"  # typed the Indonesian way
    done = client.post(url, data=target, follow_redirects=True).get_data(as_text=True)
    assert "Rp 1.500.000" in done and "Toko Sinar Palu" in done

    seller_client = app.test_client()
    login(seller_client, seller)
    client = seller_client
    screen = client.get("/admin/sales/take-order").get_data(as_text=True)
    assert "Mengambil pesanan sebagai Sari Dewi" in screen and "Cabang Donggala" in screen
    order_form = form_values(screen, having="customer_id")
    order_form.update(
        warehouse_id=str(shop["branch"]),
        product_0=str(shop["product"]),
        quantity_0="4",
    )
    taken = client.post("/admin/sales/take-order", data=order_form, follow_redirects=True)
    text = taken.get_data(as_text=True)
    assert taken.status_code == 200 and 'id="taken"' in text, text
    with app.app_context():
        order = session().scalars(sa.select(Order)).one()
        assert (order.state, order.salesperson_id, order.warehouse_id, order.source) == (
            "confirmed",
            person_id,
            shop["branch"],
            "salesperson",
        )
        assert order.customer_id == shop["customer"]
        order_id = order.id
        session().rollback()
    assert stock_at(api, shop["product"], shop["branch"]) == (Decimal(10), Decimal(4))
    # the order and its delivery note name the branch the goods leave from
    owner_page = logged_in_page(app, owner, f"/admin/sales/orders/{order_id}")
    assert 'id="order-warehouse">Cabang Donggala' in owner_page
    assert 'id="order-salesperson">Sari Dewi' in owner_page
    delivery = api.post(f"/api/sales/orders/{order_id}/deliveries", json={}).get_json()
    note = logged_in_page(app, owner, f"/admin/sales/deliveries/{delivery['id']}")
    assert 'id="delivery-warehouse">Cabang Donggala' in note
    api.post(f"/api/sales/deliveries/{delivery['id']}/cancel")
    # more than the branch holds: refused with the reason, nothing saved
    order_form.update(quantity_0="7")
    refused = client.post("/admin/sales/take-order", data=order_form, follow_redirects=True)
    assert "flash error" in refused.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count()).select_from(Order)) == 1
    # a salesperson does not manage salespeople
    fields["csrf_token"] = order_form["csrf_token"]  # the salesperson's own session
    assert client.post("/admin/sales/salespeople", data=fields).status_code == 403
    assert query(app, sa.select(sa.func.count()).select_from(Salesperson)) == 1


def test_a_login_that_is_no_salesperson_cannot_take_orders(app, client, make_user, shop):
    clerk = make_user("cashier", email="kasir@toko.id", name="Kasir")
    let_cashiers_take_orders(app)
    login(client, clerk)
    screen = client.get("/admin/sales/take-order").get_data(as_text=True)
    assert "tidak terhubung ke salesman" in screen
    fields = form_values(screen, having="customer_id")
    fields.update(product_0=str(shop["product"]), quantity_0="1")
    answer = client.post("/admin/sales/take-order", data=fields, follow_redirects=True)
    assert "flash error" in answer.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count()).select_from(Order)) == 0


def test_targets_page_lists_target_and_achievement(logged_in, api, shop):
    made = api.post("/api/sales/salespeople", json={"code": "ANI", "name": "Ani"}).get_json()
    api.put(
        f"/api/sales/salespeople/{made['id']}/targets",
        json={"month": "2026-12-01", "amount": "200000"},
    )
    page = logged_in.get("/admin/sales/targets?month=2026-12")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Target dan pencapaian" in html
    assert "Rp 200.000" in html and 'data-salesperson="ANI"' in html
    bad = logged_in.get("/admin/sales/targets?month=13-2026", follow_redirects=True)
    assert bad.status_code == 200


def test_stock_moves_between_warehouses_on_the_transfer_screen(logged_in, api, shop):
    page = logged_in.get("/admin/inventory/transfers").get_data(as_text=True)
    fields = form_values(page, having="to_warehouse_id")
    assert fields["to_warehouse_id"] == str(shop["branch"])  # the other warehouse is offered
    main = int(fields["from_warehouse_id"])
    fields.update(product_id=str(shop["product"]), quantity="15", reason="Isi cabang")
    done = logged_in.post("/admin/inventory/transfers", data=fields, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Stok dipindahkan" in html and "Isi cabang" in html
    assert stock_at(api, shop["product"], main) == (Decimal(25), Decimal(0))
    assert stock_at(api, shop["product"], shop["branch"]) == (Decimal(25), Decimal(0))
    fields.update(quantity="26")
    refused = logged_in.post("/admin/inventory/transfers", data=fields, follow_redirects=True)
    assert "flash error" in refused.get_data(as_text=True)
    assert stock_at(api, shop["product"], main) == (Decimal(25), Decimal(0))
    warehouses = logged_in.get("/admin/inventory/warehouses").get_data(as_text=True)
    assert 'data-code="DGL"' in warehouses
    branch = logged_in.get(f"/admin/inventory/warehouses/{shop['branch']}")
    assert 'data-sku="KP-01"' in branch.get_data(as_text=True)
