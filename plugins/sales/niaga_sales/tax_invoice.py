"""What a Faktur Pajak (tax invoice) says about a sales invoice of a PKP shop.

The seller and buyer as the tax office knows them, the tax base (DPP), the "other" tax
base (DPP nilai lain: 11/12 of the DPP for ordinary goods since 2025), the PPN and the
transaction code: ``04`` when a DPP nilai lain is used, ``01`` otherwise. Every amount
comes from the stored invoice lines (each rounded once by :func:`niaga.money.line_amounts`
when the invoice was made): the PPN is their sum, never worked out again. A shop that is
not PKP issues no tax invoice (:func:`for_invoice` answers ``None``). Goods exempt from
PPN (a product of tax class ``exempt``, its lines at rate 0) make a faktur of their own
with code ``08``; a credit note makes a return (:class:`TaxReturn`) of the tax invoice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm import Session

from niaga import settings, tax_ids
from niaga.money import ZERO, distribute, round_rupiah, tax_base_parts
from niaga_sales.models import CreditNote, CreditNoteLine, Customer, Invoice, InvoiceLine

#: Coretax's buyer document types: an NPWP (``TIN``), or a NIK (``National ID``) for a
#: buyer without one; ``Other ID`` when neither is recorded.
TIN = "TIN"
NATIONAL_ID = "National ID"
OTHER_ID = "Other ID"
#: Coretax's TIN for a buyer identified by another document
NO_TIN = "0" * 16
CODE_ORDINARY = "01"
CODE_OTHER_BASE = "04"
#: goods exempt from PPN (PPN dibebaskan), e.g. basic necessities under PP 49/2022
CODE_EXEMPT = "08"
#: Coretax's additional information and facility stamp for code 08: "PPN dibebaskan
#: berdasarkan PP Nomor 49 Tahun 2022" (TD.00510 / TD.01110), the exemption of the basic
#: goods a trading shop sells
EXEMPT_ADD_INFO = "TD.00510"
EXEMPT_FACILITY = "TD.01110"


@dataclass(frozen=True)
class Party:
    """A seller or buyer on a tax invoice; ``npwp`` in 16 digits or ``None``."""

    name: str
    address: str
    npwp: str | None
    nitku: str | None
    document: str
    document_number: str

    @property
    def npwp_text(self) -> str:
        """The NPWP as people write it (empty when there is none)."""
        return tax_ids.format_npwp(self.npwp)


@dataclass(frozen=True)
class TaxLine:
    """One item of the tax invoice: a stored invoice line of goods, with its share of the
    document's adjustments (a voucher or order discount) taken in, as Coretax accepts no
    negative lines. ``discount`` is the line discount plus that share."""

    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_base: Decimal
    #: the stored tax base as a fraction of the net (``11/12`` -> 0.9166…)
    base_fraction: Decimal
    other_tax_base: Decimal
    rate: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxInvoice:
    """The figures of the Faktur Pajak of one invoice."""

    number: str
    date: dt.date
    transaction_code: str
    seller: Party
    buyer: Party
    lines: tuple[TaxLine, ...]

    @property
    def tax_base(self) -> Decimal:
        """DPP: the sum of the lines' net amounts (the invoice's subtotal)."""
        return sum((line.tax_base for line in self.lines), ZERO)

    @property
    def other_tax_base(self) -> Decimal:
        """DPP nilai lain: the sum of each line's DPP × its tax base fraction, each rounded
        to the rupiah (half up)."""
        return sum((line.other_tax_base for line in self.lines), ZERO)

    @property
    def tax(self) -> Decimal:
        """PPN: the sum of the stored lines' tax."""
        return sum((line.tax for line in self.lines), ZERO)

    @property
    def uses_other_tax_base(self) -> bool:
        return self.transaction_code == CODE_OTHER_BASE

    @property
    def exempt(self) -> bool:
        return self.transaction_code == CODE_EXEMPT

    @classmethod
    def build(cls, invoice: Invoice, seller: Party) -> TaxInvoice:
        """The tax invoice of ``invoice`` issued by ``seller``, all its goods together
        (what the printed invoice shows)."""
        lines = tuple(_goods_lines(invoice.lines))
        return cls(
            number=invoice.number,
            date=invoice.invoice_date,
            transaction_code=code_of(lines),
            seller=seller,
            buyer=buyer_of(invoice.customer),
            lines=lines,
        )

    def parts(self) -> list[TaxInvoice]:
        """One tax invoice per transaction code, as Coretax takes one code per faktur:
        the taxed goods (``01``/``04``) and the exempt goods (``08``, no PPN)."""
        taxed = tuple(line for line in self.lines if line.rate)
        exempt = tuple(line for line in self.lines if not line.rate)
        return [
            replace(self, lines=lines, transaction_code=code_of(lines))
            for lines in (taxed, exempt)
            if lines
        ]


