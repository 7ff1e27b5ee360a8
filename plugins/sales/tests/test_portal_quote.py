"""The portal's running total is the server's price of the order (issue 21): GET
/portal/sales/quote prices the catalogue form's lines with the voucher taken off by the code
that prices a placed order, writes nothing, and names a refused voucher."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.testing import login

pytestmark = pytest.mark.plugins("inventory", "sales", "loyalty")

PRICE, KARTON, VOUCHER = Decimal("2500"), 24, Decimal("25000")


def ppn(net: Decimal) -> Decimal:
    return (net * Decimal(11) / Decimal(12) * Decimal("0.12")).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )


@pytest.fixture
def shop(app, api, make_user):
    """A PKP shop, coffee by the pcs and karton, a linked retailer with a Rp 25.000 voucher;
    returns (retailer, product id, voucher code)."""
    from niaga.db import session
    from niaga_loyalty.testing import voucher_for
    from niaga_sales.models import Customer

    product = api.post(
        "/api/inventory/products",
        json={
            "sku": "KKA-65",
            "name": "Kopi Kapal Api 65 g",
            "base_unit": "pcs",
            "units": {"karton": str(KARTON)},
            "price": str(PRICE),
        },
    ).get_json()
    customer = api.post("/api/sales/customers", json={"shop_name": "Warung Bu Sri"}).get_json()
    retailer = make_user("retailer", phone="081355599999", name="Bu Sri")
    with app.app_context():
        db = session()
        settings.put(db, "core.vat_registered", True)
        db.get(Customer, customer["id"]).user_id = retailer.id
        code = voucher_for(db, customer["id"], "Warung Bu Sri", VOUCHER)
        db.commit()
    return retailer, product["id"], code


def counts(db) -> tuple[int, int]:
    from niaga_loyalty.models import Redemption
    from niaga_sales.models import Order, OrderLine

    db.expire_all()
    orders = db.scalar(sa.select(sa.func.count()).select_from(Order))
    lines = db.scalar(sa.select(sa.func.count()).select_from(OrderLine))
    used = db.scalar(
        sa.select(sa.func.count()).select_from(Redemption).where(Redemption.status != "available")
    )
    return orders, lines + used


def test_the_quote_with_a_voucher_is_the_total_of_the_placed_order(app, db, shop):
    from niaga_sales.models import Order

    retailer, product_id, code = shop
    client = app.test_client()
    login(client, retailer)
    form = {f"qty_{product_id}": "2", f"unit_{product_id}": "karton", "voucher_code": code}
    before = counts(db)
    answer = client.get("/portal/sales/quote", query_string=form)
    assert answer.status_code == 200, answer.get_json()
    figures = answer.get_json()
    net = PRICE * KARTON * 2
    total = net - VOUCHER + ppn(net) - ppn(VOUCHER)
    assert Decimal(figures["total"]["amount"]) == total
    assert Decimal(figures["subtotal"]["amount"]) == net - VOUCHER
    assert Decimal(figures["tax"]["amount"]) == ppn(net) - ppn(VOUCHER)
    assert figures["total"]["text"] == "Rp " + f"{int(total):,}".replace(",", ".")
    [voucher] = figures["adjustments"]
    assert code in voucher["label"] and Decimal(voucher["amount"]) == -VOUCHER
    assert counts(db) == before  # nothing written, the voucher still free

    # the order placed from the same form has the quote's total
    page = client.get("/portal/sales/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    placed = client.post("/portal/sales/", data={**form, "csrf_token": token})
    assert placed.status_code == 302
    db.expire_all()
    assert db.scalars(sa.select(Order)).one().total == total


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"voucher_code": "SALAH-1"}, "SALAH-1"),
        ({"qty": "x"}, ""),  # a field that is no line is ignored: an empty quote
    ],
)
def test_a_refused_voucher_is_named_and_nothing_is_written(app, db, shop, form, says):
    retailer, product_id, _ = shop
    client = app.test_client()
    login(client, retailer)
    before = counts(db)
    lines = {f"qty_{product_id}": "1", f"unit_{product_id}": "pcs"} if says else {}
    answer = client.get("/portal/sales/quote", query_string={**lines, **form})
    if says:
        assert answer.status_code == 422 and says in answer.get_json()["error"]
    else:
        assert answer.status_code == 200 and answer.get_json()["total"]["amount"] == "0"
    bad = client.get("/portal/sales/quote", query_string={f"qty_{product_id}": "dua"})
    assert bad.status_code == 422 and bad.get_json()["error"]
    assert counts(db) == before
    assert client.get("/portal/sales/quote").status_code == 200


def test_only_a_retailer_gets_a_quote(app):
    assert app.test_client().get("/portal/sales/quote").status_code in (302, 401)
