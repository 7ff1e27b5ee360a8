"""Issue 22: a shop entered twice (at the counter, then again when it signed up in the
portal) is merged into one customer on the customer page: its documents, portal login,
points and what it owes follow, the books still balance, and nothing is deleted.

Expected figures are worked out here from the prices, not read from the code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga import auth
from niaga.runtime import collect
from niaga.testing_pages import find_form
from niaga_cashbank.journal import rule_account
from niaga_cashbank.models import JournalEntry, JournalLine
from niaga_loyalty.models import Lot, Member
from niaga_sales.models import Customer, Invoice, Order

pytestmark = pytest.mark.plugins("sales", "cashbank", "loyalty")


def customer(api: Any, name: str, **extra: Any) -> int:
    made = api.post("/api/sales/customers", json={"shop_name": name, **extra})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def invoiced(api: Any, customer_id: int, price: str, paid: str) -> dict[str, Any]:
    """An order of 10 at ``price`` each, delivered, invoiced and paid ``paid``."""
    line = {"description": "Beras 5 kg", "quantity": "10", "unit_price": price}
    order = api.post("/api/sales/orders", json={"customer_id": customer_id, "lines": [line]})
    assert order.status_code == 201, order.get_json()
    order_id = order.get_json()["id"]
    assert api.post(f"/api/sales/orders/{order_id}/confirm", json={}).status_code == 200
    api.post(f"/api/sales/orders/{order_id}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order_id}/invoice").get_json()
    if Decimal(paid):
        payment = api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": paid})
        assert payment.status_code == 201, payment.get_json()
    return invoice


def owed_by_party(db: Any, party_id: int) -> Decimal:
    """What the books say customer ``party_id`` owes on the receivable account."""
    account = rule_account(db, "sales_invoice_issued", "receivable")
    total = db.scalar(
        sa.select(sa.func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalEntry.posted.is_(True),
            JournalLine.account_id == account.id,
            JournalLine.party_kind == "customer",
            JournalLine.party_id == party_id,
        )
    )
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def merge_on_screen(client: Any, duplicate: int, kept: int) -> str:
    """Open the merge page of ``duplicate``, pick ``kept`` and submit the rendered form."""
    page = client.get(f"/admin/sales/customers/{duplicate}/merge?into={kept}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    form = find_form(html, having="into", action=f"/admin/sales/customers/{duplicate}/merge")
    answer = client.post(form.action, data=form.values(), follow_redirects=True)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def post_merge(client: Any, duplicate: int, kept: int) -> str:
    """Post a merge straight away, with the session's CSRF token (as a second tab would)."""
    html = client.get(f"/admin/sales/customers/{duplicate}").get_data(as_text=True)
    token = find_form(html, having="csrf_token").values()["csrf_token"]
    answer = client.post(
        f"/admin/sales/customers/{duplicate}/merge",
        data={"into": str(kept), "csrf_token": token},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


@pytest.fixture
def network(api: Any, db: Any) -> dict[str, int]:
    """Toko Sinar Palu at the counter (Rp 700.000 paid: 70 points) and its duplicate from
    the portal with a login, Rp 500.000 paid (50 points) and Rp 300.000 still owed."""
    assert api.post("/api/loyalty/programs", json={"name": "Poin Mitra"}).status_code == 201
    counter = customer(api, "Toko Sinar Palu", phone="0812 7770 001")
    portal = customer(api, "Sinar Palu", area="Palu Barat", npwp="012345678901234")
    login = auth.create_user(db, role="retailer", phone="081277700099", password="sinar-palu-2026")
    db.get(Customer, portal).user_id = login.id
    db.commit()
    invoiced(api, counter, "70000", paid="700000")
    invoiced(api, portal, "50000", paid="500000")
    invoiced(api, portal, "30000", paid="0")
    return {"counter": counter, "portal": portal, "login": login.id}


def test_a_duplicate_merged_on_screen_leaves_one_shop_with_everything(db, logged_in, network):
    counter, portal = network["counter"], network["portal"]
    preview = logged_in.get(f"/admin/sales/customers/{portal}/merge?into={counter}")
    assert "Faktur: 2" in preview.get_data(as_text=True)  # what will move, before it does

    page = merge_on_screen(logged_in, portal, counter)

    assert "Digabung" in page
    db.expire_all()
    kept, duplicate = db.get(Customer, counter), db.get(Customer, portal)
    assert not duplicate.active and duplicate.user_id is None
    assert kept.user_id == network["login"]
    assert (kept.area, kept.npwp) == ("Palu Barat", "012345678901234")  # filled in, not lost
    for model in (Order, Invoice):
        assert db.scalar(sa.select(sa.func.count()).where(model.customer_id == portal)) == 0
        assert db.scalar(sa.select(sa.func.count()).where(model.customer_id == counter)) == 3

    members = {m.customer_id: m for m in db.scalars(sa.select(Member))}
    assert members[counter].balance == 70 + 50 and members[portal].balance == 0
    open_lots = db.scalars(
        sa.select(Lot.remaining).where(Lot.member_id == members[counter].id, Lot.remaining > 0)
    ).all()
    assert sorted(open_lots) == [50, 70]

    assert owed_by_party(db, portal) == 0
    assert owed_by_party(db, counter) == Decimal("300000.00")
    assert {plugin: found for plugin, found in collect("niaga_check", session=db) if found} == {}


def test_a_merge_that_would_lose_something_is_refused_and_changes_nothing(
    api, db, logged_in, network
):
    counter, portal = network["counter"], network["portal"]
    other_taxpayer = customer(api, "Sinar Palu Dua", npwp="098765432109876")
    shown = logged_in.get(f"/admin/sales/customers/{other_taxpayer}/merge?into={portal}")
    assert "dua wajib pajak" in shown.get_data(as_text=True)  # said before, no merge button
    with pytest.raises(AssertionError, match="no form"):
        find_form(
            shown.get_data(as_text=True), action=f"/admin/sales/customers/{other_taxpayer}/merge"
        )
    assert "dua wajib pajak" in post_merge(logged_in, other_taxpayer, portal)

    itself = post_merge(logged_in, portal, portal)
    assert "tidak bisa digabung dengan dirinya sendiri" in itself

    merge_on_screen(logged_in, portal, counter)
    again = post_merge(logged_in, portal, counter)
    assert "sudah dinonaktifkan atau sudah digabung" in again
    db.expire_all()
    assert db.get(Customer, other_taxpayer).active
    assert db.scalar(sa.select(sa.func.count()).where(Invoice.customer_id == counter)) == 3
