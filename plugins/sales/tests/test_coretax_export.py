"""A month's output tax invoices exported as the Coretax e-Faktur import file
(``TaxInvoiceBulk``): parsed back and checked element by element against figures worked
out here and against the stored invoice lines (DPP, DPP nilai lain, PPN)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.clock import shop_today
from niaga.testing_pages import parse_page
from niaga_sales import customers
from niaga_sales.models import Customer, Invoice, InvoiceLine
from niaga_sales.testing import invoiced

pytestmark = pytest.mark.plugins("sales")

SELLER_NITKU = "0012345678901000000001"
BUYER_NIK = "7271015203900001"
INVOICE_FIELDS = [
    "TaxInvoiceDate",
    "TaxInvoiceOpt",
    "TrxCode",
    "AddInfo",
    "CustomDoc",
    "CustomDocMonthYear",
    "RefDesc",
    "FacilityStamp",
    "SellerIDTKU",
    "BuyerTin",
    "BuyerDocument",
    "BuyerCountry",
    "BuyerDocumentNumber",
    "BuyerName",
    "BuyerAdress",
    "BuyerEmail",
    "BuyerIDTKU",
    "ListOfGoodService",
]
GOOD_FIELDS = [
    "Opt",
    "Code",
    "Name",
    "Unit",
    "Price",
    "Qty",
    "TotalDiscount",
    "TaxBase",
    "OtherTaxBase",
    "VATRate",
    "VAT",
    "STLGRate",
    "STLG",
]


def rupiah(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@pytest.fixture
def pkp(db):
    settings.put(db, "core.vat_registered", True)
    settings.put(db, "core.shop_name", "PT Distribusi Palu")
    settings.put(db, "core.npwp", "0012.3456.7890.1000")
    settings.put(db, "core.nitku", SELLER_NITKU)
    db.commit()


def with_identity(db, customer_id: int, **identity: str) -> None:
    customers.update_customer(db, db.get(Customer, customer_id), identity)
    db.commit()


def export(client, month: str):
    return client.get(f"/admin/sales/tax-invoices.xml?month={month}")


def test_a_month_of_invoices_exports_as_coretax_xml(api, db, pkp, logged_in, customer):
    with_identity(
        db,
        customer["id"],
        npwp="0098 7654 3210 9000",
        tax_name="CV Sinar Palu Abadi",
        tax_address="Jl. Sis Aljufri 5, Palu",
    )
    other = api.post("/api/sales/customers", json={"shop_name": "Warung Bu Sri"})
    assert other.status_code == 201
    with_identity(db, other.get_json()["id"], nik=BUYER_NIK, tax_address="Jl. Tadulako 3")

    # with an order discount of Rp 1.000 (an adjustment line Coretax cannot take)
    first = invoiced(
        api,
        customer["id"],
        [
            {"description": "Kopi sachet", "quantity": "3", "unit_price": "3333"},
            {
                "description": "Teh celup",
                "quantity": "7",
                "unit_price": "1499",
                "discount_percent": "5",
                "unit": "dus",
            },
        ],
        discount_amount="1000",
    )
    second = invoiced(
        api,
        other.get_json()["id"],
        [{"description": "Gula & garam <1 kg>", "quantity": "2.5", "unit_price": "3333.33"}],
    )
    earlier = invoiced(
        api, customer["id"], [{"description": "Beras", "quantity": "1", "unit_price": "70000"}]
    )
    day = dt.date.fromisoformat(first["invoice_date"])
    month = f"{day:%Y-%m}"
    moved = db.get(Invoice, earlier["id"])
    moved.invoice_date = day.replace(day=1) - dt.timedelta(days=1)  # last month
    db.commit()

    answer = export(logged_in, month)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/xml"
    assert f"faktur-keluaran-{month}.xml" in answer.headers["Content-Disposition"]
    root = ET.fromstring(answer.data)
    assert root.tag == "TaxInvoiceBulk"
    assert [child.tag for child in root] == ["TIN", "ListOfTaxInvoice"]
    assert root.findtext("TIN") == "0012345678901000"
    found = root.findall("ListOfTaxInvoice/TaxInvoice")
    assert [node.findtext("RefDesc") for node in found] == [first["number"], second["number"]]
    for node in found:
        assert [child.tag for child in node] == INVOICE_FIELDS
        for good in node.findall("ListOfGoodService/GoodService"):
            assert [child.tag for child in good] == GOOD_FIELDS

    # the first invoice, by hand: nets 3 × 3.333 = 9.999 and 7 × 1.499 − 525 = 9.968; the
    # discount of 1.000 (PPN −110) spread by net, in whole rupiah, largest remainder first:
    # 1.000 × 9.999 / 19.967 = 500,78 -> 501 and 499; 110 × 9.999 / 19.967 = 55,08 -> 55, 55
    one = found[0]
    assert [one.findtext(name) for name in ("TaxInvoiceDate", "TaxInvoiceOpt", "TrxCode")] == [
        day.isoformat(),
        "Normal",
        "04",
    ]
    assert [one.findtext(name) for name in INVOICE_FIELDS[8:17]] == [
        SELLER_NITKU,
        "0098765432109000",
        "TIN",
        "IDN",
        "-",
        "CV Sinar Palu Abadi",
        "Jl. Sis Aljufri 5, Palu",
        "",
        "0098765432109000000000",
    ]
    goods = [
        [good.findtext(name) for name in GOOD_FIELDS]
        for good in one.findall("ListOfGoodService/GoodService")
    ]
    assert goods == [
        # 9.999 − 501 = 9.498; × 11/12 = 8.706,5 -> 8.707; PPN 1.100 − 55
        ["A", "000000", "Kopi sachet", "UM.0021", "3333", "3", "501", "9498", "8707", "12"]
        + ["1045", "0", "0"],
        # 9.968 − 499 = 9.469; × 11/12 = 8.679,92 -> 8.680; PPN 1.096 − 55
        ["A", "000000", "Teh celup", "UM.0022", "1499", "7", "1024", "9469", "8680", "12"]
        + ["1041", "0", "0"],
    ]

    # the second: a buyer without NPWP, named by NIK; 2,5 × 3.333,33 = 8.333,325 -> 8.333
    two = found[1]
    assert two.findtext("TrxCode") == "04"
    assert [two.findtext(name) for name in INVOICE_FIELDS[9:17]] == [
        "0000000000000000",
        "National ID",
        "IDN",
        BUYER_NIK,
        "Warung Bu Sri",
        "Jl. Tadulako 3",
        "",
        "000000",
    ]
    [good] = two.findall("ListOfGoodService/GoodService")
    assert good.findtext("Name") == "Gula & garam <1 kg>"
    assert [good.findtext(name) for name in ("Price", "Qty", "TaxBase", "OtherTaxBase")] == [
        "3333.33",
        "2.5",
        "8333",
        str(rupiah(Decimal(8333) * 11 / 12)),
    ]
    assert good.findtext("VAT") == str(rupiah(Decimal(8333) * Decimal("0.12") * 11 / 12))

    # every invoice against its stored lines: DPP and PPN add up to them exactly
    for node in found:
        invoice = db.scalar(sa.select(Invoice).where(Invoice.number == node.findtext("RefDesc")))
        stored = db.scalars(sa.select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
        stored = list(stored)
        exported = node.findall("ListOfGoodService/GoodService")
        tax_base = [Decimal(good.findtext("TaxBase")) for good in exported]
        assert sum(tax_base) == sum(line.net for line in stored) == invoice.subtotal
        assert sum(Decimal(good.findtext("VAT")) for good in exported) == sum(
            line.tax for line in stored
        )
        assert [Decimal(good.findtext("OtherTaxBase")) for good in exported] == [
            rupiah(base * 11 / 12) for base in tax_base
        ]
        assert all(base >= 0 for base in tax_base)


def test_the_export_refuses_a_bad_month_or_a_shop_that_is_not_pkp(db, logged_in):
    refused = export(logged_in, "2026-13")
    assert refused.status_code == 422
    assert "2026-13" in refused.get_data(as_text=True)
    assert export(logged_in, "2026-11").status_code == 422  # not a PKP
    settings.put(db, "core.vat_registered", True)
    db.commit()
    no_npwp = export(logged_in, "2026-11")
    assert no_npwp.status_code == 422 and "NPWP" in no_npwp.get_data(as_text=True)


def test_an_empty_month_is_an_empty_list(db, pkp, logged_in):
    answer = export(logged_in, "2026-11")
    assert answer.status_code == 200
    root = ET.fromstring(answer.data)
    assert root.findtext("TIN") == "0012345678901000"
    assert root.findall("ListOfTaxInvoice/TaxInvoice") == []


def test_the_month_recap_lists_each_tax_invoice_and_the_totals(api, db, pkp, logged_in, customer):
    with_identity(db, customer["id"], npwp="0098 7654 3210 9000")
    first = invoiced(
        api, customer["id"], [{"description": "Kopi", "quantity": "3", "unit_price": "3333"}]
    )
    second = invoiced(
        api, customer["id"], [{"description": "Teh", "quantity": "10", "unit_price": "1499"}]
    )
    month = first["invoice_date"][:7]
    answer = logged_in.get(f"/admin/sales/tax-invoices.csv?month={month}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0][-3:] == ["dpp", "dpp_nilai_lain", "ppn"]
    # 9.999: DPP nilai lain 9.165,75 -> 9.166, PPN 1.099,89 -> 1.100
    # 14.990: DPP nilai lain 13.740,83 -> 13.741, PPN 1.648,9 -> 1.649
    assert rows[1] == [
        first["number"],
        first["invoice_date"],
        "04",
        "Toko Sinar Palu",
        "TIN",
        "0098765432109000",
        "9999",
        "9166",
        "1100",
    ]
    assert rows[2][0] == second["number"] and rows[2][-3:] == ["14990", "13741", "1649"]
    assert rows[3] == ["TOTAL", "", "", "", "", "", "24989", "22907", "2749"]
    assert Decimal(rows[3][-1]) == Decimal(first["tax"]) + Decimal(second["tax"])
    assert logged_in.get("/admin/sales/tax-invoices.csv?month=11-2026").status_code == 422


def test_the_invoice_list_of_a_pkp_offers_last_months_export(db, logged_in):
    assert 'id="tax-export"' not in logged_in.get("/admin/sales/invoices").get_data(as_text=True)
    settings.put(db, "core.vat_registered", True)
    settings.put(db, "core.npwp", "0012.3456.7890.1000")
    db.commit()
    page = logged_in.get("/admin/sales/invoices").get_data(as_text=True)
    [form] = [f for f in parse_page(page).forms if f.action.endswith("/tax-invoices.xml")]
    today = shop_today(db)
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    assert form.method == "get" and form.values() == {"month": f"{last_month:%Y-%m}"}
    answer = logged_in.get("/admin/sales/tax-invoices.xml", query_string=form.values())
    assert answer.status_code == 200 and b"<TaxInvoiceBulk" in answer.data
    assert "Unduh untuk Coretax (XML)" in page and "Rekap (CSV)" in page
