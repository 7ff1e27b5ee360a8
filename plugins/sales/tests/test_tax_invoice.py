"""The invoice of a PKP shop shows what its Faktur Pajak needs: seller and buyer as the tax
office knows them, DPP, DPP nilai lain (11/12 of the DPP for ordinary goods), PPN and the
transaction code (04 with DPP nilai lain, 01 otherwise). Every figure is worked out here
from the prices: PPN 12 % on 11/12 of each line's net, rounded half up per line."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from niaga import settings
from niaga.l10n import format_money
from niaga_sales import customers, tax_invoice
from niaga_sales.models import Customer, Invoice
from niaga_sales.testing import invoiced

pytestmark = pytest.mark.plugins("sales")

SELLER_NPWP = "0012.3456.7890.1000"
BUYER_NPWP = "0098 7654 3210 9000"
BUYER_NIK = "7271015203900001"


def rupiah(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@pytest.fixture
def pkp(db):
    """A PKP distributor in Palu with its NPWP and a branch NITKU."""
    settings.put(db, "core.vat_registered", True)
    settings.put(db, "core.shop_name", "PT Distribusi Palu")
    settings.put(db, "core.address", "Jl. Gajah Mada 10, Palu")
    settings.put(db, "core.npwp", SELLER_NPWP)
    settings.put(db, "core.nitku", "0012345678901000000001")
    db.commit()


def with_identity(db, customer: dict, **identity: str) -> None:
    customers.update_customer(db, db.get(Customer, customer["id"]), identity)
    db.commit()


LINES = [
    {"description": "Kopi sachet", "quantity": "3", "unit_price": "3333"},
    {"description": "Teh celup", "quantity": "7", "unit_price": "1499", "discount_percent": "5"},
]


def expected_figures() -> tuple[Decimal, Decimal, Decimal]:
    """DPP, DPP nilai lain and PPN of LINES, line by line."""
    nets = [
        Decimal(3) * Decimal(3333),
        Decimal(7) * Decimal(1499) - rupiah(Decimal(7) * Decimal(1499) * Decimal("0.05")),
    ]
    other = [rupiah(net * 11 / 12) for net in nets]
    ppn = [rupiah(net * Decimal("0.12") * 11 / 12) for net in nets]
    return sum(nets), sum(other), sum(ppn)


def test_a_pkp_invoice_carries_the_faktur_pajak_figures(api, db, pkp, logged_in, customer):
    with_identity(
        db,
        customer,
        npwp=BUYER_NPWP,
        tax_name="CV Sinar Palu Abadi",
        tax_address="Jl. Sis Aljufri 5, Palu",
    )
    invoice = invoiced(api, customer["id"], LINES)
    dpp, other_dpp, ppn = expected_figures()
    assert (dpp, other_dpp, ppn) == (Decimal(9999 + 9968), Decimal(9166 + 9137), Decimal(2196))

    tax = tax_invoice.for_invoice(db, db.get(Invoice, invoice["id"]))
    assert tax is not None
    assert (tax.transaction_code, tax.tax_base, tax.other_tax_base, tax.tax) == (
        "04",
        dpp,
        other_dpp,
        ppn,
    )
    assert tax.tax == Decimal(invoice["tax"])  # the stored PPN, not a new computation
    assert (tax.seller.npwp, tax.seller.nitku) == ("0012345678901000", "0012345678901000000001")
    assert (tax.buyer.name, tax.buyer.npwp, tax.buyer.document) == (
        "CV Sinar Palu Abadi",
        "0098765432109000",
        "TIN",
    )
    assert tax.buyer.nitku == "0098765432109000" + "000000"  # the buyer's head office

    page = logged_in.get(f"/admin/sales/invoices/{invoice['id']}").get_data(as_text=True)
    for shown in (
        "PT Distribusi Palu",
        "Jl. Gajah Mada 10, Palu",
        "0012 3456 7890 1000",
        "0012345678901000000001",
        "CV Sinar Palu Abadi",
        "Jl. Sis Aljufri 5, Palu",
        "0098 7654 3210 9000",
        "Kode transaksi",
        "DPP nilai lain",
        format_money(dpp),
        format_money(other_dpp),
        format_money(ppn),
    ):
        assert shown in page, shown
    assert '<td class="num" id="tax-code">04</td>' in page


def test_a_buyer_without_npwp_is_named_by_nik_with_its_document_type(
    api, db, pkp, logged_in, customer
):
    with_identity(db, customer, nik=BUYER_NIK)
    invoice = invoiced(api, customer["id"], LINES[:1])
    tax = tax_invoice.for_invoice(db, db.get(Invoice, invoice["id"]))
    assert tax is not None
    assert (tax.buyer.npwp, tax.buyer.document, tax.buyer.document_number) == (
        None,
        "National ID",
        BUYER_NIK,
    )
    # no tax name or address recorded: the shop's own
    assert tax.buyer.name == "Toko Sinar Palu"
    page = logged_in.get(f"/admin/sales/invoices/{invoice['id']}").get_data(as_text=True)
    assert BUYER_NIK in page and "National ID" in page and "pembeli tidak memiliki NPWP" in page


def test_without_dpp_nilai_lain_the_code_is_01(api, db, pkp, logged_in, customer):
    settings.put(db, "sales.ppn_base", "1")
    db.commit()
    invoice = invoiced(api, customer["id"], LINES[:1])
    tax = tax_invoice.for_invoice(db, db.get(Invoice, invoice["id"]))
    assert tax is not None
    # 9999 × 12 % = 1199.88 → 1200, on the full price
    assert (tax.transaction_code, tax.tax_base, tax.other_tax_base, tax.tax) == (
        "01",
        Decimal(9999),
        Decimal(9999),
        rupiah(Decimal(9999) * Decimal("0.12")),
    )
    page = logged_in.get(f"/admin/sales/invoices/{invoice['id']}").get_data(as_text=True)
    assert '<td class="num" id="tax-code">01</td>' in page and "DPP nilai lain" not in page


def test_a_shop_that_is_not_pkp_prints_no_tax_invoice(api, db, logged_in, customer):
    invoice = invoiced(api, customer["id"], LINES[:1])
    assert tax_invoice.for_invoice(db, db.get(Invoice, invoice["id"])) is None
    page = logged_in.get(f"/admin/sales/invoices/{invoice['id']}").get_data(as_text=True)
    assert "tax-invoice" not in page and "Kode transaksi" not in page
    assert Decimal(invoice["tax"]) == 0
