"""A retailer's dashboard in the portal (issue 22) against figures worked out here: what it
bought this month and last (invoiced less returned, before PPN, the activity page's rule),
its status, the invoices it has to pay with their amounts, its last orders with a working
reorder button — and nobody else's figures."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from niaga.testing import login
from niaga.testing_pages import parse_page

pytestmark = pytest.mark.plugins("sales")

WIB = dt.timezone(dt.timedelta(hours=7))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=WIB)


class _Text(HTMLParser):
    """The text inside the element with id ``target``."""

    VOID = {"br", "input", "img", "meta", "link", "hr"}

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target, self.depth, self.parts = target, 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth or dict(attrs).get("id") == self.target:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(html: str, target: str) -> str:
    parser = _Text(target)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def rupiah(amount: int | Decimal) -> str:
    return "Rp " + f"{int(amount):,}".replace(",", ".")


@pytest.fixture
def network(app, api, make_user, shop_clock):
    """Bu Sri's shop: an order of 100.000 invoiced on 20 October (due 3 November), a
    counter sale of 120.000 on 5 November, an order of 50.000 invoiced on 10 November (due
    24 November) and a draft of 10.000; another shop buys 999.000. Today is 30 November."""
    from niaga.db import session
    from niaga_sales.models import Customer

    def customer(name: str) -> int:
        answer = api.post(
            "/api/sales/customers",
            json={"shop_name": name, "payment_terms_days": 14, "credit_limit": "1000000"},
        )
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["id"]

    mine, other = customer("Warung Bu Sri"), customer("Toko Lain")

    def order(who: int, day: dt.date, price: str, invoice: bool = True) -> dict:
        shop_clock(at(day))
        made = api.post(
            "/api/sales/orders",
            json={
                "customer_id": who,
                "lines": [{"description": "Gula 1 kg", "quantity": "1", "unit_price": price}],
            },
        )
        assert made.status_code == 201, made.get_json()
        if invoice:
            order_id = made.get_json()["id"]
            assert api.post(f"/api/sales/orders/{order_id}/confirm", json={}).status_code == 200
            sent = api.post(f"/api/sales/orders/{order_id}/deliveries", json={"deliver": True})
            assert sent.status_code == 201, sent.get_json()
            billed = api.post(f"/api/sales/orders/{order_id}/invoice", json={})
            assert billed.status_code in (200, 201), billed.get_json()
        return made.get_json()

    order(mine, dt.date(2026, 10, 20), "100000")
    shop_clock(at(dt.date(2026, 11, 5)))
    assert api.post("/api/sales/pos/sessions", json={"opening_cash": "0"}).status_code in (200, 201)
    sold = api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": uuid.uuid4().hex,
            "customer_id": mine,
            "lines": [{"description": "Kopi", "quantity": "2", "unit_price": "60000"}],
        },
    )
    assert sold.status_code == 201, sold.get_json()
    order(mine, dt.date(2026, 11, 10), "50000")
    order(other, dt.date(2026, 11, 12), "999000")
    order(mine, dt.date(2026, 11, 29), "10000", invoice=False)
    shop_clock(at(dt.date(2026, 11, 30)))
    retailer = make_user("retailer", phone="081355599999", name="Bu Sri")
    with app.app_context():
        db = session()
        db.get(Customer, mine).user_id = retailer.id
        db.commit()
    return retailer


def test_the_retailer_sees_its_own_figures(app, network):
    from niaga.db import session
    from niaga_sales.models import Order

    client = app.test_client()
    login(client, network)
    answer = client.get("/portal/sales/dashboard")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    page = parse_page(text)
    # this month: the counter sale and the November invoice; the draft is no purchase
    assert rupiah(120000 + 50000) in text_of(text, "purchases-month")
    assert "1 pesanan" in text_of(text, "purchases-month")  # the draft is not placed yet
    assert "+70%" in text_of(text, "purchases-month")  # against 100.000 in October
    assert rupiah(100000) in text_of(text, "purchases-previous")
    assert text_of(text, "my-status") == "aktif"
    # both open invoices, the overdue October one first, with what is left to pay
    due = text_of(text, "invoices-due")
    assert due.index(rupiah(100000)) < due.index(rupiah(50000))
    assert "Lewat jatuh tempo" in due or "Terlambat" in due
    assert rupiah(150000) in text_of(text, "owed")
    assert "999" not in text  # another shop's figures never show
    orders = text_of(text, "last-orders")
    assert orders.count("Pesan lagi") == 3

    # the reorder button makes a new order from an earlier one
    with app.app_context():
        first = session().scalars(sa.select(Order).order_by(Order.id)).first().id
        session().rollback()
    form = next(f for f in page.forms if f.action.endswith(f"/orders/{first}/reorder"))
    again = client.post(form.action, data=form.values())
    assert again.status_code == 302
    with app.app_context():
        newest = session().scalars(sa.select(Order).order_by(Order.id.desc())).first()
        assert session().scalar(sa.select(sa.func.count()).select_from(Order)) == 5  # 4 + 1
        assert (newest.customer.shop_name, newest.source, newest.total) == (
            "Warung Bu Sri",
            "portal",
            Decimal("100000"),
        )
        session().rollback()


def test_staff_and_strangers_get_no_retailer_dashboard(app, logged_in):
    assert app.test_client().get("/portal/sales/dashboard").status_code == 302
    assert logged_in.get("/portal/sales/dashboard").status_code in (403, 404)


def test_the_owner_dashboard_shows_the_network_kpis(app, network, owner):
    """Sales this month (1.169.000: the counter sale, the November invoices of both shops)
    against last month (100.000), and the portal's share of purchases: none of the three
    in the activity period came through the portal."""
    from niaga.db import session
    from niaga_sales import analysis, kpi

    with app.app_context():
        figures = kpi.owner_kpis(session())
        assert figures.sales == Decimal(120000 + 50000 + 999000)
        assert figures.sales == analysis.analyse(session(), by="retailer").total  # one rule
        assert figures.sales_previous == Decimal(100000)
        assert (figures.buying, figures.retailers, figures.portal_share) == (2, 2, Decimal(0))
        session().rollback()
    client = app.test_client()
    login(client, owner)
    page = client.get("/admin/").get_data(as_text=True)
    assert rupiah(1169000) in page and f"bulan lalu {rupiah(100000)}" in page
    assert "0%" in page and "pembelian pengecer lewat portal" in page


@pytest.mark.plugins("sales", "loyalty")
def test_points_and_the_way_to_the_next_tier_show_when_loyalty_is_on(app, network):
    from niaga.db import session
    from niaga_loyalty import ledger
    from niaga_loyalty.models import Tier
    from niaga_sales.models import Customer

    with app.app_context():
        db = session()
        shop = db.scalars(sa.select(Customer).where(Customer.user_id == network.id)).one()
        db.add_all(
            [
                Tier(name="Silver", min_spend=Decimal(0)),
                Tier(name="Gold", min_spend=Decimal(1000000)),
            ]
        )
        member = ledger.member_for_customer(db, shop.id, shop.shop_name)
        db.flush()
        ledger.adjust(db, member, 1250, "Opening balance")
        db.commit()
    client = app.test_client()
    login(client, network)
    figures = text_of(client.get("/portal/sales/dashboard").get_data(as_text=True), "my-figures")
    assert "Poin 1.250" in figures
    assert "Rp 1.000.000 lagi menuju Gold" in figures  # no spend counted yet
