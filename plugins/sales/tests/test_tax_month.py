"""The "Done when" month of issue 23: a PKP's mixed month of invoices — a buyer with an
NPWP, a buyer named by NIK, a voucher discount, ordinary goods with DPP nilai lain, an
exempt item (PPN dibebaskan, code 08) and a return — exported for Coretax and checked
field by field against figures written out by hand here, and against the XSD files
written from the published templates (``niaga_sales/xsd``)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

from niaga import settings
from niaga_sales.testing import assert_schema_valid, invoiced

pytestmark = pytest.mark.plugins("inventory", "sales", "loyalty")

SELLER_NITKU = "0012345678901000000001"
BUYER_NPWP = "0098765432109000"
BUYER_NIK = "7271015203900001"


def ok(answer, status=201):
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


@pytest.fixture
def pkp(db):
    settings.put(db, "core.vat_registered", True)
    settings.put(db, "core.shop_name", "PT Distribusi Palu")
    settings.put(db, "core.npwp", "0012.3456.7890.1000")
    settings.put(db, "core.nitku", SELLER_NITKU)
    db.commit()


def values(node, names):
    return {name: node.findtext(name) for name in names}


GOOD = (
    "Name",
    "Unit",
    "Price",
    "Qty",
    "TotalDiscount",
    "TaxBase",
    "OtherTaxBase",
    "VATRate",
    "VAT",
)


def test_a_mixed_month_exports_as_hand_worked(api, db, pkp, logged_in):
    kopi = ok(
        api.post(
            "/api/inventory/products",
            json={
                "sku": "KOPI",
                "name": "Kopi bubuk",
                "base_unit": "pcs",
                "price": "10000",
                "track_stock": False,
            },
        )
    )["id"]
    beras = ok(
        api.post(
            "/api/inventory/products",
            json={
                "sku": "BERAS",
                "name": "Beras 5 kg",
                "base_unit": "pcs",
                "price": "12000",
                "track_stock": False,
                "tax_class": "exempt",
            },
        )
    )["id"]
    sinar = ok(
        api.post(
            "/api/sales/customers",
            json={
                "shop_name": "Toko Sinar",
                "npwp": BUYER_NPWP,
                "tax_name": "CV Sinar Abadi",
                "tax_address": "Jl. Sis Aljufri 5, Palu",
            },
        )
    )["id"]
    sri = ok(
        api.post(
            "/api/sales/customers",
            json={"shop_name": "Warung Bu Sri", "nik": BUYER_NIK, "tax_address": "Jl. Tadulako 3"},
        )
    )["id"]
    # Bu Sri's voucher: 100 points given, a Rp 5.000 voucher redeemed for 50 of them
    member = ok(api.post("/api/loyalty/members", json={"customer_id": sri, "name": "Bu Sri"}))
    ok(
        api.post(
            f"/api/loyalty/members/{member['id']}/adjust",
            json={"points": 100, "reason": "sambutan"},
        )
    )
    reward = ok(
        api.post(
            "/api/loyalty/rewards",
            json={
                "name": "Voucher 5rb",
                "kind": "voucher",
                "points_cost": 50,
                "discount_amount": "5000",
            },
        )
    )
    code = ok(
        api.post(
            f"/api/loyalty/members/{member['id']}/redemptions", json={"reward_id": reward["id"]}
        )
    )["code"]
    db.commit()

    # A: to the NPWP buyer, 10 coffee (taxed, DPP nilai lain) and 5 rice (exempt)
    first = invoiced(
        api, sinar, [{"product_id": kopi, "quantity": "10"}, {"product_id": beras, "quantity": "5"}]
    )
    # B: to the NIK buyer, 3 coffee less the voucher
    second = invoiced(api, sri, [{"product_id": kopi, "quantity": "3"}], voucher_code=code)
    # C: Toko Sinar brings back 2 coffee and 1 rice of A
    kopi_line, beras_line = (line for line in first["lines"] if line["kind"] == "item")
    note = ok(
        api.post(
            f"/api/sales/invoices/{first['id']}/returns",
            json={
                "lines": [
                    {"invoice_line_id": kopi_line["id"], "quantity": "2"},
                    {"invoice_line_id": beras_line["id"], "quantity": "1"},
                ],
                "reason": "rusak",
            },
        )
    )
    db.commit()
    month = first["invoice_date"][:7]
    day = first["invoice_date"]

    # the stored figures are the ones worked out by hand (12 % of 11/12 of the net)
    assert (Decimal(first["subtotal"]), Decimal(first["tax"])) == (160000, 11000)
    assert (Decimal(second["subtotal"]), Decimal(second["tax"])) == (25000, 2750)

    # the invoice page shows A as its two fakturs: the taxed goods and the exempt rice
    page = logged_in.get(f"/admin/sales/invoices/{first['id']}").get_data(as_text=True)
    assert '<td class="num" id="tax-code">04</td>' in page
    assert 'id="tax-code-08">08 (' in page
    assert 'id="tax-dpp-08">Rp 60.000' in page and 'id="tax-ppn-08">Rp 0' in page
    assert 'id="tax-other-dpp">Rp 91.667' in page and 'id="tax-ppn">Rp 11.000' in page

    answer = logged_in.get(f"/admin/sales/tax-invoices.xml?month={month}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert_schema_valid(answer.data, "TaxInvoice.xsd")
    root = ET.fromstring(answer.data)
    found = root.findall("ListOfTaxInvoice/TaxInvoice")
    header = (
        "RefDesc",
        "TrxCode",
        "AddInfo",
        "FacilityStamp",
        "BuyerTin",
        "BuyerDocument",
        "BuyerDocumentNumber",
        "BuyerName",
        "BuyerIDTKU",
    )
    assert [values(node, header) for node in found] == [
        # A's taxed goods: code 04 (DPP nilai lain), the buyer by NPWP
        {
            "RefDesc": first["number"],
            "TrxCode": "04",
            "AddInfo": "",
            "FacilityStamp": "",
            "BuyerTin": BUYER_NPWP,
            "BuyerDocument": "TIN",
            "BuyerDocumentNumber": "-",
            "BuyerName": "CV Sinar Abadi",
            "BuyerIDTKU": BUYER_NPWP + "000000",
        },
        # A's exempt rice: a faktur of its own, code 08, PP 49/2022's codes
        {
            "RefDesc": first["number"],
            "TrxCode": "08",
            "AddInfo": "TD.00510",
            "FacilityStamp": "TD.01110",
            "BuyerTin": BUYER_NPWP,
            "BuyerDocument": "TIN",
            "BuyerDocumentNumber": "-",
            "BuyerName": "CV Sinar Abadi",
            "BuyerIDTKU": BUYER_NPWP + "000000",
        },
        # B: the buyer by NIK, no NPWP
        {
            "RefDesc": second["number"],
            "TrxCode": "04",
            "AddInfo": "",
            "FacilityStamp": "",
            "BuyerTin": "0" * 16,
            "BuyerDocument": "National ID",
            "BuyerDocumentNumber": BUYER_NIK,
            "BuyerName": "Warung Bu Sri",
            "BuyerIDTKU": "000000",
        },
    ]
    assert {node.findtext("TaxInvoiceDate") for node in found} == {day}
    assert {node.findtext("SellerIDTKU") for node in found} == {SELLER_NITKU}
    # the remaining fields, every one of them, for each tax invoice and item
    rest = (
        "TaxInvoiceOpt",
        "CustomDoc",
        "CustomDocMonthYear",
        "BuyerCountry",
        "BuyerAdress",
        "BuyerEmail",
    )
    assert [values(node, rest) for node in found] == [
        {
            "TaxInvoiceOpt": "Normal",
            "CustomDoc": "",
            "CustomDocMonthYear": "",
            "BuyerCountry": "IDN",
            "BuyerAdress": "Jl. Sis Aljufri 5, Palu",
            "BuyerEmail": "",
        },
    ] * 2 + [
        {
            "TaxInvoiceOpt": "Normal",
            "CustomDoc": "",
            "CustomDocMonthYear": "",
            "BuyerCountry": "IDN",
            "BuyerAdress": "Jl. Tadulako 3",
            "BuyerEmail": "",
        },
    ]
    assert {
        (g.findtext("Opt"), g.findtext("Code"), g.findtext("STLGRate"), g.findtext("STLG"))
        for g in root.iter("GoodService")
    } == {("A", "000000", "0", "0")}
    goods = [
        [values(g, GOOD) for g in node.findall("ListOfGoodService/GoodService")] for node in found
    ]
    assert goods == [
        # 10 × 10.000 = 100.000; DPP nilai lain 100.000 × 11/12 = 91.666,67 -> 91.667;
        # PPN 12 % × 11/12 × 100.000 = 11.000
        [
            {
                "Name": "Kopi bubuk",
                "Unit": "UM.0021",
                "Price": "10000",
                "Qty": "10",
                "TotalDiscount": "0",
                "TaxBase": "100000",
                "OtherTaxBase": "91667",
                "VATRate": "12",
                "VAT": "11000",
            }
        ],
        # 5 × 12.000 = 60.000, exempt: DPP nilai lain is the DPP, no PPN
        [
            {
                "Name": "Beras 5 kg",
                "Unit": "UM.0021",
                "Price": "12000",
                "Qty": "5",
                "TotalDiscount": "0",
                "TaxBase": "60000",
                "OtherTaxBase": "60000",
                "VATRate": "0",
                "VAT": "0",
            }
        ],
        # 3 × 10.000 = 30.000 less the voucher 5.000 = 25.000 (PPN 3.300 − 550 = 2.750);
        # DPP nilai lain 25.000 × 11/12 = 22.916,67 -> 22.917
        [
            {
                "Name": "Kopi bubuk",
                "Unit": "UM.0021",
                "Price": "10000",
                "Qty": "3",
                "TotalDiscount": "5000",
                "TaxBase": "25000",
                "OtherTaxBase": "22917",
                "VATRate": "12",
                "VAT": "2750",
            }
        ],
    ]

    # the return: one per transaction code of what came back, valued as on invoice A
    answer = logged_in.get(f"/admin/sales/tax-returns.xml?month={month}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert_schema_valid(answer.data, "ReturnTaxInvoice.xsd")
    root = ET.fromstring(answer.data)
    assert root.findtext("TIN") == "0012345678901000"
    backs = root.findall("ListOfReturnTaxInvoice/ReturnTaxInvoice")
    head = (
        "ReturnRefDesc",
        "TaxInvoiceRefDesc",
        "TaxInvoiceDate",
        "TrxCode",
        "BuyerTin",
        "TotalTaxBase",
        "TotalOtherTaxBase",
        "TotalVAT",
    )
    assert [values(node, head) for node in backs] == [
        # 2 coffee: 20.000, DPP nilai lain 18.333,33 -> 18.333, PPN 2.200
        {
            "ReturnRefDesc": note["number"],
            "TaxInvoiceRefDesc": first["number"],
            "TaxInvoiceDate": day,
            "TrxCode": "04",
            "BuyerTin": BUYER_NPWP,
            "TotalTaxBase": "20000",
            "TotalOtherTaxBase": "18333",
            "TotalVAT": "2200",
        },
        # 1 rice: 12.000, exempt
        {
            "ReturnRefDesc": note["number"],
            "TaxInvoiceRefDesc": first["number"],
            "TaxInvoiceDate": day,
            "TrxCode": "08",
            "BuyerTin": BUYER_NPWP,
            "TotalTaxBase": "12000",
            "TotalOtherTaxBase": "12000",
            "TotalVAT": "0",
        },
    ]
    assert [
        values(g, ("Name", "Qty", "TaxBase", "VAT"))
        for node in backs
        for g in node.findall("ListOfGoodService/GoodService")
    ] == [
        {"Name": "Kopi bubuk", "Qty": "2", "TaxBase": "20000", "VAT": "2200"},
        {"Name": "Beras 5 kg", "Qty": "1", "TaxBase": "12000", "VAT": "0"},
    ]

    # the recap: each faktur, each return negative, and the month's net output tax
    answer = logged_in.get(f"/admin/sales/tax-invoices.csv?month={month}")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert [row[0:3] + row[6:] for row in rows[1:]] == [
        [first["number"], day, "04", "100000", "91667", "11000"],
        [first["number"], day, "08", "60000", "60000", "0"],
        [second["number"], day, "04", "25000", "22917", "2750"],
        [note["number"], day, "04", "-20000", "-18333", "-2200"],
        [note["number"], day, "08", "-12000", "-12000", "0"],
        # DPP 100.000 + 60.000 + 25.000 − 20.000 − 12.000; DPP nilai lain 91.667 + 60.000
        # + 22.917 − 18.333 − 12.000; PPN 11.000 + 2.750 − 2.200
        ["TOTAL", "", "", "153000", "144251", "11550"],
    ]


def test_a_month_with_no_credit_notes_gives_an_empty_return_file(api, db, pkp, logged_in):
    answer = logged_in.get("/admin/sales/tax-returns.xml?month=2026-01")
    assert answer.status_code == 200
    assert_schema_valid(answer.data, "ReturnTaxInvoice.xsd")
    assert ET.fromstring(answer.data).findall("ListOfReturnTaxInvoice/*") == []
    assert logged_in.get("/admin/sales/tax-returns.xml?month=januari").status_code == 422


def test_a_shop_that_is_not_pkp_has_no_returns_to_export(api, db, logged_in):
    answer = logged_in.get("/admin/sales/tax-returns.xml?month=2026-01")
    assert answer.status_code == 422
    assert "PKP" in answer.get_data(as_text=True)


def test_a_discount_on_taxed_and_exempt_goods_takes_ppn_off_the_taxed_share_only(
    api, db, pkp, logged_in
):
    kopi = ok(
        api.post(
            "/api/inventory/products",
            json={
                "sku": "KOPI2",
                "name": "Kopi",
                "base_unit": "pcs",
                "price": "10000",
                "track_stock": False,
            },
        )
    )["id"]
    beras = ok(
        api.post(
            "/api/inventory/products",
            json={
                "sku": "BERAS2",
                "name": "Beras",
                "base_unit": "pcs",
                "price": "20000",
                "track_stock": False,
                "tax_class": "exempt",
            },
        )
    )["id"]
    buyer = ok(
        api.post("/api/sales/customers", json={"shop_name": "Toko Baru", "npwp": BUYER_NPWP})
    )["id"]
    invoice = invoiced(
        api,
        buyer,
        [{"product_id": kopi, "quantity": "3"}, {"product_id": beras, "quantity": "1"}],
        discount_amount="5000",
    )
    # 30.000 taxed and 20.000 exempt: the 5.000 off splits 3.000 / 2.000; PPN is 11 % of
    # 30.000 − 3.000 = 27.000 -> 2.970 (not 3.300 − 550 as if it were all on the coffee)
    assert (Decimal(invoice["subtotal"]), Decimal(invoice["tax"])) == (45000, 2970)
    adjustments = [line for line in invoice["lines"] if line["kind"] == "adjustment"]
    assert sorted((Decimal(a["net"]), Decimal(a["tax"])) for a in adjustments) == [
        (-3000, -330),
        (-2000, 0),
    ]
    month = invoice["invoice_date"][:7]
    answer = logged_in.get(f"/admin/sales/tax-invoices.xml?month={month}")
    assert_schema_valid(answer.data, "TaxInvoice.xsd")
    found = ET.fromstring(answer.data).findall("ListOfTaxInvoice/TaxInvoice")
    assert [
        (
            n.findtext("TrxCode"),
            n.findtext("ListOfGoodService/GoodService/TaxBase"),
            n.findtext("ListOfGoodService/GoodService/TotalDiscount"),
            n.findtext("ListOfGoodService/GoodService/VAT"),
        )
        for n in found
    ] == [("04", "27000", "3000", "2970"), ("08", "18000", "2000", "0")]
