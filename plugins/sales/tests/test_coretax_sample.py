"""The Coretax import file is exactly the kept sample (tests/data/coretax_sample.xml) for
two tax invoices written out here: one to a buyer with an NPWP (code 04, DPP nilai lain),
one to a buyer named by NIK on goods taxed on the full price (code 01). The sample is also
what a shop owner can compare a file with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from niaga_sales.coretax import tax_invoice_bulk
from niaga_sales.tax_invoice import Party, TaxInvoice, TaxLine

SAMPLE = Path(__file__).parent / "data" / "coretax_sample.xml"
ELEVEN_TWELFTHS = Decimal(11) / Decimal(12)

SELLER = Party(
    "PT Distribusi Palu",
    "Jl. Gajah Mada 10, Palu",
    "0012345678901000",
    "0012345678901000000000",
    "TIN",
    "0012345678901000",
)


def line(name: str, unit: str, quantity: str, price: str, discount: str, **figures) -> TaxLine:
    return TaxLine(
        description=name,
        unit=unit,
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        discount=Decimal(discount),
        rate=Decimal("0.12"),
        **{
            key: Decimal(value) if isinstance(value, str) else value
            for key, value in figures.items()
        },
    )


def test_two_tax_invoices_make_the_sample_file():
    with_npwp = TaxInvoice(
        number="INV/2026/11/0007",
        date=dt.date(2026, 11, 3),
        transaction_code="04",
        seller=SELLER,
        buyer=Party(
            "CV Sinar Palu Abadi",
            "Jl. Sis Aljufri 5, Palu",
            "0098765432109000",
            "0098765432109000000000",
            "TIN",
            "0098765432109000",
        ),
        lines=(
            # 24 × 3.000 = 72.000; DPP nilai lain 66.000; PPN 12 % of it = 7.920
            line(
                "Kopi sachet",
                "dus",
                "24",
                "3000",
                "0",
                tax_base="72000",
                base_fraction=ELEVEN_TWELFTHS,
                other_tax_base="66000",
                tax="7920",
            ),
        ),
    )
    with_nik = TaxInvoice(
        number="INV/2026/11/0008",
        date=dt.date(2026, 11, 4),
        transaction_code="01",
        seller=SELLER,
        buyer=Party(
            "Bu Sri", "Jl. Tadulako 3, Palu", None, None, "National ID", "7271015203900001"
        ),
        lines=(
            # 2,5 × 10.000 = 25.000 less 1.000; PPN 12 % of 24.000 = 2.880
            line(
                "Minyak & gula",
                "kg",
                "2.5",
                "10000",
                "1000",
                tax_base="24000",
                base_fraction=Decimal(1),
                other_tax_base="24000",
                tax="2880",
            ),
        ),
    )
    written = tax_invoice_bulk("0012345678901000", [with_npwp, with_nik])
    assert written == SAMPLE.read_bytes()


def test_the_sample_meets_the_schema():
    from niaga_sales.testing import assert_schema_valid

    assert_schema_valid(SAMPLE.read_bytes(), "TaxInvoice.xsd")
