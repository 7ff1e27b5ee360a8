"""With the real sales and inventory plugins: a paid order earns, a return reverses, a
voucher discounts the next order (used on confirm, back on cancel), a gift leaves stock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.db import utcnow
from niaga.runtime import collect, hooks
from niaga_inventory.contracts import StockLine
from niaga_loyalty import expiry
from niaga_loyalty.models import Entry, Member, Redemption

pytestmark = pytest.mark.plugins("loyalty", "inventory")


@pytest.fixture
def customer(api: Any) -> dict[str, Any]:
    response = api.post(
        "/api/sales/customers",
        json={"shop_name": "Toko Sinar Palu", "owner_name": "Pak Rahman", "phone": "0812777"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def program(api: Any) -> None:
    created = api.post("/api/loyalty/programs", json={"name": "Poin Mitra"})
    assert created.status_code == 201


def order_for(api: Any, customer: dict[str, Any], price: str, **extra: Any) -> dict[str, Any]:
    line = {"description": "Beras 5 kg", "quantity": "10", "unit_price": price}
    response = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line], **extra}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def paid_order(api: Any, customer: dict[str, Any], price: str) -> tuple[dict, dict]:
    order = order_for(api, customer, price)
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    for amount in ("200000", str(Decimal(invoice["total"]) - 200000)):
        paid = api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": amount})
        assert paid.status_code == 201, paid.get_json()
    return order, invoice


def member_of(db: Any, customer: dict[str, Any]) -> Member:
    db.expire_all()
    return db.scalars(sa.select(Member).where(Member.customer_id == customer["id"])).one()


def test_paid_order_earns_and_return_reverses(api, db, customer, program):
    order, invoice = paid_order(api, customer, "70000")  # Rp 700.000 -> 70 points
    member = member_of(db, customer)
    assert (member.balance, member.name) == (70, "Toko Sinar Palu")
    earn = db.scalars(sa.select(Entry)).one()
    assert (earn.reference, earn.order_reference) == (
        f"sales.invoice:{invoice['id']}",
        f"sales.order:{order['id']}",
    )
    line_id = invoice["lines"][0]["id"]
    note = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": line_id, "quantity": "3"}], "reason": "rusak"},
    )
    assert note.status_code == 201, note.get_json()
    assert member_of(db, customer).balance == 49
    top = api.get("/api/loyalty/reports/top").get_json()
    assert top[0]["points"] == 49 and top[0]["name"] == "Toko Sinar Palu"


def test_voucher_discounts_the_next_order_until_it_is_cancelled(api, db, customer, program):
    paid_order(api, customer, "100000")  # 100 points
    member = member_of(db, customer)
    reward = api.post(
        "/api/loyalty/rewards",
        json={
            "name": "Voucher 25rb",
            "kind": "voucher",
            "points_cost": 80,
            "discount_amount": "25000",
            "min_order": "100000",
        },
    ).get_json()
    redeemed = api.post(
        f"/api/loyalty/members/{member.id}/redemptions", json={"reward_id": reward["id"]}
    )
    assert redeemed.status_code == 201, redeemed.get_json()
    code = redeemed.get_json()["code"]
    order = order_for(api, customer, "50000", voucher_code=code)
    assert Decimal(order["subtotal"]) == Decimal("475000")
    assert [ln["source"] for ln in order["lines"] if ln["kind"] == "adjustment"] == ["loyalty"]
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    db.expire_all()
    voucher = db.scalars(sa.select(Redemption)).one()
    assert (voucher.status, voucher.order_reference) == ("used", f"sales.order:{order['id']}")
    second = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "voucher_code": code,
            "lines": [{"description": "Gula", "quantity": "10", "unit_price": "20000"}],
        },
    )
    assert second.status_code == 422
    assert api.post(f"/api/sales/orders/{order['id']}/cancel").status_code == 200
    db.expire_all()
    assert db.scalars(sa.select(Redemption.status)).one() == "available"


def test_gift_item_leaves_stock_through_inventory(api, db, customer, program):
    paid_order(api, customer, "100000")  # 100 points
    member = member_of(db, customer)
    product = api.post(
        "/api/inventory/products",
        json={
            "sku": "PAYUNG",
            "name": "Payung Niaga",
            "base_unit": "pcs",
            "price": "50000",
            "cost": "20000",
        },
    )
    assert product.status_code == 201, product.get_json()
    product_id = product.get_json()["id"]
    hooks().inventory_receive(
        session=db,
        reference="purchasing.receipt:1",
        lines=[StockLine(product_id=product_id, quantity=Decimal("1"), cost=Decimal("20000"))],
        kind="receipt",
    )
    db.commit()
    gift = api.post(
        "/api/loyalty/rewards",
        json={"name": "Payung", "kind": "gift", "points_cost": 40, "product_id": product_id},
    ).get_json()
    url = f"/api/loyalty/members/{member.id}/redemptions"
    first = api.post(url, json={"reward_id": gift["id"]})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "issued"
    moves = api.get(f"/api/inventory/moves?product_id={product_id}").get_json()
    gift_moves = [m for m in moves if m["kind"] == "gift"]
    assert [m["reference"] for m in gift_moves] == [f"loyalty.redemption:{first.get_json()['id']}"]
    assert hooks().inventory_available(session=db, product_id=product_id, warehouse_id=None) == 0
    short = api.post(url, json={"reward_id": gift["id"]})
    assert short.status_code == 409
    assert short.get_json()["error"]["code"] == "insufficient_stock"
    assert member_of(db, customer).balance == 60


@pytest.mark.plugins("loyalty", "inventory", "cashbank")
def test_books_and_ledgers_stay_consistent_with_cashbank(api, db, customer, program):
    paid_order(api, customer, "100000")
    member = member_of(db, customer)
    reward = api.post(
        "/api/loyalty/rewards",
        json={"name": "Voucher", "kind": "voucher", "points_cost": 30, "discount_amount": "5000"},
    ).get_json()
    url = f"/api/loyalty/members/{member.id}/redemptions"
    assert api.post(url, json={"reward_id": reward["id"]}).status_code == 201
    api.post(f"/api/loyalty/members/{member.id}/adjust", json={"points": -5, "reason": "Fix"})
    expiry.run(db, utcnow() + dt.timedelta(days=400))
    db.commit()
    problems = dict(collect("niaga_check", session=db))
    assert problems.get("loyalty") == [] and problems.get("cashbank") == [], problems


def test_retailer_redeems_in_the_portal_and_the_next_portal_order_is_discounted(
    app, api, db, make_user, api_as, program
):
    from niaga.testing import csrf_token, login

    user = make_user("retailer", phone="0812999")
    retailer_api = api_as(user)
    customer = api.post(
        "/api/sales/customers",
        json={"shop_name": "Toko Portal", "phone": "0812999", "user_id": user.id},
    ).get_json()
    paid_order(api, customer, "100000")  # 100 points
    reward_id = api.post(
        "/api/loyalty/rewards",
        json={
            "name": "Voucher 25rb",
            "kind": "voucher",
            "points_cost": 80,
            "discount_amount": "25000",
            "min_order": "100000",
        },
    ).get_json()["id"]
    product_id = api.post(
        "/api/inventory/products",
        json={"sku": "BRS5", "name": "Beras 5 kg", "base_unit": "pcs", "price": "50000"},
    ).get_json()["id"]
    hooks().inventory_receive(
        session=db,
        reference="purchasing.receipt:1",
        lines=[StockLine(product_id=product_id, quantity=Decimal("20"), cost=Decimal("40000"))],
        kind="receipt",
    )
    db.commit()

    browser = app.test_client()
    login(browser, user)
    assert "Voucher 25rb" in browser.get("/portal/loyalty/catalogue").get_data(as_text=True)
    token = csrf_token(browser, "/portal/loyalty/catalogue")
    redeemed = browser.post(
        "/portal/loyalty/redeem", data={"csrf_token": token, "reward_id": str(reward_id)}
    )
    assert redeemed.status_code == 303
    db.expire_all()
    code = db.scalars(sa.select(Redemption.code)).one()
    assert code in browser.get("/portal/loyalty/").get_data(as_text=True)

    order = retailer_api.post(
        "/api/sales/my/orders",
        json={"lines": [{"product_id": product_id, "quantity": "10"}], "voucher_code": code},
    )
    assert order.status_code == 201, order.get_json()
    assert Decimal(order.get_json()["subtotal"]) == Decimal("475000")
    assert member_of(db, customer).balance == 20