def code_of(lines: tuple[TaxLine, ...]) -> str:
    """``04`` when a taxed line has a tax base other than the DPP, ``01`` for other
    taxed goods, ``08`` when no line carries PPN (exempt goods)."""
    if lines and not any(line.rate for line in lines):
        return CODE_EXEMPT
    if any(line.rate and line.base_fraction != 1 for line in lines):
        return CODE_OTHER_BASE
    return CODE_ORDINARY


@dataclass(frozen=True)
class TaxReturn:
    """The return (retur PPN) of a credit note against a tax invoice: what comes back,
    valued by the stored credit note lines (their share of the invoice's discounts spread
    over the goods like the invoice's own), one per transaction code like the invoice."""

    number: str
    date: dt.date
    invoice: TaxInvoice

    @property
    def tax_base(self) -> Decimal:
        return self.invoice.tax_base

    @property
    def other_tax_base(self) -> Decimal:
        return self.invoice.other_tax_base

    @property
    def tax(self) -> Decimal:
        return self.invoice.tax

    @classmethod
    def build(cls, note: CreditNote, seller: Party) -> list[TaxReturn]:
        """The returns of ``note`` (one per transaction code of the goods returned)."""
        lines = tuple(_goods_lines(note.lines))
        whole = TaxInvoice(
            number=note.invoice.number,
            date=note.invoice.invoice_date,
            transaction_code=code_of(lines),
            seller=seller,
            buyer=buyer_of(note.invoice.customer),
            lines=lines,
        )
        return [cls(note.number, note.note_date, part) for part in whole.parts()]


def _goods_lines(lines: list[InvoiceLine] | list[CreditNoteLine]) -> list[TaxLine]:
    """The goods lines with every adjustment line spread over them by their net (over the
    goods taxed alike, else over all goods) in whole rupiah, so the sums of DPP and PPN
    stay exactly those of the stored lines."""
    goods = [line for line in lines if line.kind != "adjustment"]
    net = {id(line): line.net for line in goods}
    tax = {id(line): line.tax for line in goods}
    for adjustment in (line for line in lines if line.kind == "adjustment"):
        alike = [
            line
            for line in goods
            if (line.tax_rate, line.tax_base) == (adjustment.tax_rate, adjustment.tax_base)
        ]
        over = alike or goods
        if not over:
            continue
        weights = [line.net for line in over]
        for line, share in zip(over, distribute(adjustment.net, weights), strict=True):
            net[id(line)] += share
        for line, share in zip(over, distribute(adjustment.tax, weights), strict=True):
            tax[id(line)] += share
    result = []
    for line in goods:
        numerator, denominator = tax_base_parts(line.tax_base)
        line_net = net[id(line)]
        result.append(
            TaxLine(
                description=line.description,
                unit=line.unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount + (line.net - line_net),
                tax_base=line_net,
                base_fraction=numerator / denominator,
                other_tax_base=round_rupiah(line_net * numerator / denominator),
                rate=line.tax_rate,
                tax=tax[id(line)],
            )
        )
    return result


def seller_of(session: Session) -> Party:
    """The shop as the tax office knows it, from the core settings; the NITKU is the
    head office's (NPWP + ``000000``) when none is set."""
    npwp = tax_ids.parse_npwp(settings.get(session, "core.npwp") or None)
    nitku = tax_ids.parse_nitku(settings.get(session, "core.nitku") or None)
    npwp = tax_ids.npwp16(npwp) if npwp else None
    if nitku is None and npwp:
        nitku = tax_ids.nitku_of(npwp)
    return Party(
        name=str(settings.get(session, "core.shop_name") or ""),
        address=str(settings.get(session, "core.address") or ""),
        npwp=npwp,
        nitku=nitku,
        document=TIN,
        document_number=npwp or "",
    )


def buyer_of(customer: Customer) -> Party:
    """The buyer: its NPWP, else its NIK (document ``National ID``), with the name and
    address as registered (the shop's own when none is recorded)."""
    name = customer.tax_name or customer.shop_name
    address = customer.tax_address or " ".join(
        part for part in (customer.address, customer.area) if part
    )
    if customer.npwp:
        npwp = tax_ids.npwp16(customer.npwp)
        nitku = customer.nitku or tax_ids.nitku_of(npwp)
        return Party(name, address, npwp, nitku, TIN, npwp)
    if customer.nik:
        return Party(name, address, None, customer.nitku, NATIONAL_ID, customer.nik)
    return Party(name, address, None, customer.nitku, OTHER_ID, "")


def is_pkp(session: Session) -> bool:
    """Whether the shop is a PKP (VAT-registered) and so issues tax invoices."""
    return bool(settings.get(session, "core.vat_registered"))


def for_invoice(session: Session, invoice: Invoice) -> TaxInvoice | None:
    """The tax invoice of ``invoice``, or ``None`` when the shop is not a PKP."""
    if not is_pkp(session):
        return None
    return TaxInvoice.build(invoice, seller_of(session))
