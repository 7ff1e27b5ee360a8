"""A month's output tax invoices as the XML that Coretax imports for e-Faktur.

The document is DJP's ``TaxInvoiceBulk`` (root naming ``TaxInvoice.xsd``, which DJP does
not publish): the seller's TIN, then one ``TaxInvoice`` per sales invoice with its goods
(``GoodService``). Elements and their order follow DJP's sample "Faktur PK Template" and
the column rules of its Excel template v1.6.1 (see docs/decisions.md). Every figure comes
from :class:`niaga_sales.tax_invoice.TaxInvoice`, that is from the stored invoice lines.

Invoices of the walk-in customer (counter sales to unnamed buyers) are left out: they are
not imported one by one. A credit note makes a return (retur PPN): :func:`export_returns`
writes the month's returns as ``ReturnTaxInvoiceBulk``, a document of our own shaped like
``TaxInvoiceBulk`` (DJP publishes no import format for returns; see docs/decisions.md).
:func:`export_recap` gives the month as a CSV table, one row per tax invoice and per
return (negative), for a spreadsheet. Both documents are checked in the tests against the
XSD files in ``niaga_sales/xsd``, written from the published templates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import clock
from niaga.clock import parse_month
from niaga.errors import Refused
from niaga_sales.models import CreditNote, Customer, Invoice
from niaga_sales.tax_invoice import (
    EXEMPT_ADD_INFO,
    EXEMPT_FACILITY,
    NATIONAL_ID,
    NO_TIN,
    OTHER_ID,
    TIN,
    TaxInvoice,
    TaxLine,
    TaxReturn,
    is_pkp,
    seller_of,
)

#: the XSD files of the documents written here (written from the published templates)
SCHEMAS = Path(__file__).parent / "xsd"
#: Indonesia in the template's country list (ISO 3166 alpha-3; ``IND`` is India)
INDONESIA = "IDN"
#: goods (``A``; services are ``B``) and the generic goods code
GOODS = "A"
GENERIC_CODE = "000000"
#: our units -> Coretax unit codes (REF list UM.0001 to UM.0039); others are "Unit"
UNIT_CODES = {
    "pcs": "UM.0021",
    "piece": "UM.0021",
    "lusin": "UM.0017",
    "box": "UM.0022",
    "boks": "UM.0022",
    "dus": "UM.0022",
}
OTHER_UNIT = "UM.0018"
HEAD_OFFICE_ONLY = "000000"


def month_bounds(month: str | None) -> tuple[dt.date, dt.date]:
    """The first day of ``month`` (``2026-11``) and the first day of the next one."""
    start = parse_month(month)
    return start, clock.month_bounds(start)[1] + dt.timedelta(days=1)


def _customers_documents_of_month(
    session: Session, model: Any, dated: Any, month: str | None
) -> Iterable[Any]:
    """A PKP shop's documents ``model`` of a month for customers who are not walk-in
    buyers, by date and number (``dated``: the document's date column)."""
    start, end = month_bounds(month)
    if not is_pkp(session):
        raise Refused("The shop is not a PKP, so it issues no tax invoices")
    return session.scalars(
        sa.select(model)
        .join(Customer, Customer.id == model.customer_id)
        .where(dated >= start, dated < end, Customer.walk_in.is_(False))
        .order_by(dated, model.number)
    ).unique()


def tax_invoices_of_month(session: Session, month: str | None) -> list[TaxInvoice]:
    """The tax invoices of a month's sales invoices with PPN, in number order."""
    invoices = _customers_documents_of_month(session, Invoice, Invoice.invoice_date, month)
    seller = seller_of(session)
    if not seller.npwp or not seller.nitku:
        raise Refused("Fill in the shop's NPWP in the settings before exporting tax invoices")
    return [part for invoice in invoices for part in TaxInvoice.build(invoice, seller).parts()]


def tax_returns_of_month(session: Session, month: str | None) -> list[TaxReturn]:
    """The returns (retur PPN) of a month's credit notes, in number order."""
    notes = _customers_documents_of_month(session, CreditNote, CreditNote.note_date, month)
    seller = seller_of(session)
    return [part for note in notes for part in TaxReturn.build(note, seller)]


def amount(value: Decimal) -> str:
    """A number as the template wants it: a point for decimals, no grouping, no
    trailing zeros (``2.5``, ``9999``)."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _element(parent: ET.Element, name: str, value: str = "") -> ET.Element:
    child = ET.SubElement(parent, name)
    child.text = value or None
    return child


def _buyer_fields(tax: TaxInvoice) -> list[tuple[str, str]]:
    buyer = tax.buyer
    if buyer.document == TIN and buyer.npwp:
        tin, number, idtku = buyer.npwp, "-", buyer.nitku or buyer.npwp + HEAD_OFFICE_ONLY
    else:
        tin, idtku = NO_TIN, HEAD_OFFICE_ONLY
        number = buyer.document_number if buyer.document == NATIONAL_ID else "-"
    return [
        ("BuyerTin", tin),
        ("BuyerDocument", buyer.document if buyer.document in (TIN, NATIONAL_ID) else OTHER_ID),
        ("BuyerCountry", INDONESIA),
        ("BuyerDocumentNumber", number),
        ("BuyerName", buyer.name),
        ("BuyerAdress", buyer.address),  # sic: the element is spelt so by DJP
        ("BuyerEmail", ""),
        ("BuyerIDTKU", idtku),
    ]


def _good_service(parent: ET.Element, line: TaxLine) -> None:
    good = ET.SubElement(parent, "GoodService")
    for name, value in (
        ("Opt", GOODS),
        ("Code", GENERIC_CODE),
        ("Name", line.description),
        ("Unit", UNIT_CODES.get(line.unit.strip().lower(), OTHER_UNIT)),
        ("Price", amount(line.unit_price)),
        ("Qty", amount(line.quantity)),
        ("TotalDiscount", amount(line.discount)),
        ("TaxBase", amount(line.tax_base)),
        ("OtherTaxBase", amount(line.other_tax_base)),
        ("VATRate", amount(line.rate * 100)),
        ("VAT", amount(line.tax)),
        ("STLGRate", "0"),
        ("STLG", "0"),
    ):
        _element(good, name, value)


def tax_invoice_bulk(seller_tin: str, tax_invoices: list[TaxInvoice]) -> bytes:
    """The ``TaxInvoiceBulk`` XML document of ``tax_invoices`` (UTF-8)."""
    root = ET.Element(
        "TaxInvoiceBulk",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "TaxInvoice.xsd",
        },
    )
    _element(root, "TIN", seller_tin)
    listed = ET.SubElement(root, "ListOfTaxInvoice")
    for tax in tax_invoices:
        node = ET.SubElement(listed, "TaxInvoice")
        for name, value in (
            ("TaxInvoiceDate", tax.date.isoformat()),
            ("TaxInvoiceOpt", "Normal"),
            ("TrxCode", tax.transaction_code),
            ("AddInfo", EXEMPT_ADD_INFO if tax.exempt else ""),
            ("CustomDoc", ""),
            ("CustomDocMonthYear", ""),
            ("RefDesc", tax.number),
            ("FacilityStamp", EXEMPT_FACILITY if tax.exempt else ""),
            ("SellerIDTKU", tax.seller.nitku or ""),
            *_buyer_fields(tax),
        ):
            _element(node, name, value)
        goods = ET.SubElement(node, "ListOfGoodService")
        for line in tax.lines:
            _good_service(goods, line)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def tax_return_bulk(seller_tin: str, returns: list[TaxReturn]) -> bytes:
    """The ``ReturnTaxInvoiceBulk`` XML document of ``returns`` (UTF-8): per credit note,
    the tax invoice it returns (its reference and date), the buyer, and the goods that
    came back with their DPP, DPP nilai lain and PPN, as positive figures."""
    root = ET.Element(
        "ReturnTaxInvoiceBulk",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "ReturnTaxInvoice.xsd",
        },
    )
    _element(root, "TIN", seller_tin)
    listed = ET.SubElement(root, "ListOfReturnTaxInvoice")
    for back in returns:
        tax = back.invoice
        node = ET.SubElement(listed, "ReturnTaxInvoice")
        buyer = dict(_buyer_fields(tax))
        for name, value in (
            ("ReturnDate", back.date.isoformat()),
            ("ReturnRefDesc", back.number),
            ("TaxInvoiceRefDesc", tax.number),
            ("TaxInvoiceDate", tax.date.isoformat()),
            ("TrxCode", tax.transaction_code),
            ("SellerIDTKU", tax.seller.nitku or ""),
            *((name, buyer[name]) for name in RETURN_BUYER_FIELDS),
            ("TotalTaxBase", amount(back.tax_base)),
            ("TotalOtherTaxBase", amount(back.other_tax_base)),
            ("TotalVAT", amount(back.tax)),
        ):
            _element(node, name, value)
        goods = ET.SubElement(node, "ListOfGoodService")
        for line in tax.lines:
            _good_service(goods, line)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


#: the buyer fields a return repeats from its tax invoice
RETURN_BUYER_FIELDS = (
    "BuyerTin",
    "BuyerDocument",
    "BuyerDocumentNumber",
    "BuyerName",
    "BuyerIDTKU",
)


def export_returns(session: Session, month: str | None) -> bytes:
    """The returns (retur PPN) of ``month``'s credit notes as XML."""
    returns = tax_returns_of_month(session, month)
    seller = seller_of(session)
    if not seller.npwp:
        raise Refused("Fill in the shop's NPWP in the settings before exporting tax invoices")
    return tax_return_bulk(seller.npwp, returns)


def export_month(session: Session, month: str | None) -> bytes:
    """The Coretax import file of ``month``'s output tax invoices."""
    tax_invoices = tax_invoices_of_month(session, month)
    seller = seller_of(session)
    assert seller.npwp is not None  # checked by tax_invoices_of_month
    return tax_invoice_bulk(seller.npwp, tax_invoices)


#: the TaxInvoice figures the recap totals
FIGURES = ("tax_base", "other_tax_base", "tax")
RECAP_COLUMNS = [
    "nomor_faktur",
    "tanggal",
    "kode_transaksi",
    "nama_pembeli",
    "jenis_dokumen_pembeli",
    "npwp_nik_pembeli",
    "dpp",
    "dpp_nilai_lain",
    "ppn",
]


def recap_csv(tax_invoices: list[TaxInvoice], returns: Sequence[TaxReturn] = ()) -> str:
    """One row per tax invoice, one per return (its credit note's number, figures
    negative) and a total row: the month's net output tax (numbers with a dot, so
    spreadsheets read them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RECAP_COLUMNS)
    for tax in tax_invoices:
        writer.writerow(
            [
                tax.number,
                tax.date.isoformat(),
                tax.transaction_code,
                tax.buyer.name,
                tax.buyer.document,
                tax.buyer.npwp or tax.buyer.document_number,
                amount(tax.tax_base),
                amount(tax.other_tax_base),
                amount(tax.tax),
            ]
        )
    for back in returns:
        writer.writerow(
            [
                back.number,
                back.date.isoformat(),
                back.invoice.transaction_code,
                back.invoice.buyer.name,
                back.invoice.buyer.document,
                back.invoice.buyer.npwp or back.invoice.buyer.document_number,
                *(amount(-getattr(back, name)) for name in FIGURES),
            ]
        )
    totals = [
        sum((getattr(t, name) for t in tax_invoices), Decimal(0))
        - sum((getattr(r, name) for r in returns), Decimal(0))
        for name in FIGURES
    ]
    writer.writerow(["TOTAL", "", "", "", "", "", *(amount(total) for total in totals)])
    return buffer.getvalue()


def export_recap(session: Session, month: str | None) -> str:
    """The recap of ``month``'s output tax invoices as CSV."""
    return recap_csv(tax_invoices_of_month(session, month), tax_returns_of_month(session, month))
