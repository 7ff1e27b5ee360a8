"""Admin pages render and their forms post (with CSRF) through the same rules as the API."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.testing import csrf_token, login
from niaga_purchasing.models import Bill, PurchaseOrder, Receipt, Supplier

pytestmark = pytest.mark.plugins("purchasing")


def post(client: Any, url: str, page: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def test_order_to_payment_through_the_pages(logged_in: Any, db: Any) -> None:
    client = logged_in
    base = "/admin/purchasing"
    created = post(
        client,
        f"{base}/suppliers",
        f"{base}/suppliers",
        {
            "name": "CV Maju Jaya",
            "npwp": "02.345.678.9-423.000",
            "payment_terms_days": "14",
            "pkp": "on",
        },
    )
    assert created.status_code == 302
    supplier = db.scalar(sa.select(Supplier))
    assert supplier.npwp == "023456789423000"
    bad = post(client, f"{base}/suppliers", f"{base}/suppliers", {"name": "X", "npwp": "123"})
    assert bad.status_code == 200 and "NPWP" in bad.get_data(as_text=True)

    page = client.get(f"{base}/orders/new")
    assert page.status_code == 200 and "CV Maju Jaya" in page.get_data(as_text=True)
    response = post(
        client,
        f"{base}/orders/new",
        f"{base}/orders/new",
        {
            "supplier_id": str(supplier.id),
            "line-0-description": "Kopi bubuk 200 g",
            "line-0-quantity": "12",
            "line-0-unit": "bungkus",
            "line-0-unit_price": "18.500",  # typed the Indonesian way: 18500 rupiah
            "line-1-description": "Gula 1 kg",
            "line-1-quantity": "5",
            "line-1-unit": "kg",
            "line-1-unit_price": "15000",
            "line-1-discount_percent": "2,5",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    order = db.scalar(sa.select(PurchaseOrder))
    assert len(order.lines) == 2 and order.lines[1].discount_percent == Decimal("2.5")
    assert order.lines[0].unit_price == Decimal("18500")
    order_url = f"{base}/orders/{order.id}"
    html = client.get(order_url).get_data(as_text=True)
    assert order.number in html and "Kopi bubuk" in html

    printed = client.get(f"{order_url}/print").get_data(as_text=True)
    assert "@media print" in printed and "02.345.678.9-423.000" in printed

    for action in ("send", "confirm"):
        assert post(client, f"{order_url}/{action}", order_url, {}).status_code == 302
    db.expire_all()
    assert db.get(PurchaseOrder, order.id).status == "confirmed"

    receiving = client.get(f"{base}/receive").get_data(as_text=True)
    assert order.number in receiving
    receive_url = f"{base}/receive/{order.id}"
    form = client.get(receive_url).get_data(as_text=True)
    assert 'inputmode="decimal"' in form and 'name="viewport"' in form
    lines = {line.description: line.id for line in order.lines}
    first = post(client, receive_url, receive_url, {f"qty-{lines['Kopi bubuk 200 g']}": "6"})
    assert first.status_code == 302 and "/receive" in first.headers["Location"]
    over = post(client, receive_url, receive_url, {f"qty-{lines['Gula 1 kg']}": "9"})
    assert "melebihi pesanan" in client.get(over.headers["Location"]).get_data(as_text=True)
    second = post(
        client,
        receive_url,
        receive_url,
        {f"qty-{lines['Kopi bubuk 200 g']}": "6", f"qty-{lines['Gula 1 kg']}": "5"},
    )
    assert second.status_code == 302
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Receipt)) == 2
    assert db.get(PurchaseOrder, order.id).status == "received"

    billed = post(client, f"{order_url}/bill", order_url, {"supplier_reference": "INV/77"})
    assert billed.status_code == 302
    bill = db.scalar(sa.select(Bill))
    bill_url = f"{base}/bills/{bill.id}"
    assert bill_url in billed.headers["Location"]
    assert post(client, f"{bill_url}/post", bill_url, {}).status_code == 302
    assert (
        post(client, f"{bill_url}/pay", bill_url, {"amount": "50000", "method": "cash"}).status_code
        == 302
    )
    too_much = post(client, f"{bill_url}/pay", bill_url, {"amount": "99999999", "method": "cash"})
    assert "melebihi sisa utang" in client.get(too_much.headers["Location"]).get_data(as_text=True)
    db.expire_all()
    bill = db.get(Bill, bill.id)
    rest = str(int(bill.amount_open))
    assert (
        post(
            client, f"{bill_url}/pay", bill_url, {"amount": rest, "method": "bank_transfer"}
        ).status_code
        == 302
    )
    db.expire_all()
    assert db.get(Bill, bill.id).status == "paid"

    for url in (
        f"{base}/",
        f"{base}/bills",
        bill_url,
        f"{base}/payables",
        f"{base}/reorders",
        f"{base}/suppliers",
    ):
        assert client.get(url).status_code == 200, url


def test_forms_need_csrf(logged_in: Any) -> None:
    response = logged_in.post("/admin/purchasing/suppliers", data={"name": "No token"})
    assert response.status_code == 400


def test_warehouse_clerk_receives_but_cannot_pay(client: Any, make_user: Any) -> None:
    login(client, make_user("warehouse", email="gudang@toko.id"))
    assert client.get("/admin/purchasing/receive").status_code == 200
    menu = client.get("/admin/purchasing/receive").get_data(as_text=True)
    assert re.search(r'href="/admin/purchasing/receive"', menu)
    assert client.get("/admin/purchasing/orders/new").status_code == 403


def test_form_problems_are_shown_in_indonesian_under_each_field(logged_in: Any, db: Any) -> None:
    """A refused supplier or order form comes back with what was typed and each problem
    under its field (issue 21), never only in the flash; nothing is saved."""
    client = logged_in
    base = "/admin/purchasing"
    bad = post(
        client,
        f"{base}/suppliers",
        f"{base}/suppliers",
        {"name": "", "npwp": "123", "city": "Bandung", "payment_terms_days": "lama"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert re.search(r'<small class="error" id="name-error">Mohon diisi</small>', html), html
    assert re.search(r'id="npwp"[^>]*aria-invalid="true"', html)
    assert re.search(r'<small class="error" id="payment_terms_days-error">[^<]+</small>', html)
    assert 'value="Bandung"' in html  # what was typed is kept
    assert "payment_terms_days:" not in html and "[&#39;" not in html
    assert db.scalar(sa.select(sa.func.count()).select_from(Supplier)) == 0

    made = post(client, f"{base}/suppliers", f"{base}/suppliers", {"name": "CV Maju Jaya"})
    assert made.status_code == 302
    supplier = db.scalar(sa.select(Supplier))
    order = post(
        client,
        f"{base}/orders/new",
        f"{base}/orders/new",
        {
            "supplier_id": str(supplier.id),
            "line-0-description": "Kopi bubuk 200 g",
            "line-0-quantity": "12",
            "line-0-unit_price": "18.500",
            # the third row (the second is empty): a price that is not a number
            "line-2-description": "Gula 1 kg",
            "line-2-quantity": "5",
            "line-2-unit_price": "murah",
        },
    )
    html = order.get_data(as_text=True)
    assert order.status_code == 200
    assert re.search(r'<small class="error" id="line-2-unit_price-error">[^<]*angka', html), html
    assert re.search(r'name="line-2-unit_price"[^>]*value="murah"[^>]*aria-invalid="true"', html)
    # a line the order rules refuse (no product and no price): under that line's price
    order = post(
        client,
        f"{base}/orders/new",
        f"{base}/orders/new",
        {
            "supplier_id": str(supplier.id),
            "line-0-description": "Kopi bubuk 200 g",
            "line-0-quantity": "12",
            "line-0-unit_price": "18.500",
            "line-3-description": "Gula 1 kg",
            "line-3-quantity": "5",
        },
    )
    html = order.get_data(as_text=True)
    assert re.search(r'<small class="error" id="line-3-unit_price-error">[^<]*harga', html), html
    assert db.scalar(sa.select(sa.func.count()).select_from(PurchaseOrder)) == 0
