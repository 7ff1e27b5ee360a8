"""Issue 18 item 8 (part): every statement page names the shop and its NPWP above its title
and gives its period as Indonesian dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from niaga import settings

pytestmark = pytest.mark.plugins("cashbank")


def test_statements_carry_the_shop_name_and_indonesian_dates(books, logged_in):
    settings.put(books, "core.shop_name", "UD Sinar Palu")
    settings.put(books, "core.npwp", "012345678901000")
    books.commit()
    for key in ("laba-rugi", "neraca", "arus-kas"):
        page = logged_in.get(
            f"/admin/cashbank/reports/{key}?from=2026-08-01&to=2026-08-31&lang=id"
        ).get_data(as_text=True)
        assert '<p class="entity">UD Sinar Palu</p>' in page, key
        assert '<p class="entity-npwp">NPWP 01.234.567.8-901.000</p>' in page, key
        assert "31 Agustus 2026" in page, key
        assert dt.date(2026, 8, 31).isoformat() not in page.split("<h1>")[1], key


def test_the_notes_give_general_information_and_the_period_s_ppn(books, build, logged_in):
    """Issue 18 item 8: the Catatan open with who the entity is (name, address, NPWP, PKP)
    and show the PPN collected and paid in the period, and what is left to pay."""
    from niaga.runtime import hooks

    for key, value in (
        ("core.shop_name", "UD Sinar Palu"),
        ("core.address", "Jl. Hasanuddin 5, Palu"),
        ("core.npwp", "012345678901000"),
        ("core.vat_registered", True),
    ):
        settings.put(books, key, value)
    invoice = build.document("sales.invoice", 1, "1000000", "110000", day=10)
    hooks().sales_invoice_issued(session=books, invoice=invoice)
    bill = build.document("purchasing.bill", 1, "600000", "66000", day=11, party_name="PT A")
    hooks().purchasing_bill_posted(session=books, bill=bill)
    # the month's PPN closing empties PPN Keluaran; the notes still show what was collected
    from niaga_cashbank.chart import account_by_code
    from niaga_cashbank.journal import Leg, post

    post(
        books,
        date=build.day.replace(day=31),
        description="Tutup PPN Maret",
        legs=[
            Leg(account_by_code(books, "2-1200"), debit=Decimal(110000)),
            Leg(account_by_code(books, "2-1100"), credit=Decimal(110000)),
        ],
        event="tax_ppn_closed",
        event_key="tax.ppn:2026-03",
        automatic=True,
    )
    books.commit()
    page = logged_in.get("/admin/cashbank/notes?from=2026-03-01&to=2026-03-31&lang=id").get_data(
        as_text=True
    )
    assert page.index("1. Informasi umum") < page.index("2. Pernyataan kepatuhan")
    assert (
        "UD Sinar Palu adalah usaha perdagangan yang beralamat di Jl. Hasanuddin 5, Palu." in page
    )
    assert "NPWP: 01.234.567.8-901.000." in page
    assert "Pengusaha Kena Pajak (PKP)" in page
    assert "1 Maret 2026 sampai dengan 31 Maret 2026" in page
    # 110.000 collected, 66.000 paid on purchases: 44.000 left to pay
    assert "PPN kurang bayar periode ini: Rp 44.000." in page
    assert "Aset tetap" not in page  # no fixed assets: no empty section
