"""Raw codes never reach a screen: a document another plugin points at is shown by its
name and number ("Faktur INV/...", "Surat jalan SJ/...") with a link to its page, never as
``sales.invoice:26``."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from niaga.documents import DocumentLabel, document_label
from niaga.testing import login
from niaga_sales.testing import invoiced

pytestmark = pytest.mark.plugins("inventory", "sales", "purchasing", "cashbank")


@pytest.fixture
def sold(api):
    product = api.post(
        "/api/inventory/products",
        json={"sku": "GL-1", "name": "Gula 1 kg", "base_unit": "pcs", "price": "18000"},
    ).get_json()
    api.post(
        "/api/inventory/receipts",
        json={"lines": [{"product_id": product["id"], "quantity": "10", "cost": "15000"}]},
    )
    customer = api.post("/api/sales/customers", json={"shop_name": "Warung Bu Sri"}).get_json()
    invoice = invoiced(api, customer["id"], [{"product_id": product["id"], "quantity": "2"}])
    return product, invoice


def test_a_reference_reads_as_the_document_it_names(app, sold):
    _, invoice = sold
    with app.test_request_context("/admin/", headers={"Accept-Language": "id"}):
        label = document_label(f"sales.invoice:{invoice['id']}")
        assert label == DocumentLabel(
            f"Faktur {invoice['number']}", f"/admin/sales/invoices/{invoice['id']}"
        )
        assert document_label("sales.invoice:999999").text == "sales.invoice:999999"
        assert document_label("free text").text == "free text"


def test_screens_show_document_names_not_codes(client, owner, sold):
    product, invoice = sold
    login(client, owner)
    moves = client.get(
        f"/admin/inventory/products/{product['id']}", headers={"Accept-Language": "id"}
    ).get_data(as_text=True)
    assert re.search(r'<a href="/admin/sales/orders/\d+">Pesanan SO/', moves), moves
    journal = client.get("/admin/cashbank/journal", headers={"Accept-Language": "id"})
    html = journal.get_data(as_text=True)
    assert f'">Faktur {invoice["number"]}</a>' in html
    assert "Penerimaan barang (manual)" in moves  # stock received by hand, no page of its own
    assert not re.search(r"\b(sales|purchasing|inventory)\.[a-z_]+:\w", moves)


@pytest.mark.plugins("sales", "loyalty")
def test_loyalty_references_read_as_words(app, db):
    from decimal import Decimal

    from niaga_loyalty import ledger, rewards
    from niaga_loyalty.models import Entry, Reward

    member = ledger.member_for_customer(db, 7, "Toko Sumber Rejeki")
    db.flush()
    ledger.adjust(db, member, 1000, "Opening balance")
    reward = Reward(name="Voucher", kind="voucher", points_cost=800, discount_amount=Decimal(5))
    db.add(reward)
    db.flush()
    redemption = rewards.redeem(db, member, reward.id)
    db.commit()
    adjusted = db.scalars(sa.select(Entry.reference).where(Entry.kind == "adjust")).first()
    with app.test_request_context("/admin/", headers={"Accept-Language": "id"}):
        assert document_label(redemption.reference) == DocumentLabel(
            f"Penukaran poin {redemption.code}", f"/admin/loyalty/members/{member.id}"
        )
        assert document_label(adjusted).text == "Penyesuaian poin"


@pytest.mark.plugins("cashbank")
def test_a_cash_voucher_reads_as_its_number(app, api):
    accounts = api.get("/api/cashbank/accounts?page_size=100").get_json()
    kas = next(a["id"] for a in accounts if a["code"] == "1-1100")
    voucher = api.post(
        "/api/cashbank/vouchers",
        json={"kind": "prive", "date": "2026-03-05", "account_id": kas, "amount": "100000"},
    ).get_json()
    with app.test_request_context("/admin/", headers={"Accept-Language": "id"}):
        label = document_label(f"cashbank.voucher:{voucher['id']}")
    assert label == DocumentLabel(f"Voucher {voucher['number']}", "/admin/cashbank/")
