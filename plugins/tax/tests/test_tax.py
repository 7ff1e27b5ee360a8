"""The monthly tax figures of issue 23, against the journal and by hand: the PPN recap
equals what the ledger carries on PPN Keluaran and PPN Masukan, its closing entry empties
them into Utang PPN (or PPN Lebih Bayar); PPh final UMKM for a month and across the
Rp 500 juta of an individual's year, paid with a billing code into the books."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.clock import shop_today
from niaga.testing import csrf_token
from niaga_cashbank.models import Account, JournalEntry, JournalLine
from niaga_sales.models import CreditNote, Invoice
from niaga_sales.testing import invoiced
from niaga_tax.models import PphPayment, PpnPeriod

pytestmark = pytest.mark.plugins("inventory", "sales", "purchasing", "cashbank", "tax")

D = Decimal
FAKTUR = "04002500012345678"


def ok(answer, status=201):
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def ppn(net: int) -> Decimal:
    """12 % of a DPP of 11/12: 11 % of the net (every net here is a multiple of 100)."""
    return D(net) * D("0.11")


def movement(db, code: str, start: dt.date, end: dt.date, event: str | None = None) -> Decimal:
    """Debit less credit on account ``code`` between the dates (inclusive); only the
    entries of ``event`` when given, else all but the PPN closings."""
    query = (
        sa.select(sa.func.coalesce(sa.func.sum(JournalLine.debit - JournalLine.credit), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.code == code, JournalEntry.date >= start, JournalEntry.date <= end)
    )
    if event:
        query = query.where(JournalEntry.event == event)
    else:
        query = query.where(
            sa.or_(JournalEntry.event.is_(None), JournalEntry.event != "tax_ppn_closed")
        )
    return D(db.scalar(query))


@pytest.fixture
def pkp(db):
    settings.put(db, "core.vat_registered", True)
    settings.put(db, "core.npwp", "0012.3456.7890.1000")
    db.commit()


def bill_of(api, supplier_id: int, description: str, quantity: str, price: str, **extra):
    order = ok(
        api.post(
            "/api/purchasing/orders",
            json={
                "supplier_id": supplier_id,
                "lines": [{"description": description, "quantity": quantity, "unit_price": price}],
            },
        )
    )
    for action in ("send", "confirm"):
        ok(api.post(f"/api/purchasing/orders/{order['id']}/{action}"), 200)
    receipt = ok(
        api.post(
            "/api/purchasing/receipts",
            json={
                "order_id": order["id"],
                "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": quantity}],
            },
        )
    )
    return ok(
        api.post(
            "/api/purchasing/bills", json={"receipt_ids": [receipt["id"]], "post": True, **extra}
        )
    )


def test_the_ppn_recap_equals_the_ledger_and_closes_into_it(api, db, pkp, logged_in):
    today = shop_today(db)
    db.commit()
    month = f"{today:%Y-%m}"
    start = today.replace(day=1)
    supplier = ok(
        api.post(
            "/api/purchasing/suppliers",
            json={"name": "PT Sumber Pangan", "npwp": "0123456789431000", "pkp": True},
        )
    )["id"]
    customer = ok(api.post("/api/sales/customers", json={"shop_name": "Toko Sinar"}))["id"]

    # sales: 300.000 and 250.000, then 100.000 of the first comes back
    first = invoiced(
        api, customer, [{"description": "Kopi", "quantity": "3", "unit_price": "100000"}]
    )
    invoiced(api, customer, [{"description": "Teh", "quantity": "1", "unit_price": "250000"}])
    ok(
        api.post(
            f"/api/sales/invoices/{first['id']}/returns",
            json={
                "lines": [{"invoice_line_id": first["lines"][0]["id"], "quantity": "1"}],
                "reason": "rusak",
            },
        )
    )
    # purchases: 300.000 with its faktur, 100.000 whose faktur has not come yet
    with_faktur = bill_of(
        api,
        supplier,
        "Gula",
        "2",
        "150000",
        tax_invoice_number=FAKTUR,
        tax_invoice_date=today.isoformat(),
    )
    waiting = bill_of(api, supplier, "Beras", "1", "100000")
    assert (D(with_faktur["tax"]), D(waiting["tax"])) == (ppn(300000), ppn(100000))
    db.commit()

    output = ppn(300000) + ppn(250000) - ppn(100000)  # 49.500
    recap = ok(api.get(f"/api/tax/ppn/{month}"), 200)
    assert D(recap["output_tax"]) == output == D("49500")
    assert D(recap["input_tax"]) == ppn(300000)
    assert D(recap["input_waiting"]) == ppn(100000)
    # the ledger carries all of it; the part waiting for its faktur is shown apart
    assert -movement(db, "2-1200", start, today) == output
    assert movement(db, "1-1500", start, today) == D(recap["input_tax"]) + D(recap["input_waiting"])

    # the faktur comes: the recap's input equals the ledger's PPN Masukan
    ok(
        api.put(
            f"/api/purchasing/bills/{waiting['id']}/tax-invoice",
            json={"tax_invoice_number": "04002500012345679", "tax_invoice_date": today.isoformat()},
        ),
        200,
    )
    db.commit()
    # an earlier month carried 3.000 forward (closed before these books)
    earlier = start - dt.timedelta(days=1)
    db.add(
        PpnPeriod(
            month=f"{earlier:%Y-%m}",
            output_tax=0,
            input_tax=D(3000),
            carried_in=0,
            payable=0,
            carried_out=D(3000),
            closed_on=earlier,
        )
    )
    db.commit()
    recap = ok(api.get(f"/api/tax/ppn/{month}"), 200)
    assert D(recap["input_tax"]) == movement(db, "1-1500", start, today) == D("44000")
    assert D(recap["output_tax"]) == -movement(db, "2-1200", start, today)
    # 49.500 − 44.000 − 3.000 = 2.500 to pay
    assert (D(recap["carried_in"]), D(recap["payable"]), D(recap["carried_out"])) == (
        D(3000),
        D(2500),
        D(0),
    )
    page = logged_in.get(f"/admin/tax/?month={month}").get_data(as_text=True)
    assert 'id="ppn-result"' in page and "2.500" in page

    # closing, from the page: one entry moves the month out of both PPN accounts
    answer = logged_in.post(
        "/admin/tax/ppn/close",
        data={"csrf_token": csrf_token(logged_in, "/admin/tax/"), "month": month},
    )
    assert answer.status_code == 302
    db.expire_all()
    closing = {
        code: movement(db, code, start, today, "tax_ppn_closed")
        for code in ("2-1200", "1-1500", "1-1550", "2-1250")
    }
    assert closing == {
        "2-1200": D(49500),
        "1-1500": D(-44000),
        "1-1550": D(-3000),
        "2-1250": D(-2500),
    }
    closed = ok(api.get(f"/api/tax/ppn/{month}"), 200)
    assert closed["closed"] is True
    # an invoice after the closing does not change what was closed and booked
    invoiced(api, customer, [{"description": "Gula", "quantity": "1", "unit_price": "100000"}])
    db.commit()
    assert ok(api.get(f"/api/tax/ppn/{month}"), 200) == closed
    again = api.post(f"/api/tax/ppn/{month}/close")
    assert again.status_code == 409
    assert (
        len(db.scalars(sa.select(JournalEntry).where(JournalEntry.event == "tax_ppn_closed")).all())
        == 1
    )


def test_more_input_than_output_is_carried_forward(api, db, pkp):
    today = shop_today(db)
    db.commit()
    month = f"{today:%Y-%m}"
    supplier = ok(api.post("/api/purchasing/suppliers", json={"name": "CV Tani", "pkp": True}))[
        "id"
    ]
    bill_of(
        api,
        supplier,
        "Gula",
        "2",
        "150000",
        tax_invoice_number=FAKTUR,
        tax_invoice_date=today.isoformat(),
    )
    recap = ok(api.post(f"/api/tax/ppn/{month}/close"), 200)
    assert (D(recap["payable"]), D(recap["carried_out"])) == (D(0), ppn(300000))
    start = today.replace(day=1)
    db.commit()
    assert movement(db, "1-1550", start, today, "tax_ppn_closed") == ppn(300000)
    assert movement(db, "1-1500", start, today, "tax_ppn_closed") == -ppn(300000)


def test_a_shop_that_is_not_pkp_has_no_ppn_recap(api):
    answer = api.get("/api/tax/ppn/2026-11")
    assert answer.status_code == 422
    assert api.get("/api/tax/ppn/bulan-lalu").status_code == 422


def sold_in(api, db, customer: int, amount: str, day: dt.date) -> dict:
    invoice = invoiced(
        api, customer, [{"description": "Grosir", "quantity": "1", "unit_price": amount}]
    )
    db.get(Invoice, invoice["id"]).invoice_date = day
    db.commit()
    return invoice


def test_pph_final_for_a_month_and_across_the_500_juta(api, db, logged_in):
    customer = ok(api.post("/api/sales/customers", json={"shop_name": "Toko Besar"}))["id"]
    # 2025: 480 juta in March, 50 juta in April less a 10 juta return, 4,4 miliar in May
    sold_in(api, db, customer, "480000000", dt.date(2025, 3, 10))
    april = invoiced(
        api, customer, [{"description": "Grosir", "quantity": "5", "unit_price": "10000000"}]
    )
    note = ok(
        api.post(
            f"/api/sales/invoices/{april['id']}/returns",
            json={"lines": [{"invoice_line_id": april["lines"][0]["id"], "quantity": "1"}]},
        )
    )
    db.get(Invoice, april["id"]).invoice_date = dt.date(2025, 4, 2)
    db.get(CreditNote, note["id"]).note_date = dt.date(2025, 4, 20)
    db.commit()
    sold_in(api, db, customer, "4400000000", dt.date(2025, 5, 5))

    march = ok(api.get("/api/tax/pph-final/2025-03"), 200)
    # all of March is within the first 500 juta of an individual's year: no tax
    assert (D(march["turnover"]), D(march["exempt"]), D(march["tax"])) == (
        D(480000000),
        D(480000000),
        D(0),
    )
    april_figure = ok(api.get("/api/tax/pph-final/2025-04"), 200)
    # 50 juta − 10 juta = 40 juta; 20 juta of it is still free (500 − 480);
    # 0,5 % of the other 20 juta = 100.000
    assert (
        D(april_figure["turnover"]),
        D(april_figure["earlier"]),
        D(april_figure["exempt"]),
        D(april_figure["tax"]),
    ) == (D(40000000), D(480000000), D(20000000), D(100000))
    may = ok(api.get("/api/tax/pph-final/2025-05"), 200)
    # nothing free any more: 0,5 % of 4,4 miliar = 22 juta; the year passes 4,8 miliar
    assert (D(may["exempt"]), D(may["tax"]), may["over_cap"]) == (D(0), D(22000000), True)
    assert april_figure["over_cap"] is False

    # a company (badan) has no Rp 500 juta: 0,5 % of April's 40 juta = 200.000
    settings.put(db, "tax.taxpayer_kind", "company")
    db.commit()
    assert D(ok(api.get("/api/tax/pph-final/2025-04"), 200)["tax"]) == D(200000)
    settings.put(db, "tax.taxpayer_kind", "individual")
    db.commit()

    # paying April's: a wrong billing code stores nothing; the right one is kept and
    # the books take Beban PPh Final against the bank
    bad = api.post(
        "/api/tax/pph-final/2025-04/payment",
        json={"billing_code": "12345", "paid_on": "2025-05-10"},
        headers={"Accept-Language": "id"},
    )
    assert bad.status_code == 422 and "Kode billing" in bad.get_json()["error"]["message"]
    assert db.scalar(sa.select(sa.func.count(PphPayment.id))) == 0
    paid = ok(
        api.post(
            "/api/tax/pph-final/2025-04/payment",
            json={"billing_code": "0123 4567 8901 234", "paid_on": "2025-05-10"},
        )
    )
    assert (paid["billing_code"], paid["paid_on"]) == ("012345678901234", "2025-05-10")
    day = dt.date(2025, 5, 10)
    db.commit()
    assert movement(db, "6-2000", day, day) == D(100000)
    assert movement(db, "1-1200", day, day) == D(-100000)
    assert (
        api.post(
            "/api/tax/pph-final/2025-04/payment", json={"billing_code": "012345678901234"}
        ).status_code
        == 409
    )
    assert (
        api.post(
            "/api/tax/pph-final/2025-03/payment", json={"billing_code": "012345678901234"}
        ).status_code
        == 422
    )
    page = logged_in.get("/admin/tax/?month=2025-05", headers={"Accept-Language": "id"})
    text = page.get_data(as_text=True)
    assert "22.000.000" in text and "4,8 miliar" in text
