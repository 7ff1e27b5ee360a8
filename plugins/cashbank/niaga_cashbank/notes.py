"""The notes to the financial statements (Catatan atas Laporan Keuangan) as SAK EMKM orders
them: general information on the entity, the compliance statement, the accounting policies,
then the material items with their figures (cash, receivables, inventory, fixed assets when
there are any, liabilities, equity) and the PPN of the period. The owner completes the
text before printing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import settings
from niaga.l10n import format_day, format_money
from niaga.tax_ids import format_npwp
from niaga_cashbank import ledger
from niaga_cashbank.journal import rule_account
from niaga_cashbank.models import JournalEntry, JournalLine
from niaga_cashbank.reports import Period

COMPLIANCE = (
    "Laporan keuangan {shop} disusun sesuai dengan Standar Akuntansi Keuangan Entitas Mikro, "
    "Kecil, dan Menengah (SAK EMKM)."
)
POLICIES = (
    "Dasar penyusunan laporan keuangan adalah biaya historis dan menggunakan asumsi dasar "
    "akrual. Mata uang penyajian adalah Rupiah.",
    "Pendapatan penjualan diakui ketika barang diserahkan kepada pelanggan dan faktur "
    "diterbitkan (per pengiriman bila usaha menagih setiap pengiriman), sebesar nilai "
    "setelah diskon dan voucher; retur penjualan mengurangi pendapatan. Beban diakui saat "
    "terjadi.",
    "Persediaan dicatat sebesar biaya perolehan dengan metode rata-rata tertimbang (moving "
    "average); harga pokok penjualan diakui bersamaan dengan pendapatannya. Selisih harga "
    "tagihan pemasok terhadap harga saat barang diterima menambah atau mengurangi nilai "
    "persediaan yang masih ada, dan harga pokok penjualan untuk barang yang sudah terjual.",
    "Poin loyalitas yang diberikan kepada pelanggan dicatat sebagai beban promosi dan "
    "liabilitas sebesar nilai rupiahnya; poin yang ditukar atau kedaluwarsa mengurangi "
    "liabilitas tersebut.",
    "Keuangan usaha dipisahkan dari keuangan pemilik; pengambilan pemilik dicatat sebagai "
    "prive yang mengurangi ekuitas, bukan sebagai beban.",
    "Pajak Pertambahan Nilai (PPN) keluaran dan masukan dicatat sebagai liabilitas dan aset "
    "sampai disetor atau dikompensasikan.",
)
DETAILS = (
    ("Kas dan setara kas", lambda a: bool(a.cash_kind), True),
    ("Piutang usaha", lambda a: a.code.startswith("1-13"), True),
    ("Persediaan", lambda a: a.code.startswith("1-14"), True),
    ("Aset tetap", lambda a: a.type == "asset" and a.cash_flow == "investing", False),
    ("Utang usaha dan liabilitas lain", lambda a: a.type == "liability", True),
    ("Ekuitas", lambda a: a.type == "equity", True),
)


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[tuple[str, str, Decimal]] = field(default_factory=list)


def _general(session: Session, period: Period, shop: str) -> list[str]:
    """Who the entity is: name, address, NPWP, PKP status and the period covered."""
    address = settings.get_stored(session, "core.address", "")
    npwp = format_npwp(settings.get_stored(session, "core.npwp", "") or None)
    pkp = bool(settings.get_stored(session, "core.vat_registered", False))
    start, end = (format_day(day, language="id") for day in (period.start, period.end))
    return [
        f"{shop} adalah usaha perdagangan"
        + (f" yang beralamat di {address}." if address else ".")
        + (f" NPWP: {npwp}." if npwp else " NPWP belum dicatat."),
        "Usaha terdaftar sebagai Pengusaha Kena Pajak (PKP) dan memungut PPN atas penjualan."
        if pkp
        else "Usaha bukan Pengusaha Kena Pajak (PKP).",
        f"Laporan keuangan ini meliputi periode {start} sampai dengan {end}, disajikan dalam "
        "Rupiah.",
    ]


def _vat_moved(session: Session, account_id: int, period: Period) -> Decimal:
    """Debits less credits on a PPN account in the period, leaving out the month's PPN
    closing (``tax_*`` events), which empties the account into Utang PPN."""
    total = session.scalar(
        sa.select(sa.func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalEntry.posted.is_(True),
            JournalEntry.date >= period.start,
            JournalEntry.date <= period.end,
            JournalLine.account_id == account_id,
            sa.or_(JournalEntry.event.is_(None), ~JournalEntry.event.startswith("tax_")),
        )
    )
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def _vat(session: Session, period: Period) -> Section:
    """Output and input PPN of the period and what is left to pay (or to carry over)."""
    output = rule_account(session, "sales_invoice_issued", "output_vat")
    input_ = rule_account(session, "purchasing_bill_posted", "input_vat")
    collected = -_vat_moved(session, output.id, period)
    paid = _vat_moved(session, input_.id, period)
    figures = [
        (output.code, f"{output.name} periode ini", collected),
        (input_.code, f"{input_.name} periode ini", paid),
    ]
    difference = collected - paid
    if difference >= 0:
        text = f"PPN kurang bayar periode ini: {format_money(difference)}."
    else:
        text = f"PPN lebih bayar periode ini: {format_money(-difference)} (dapat dikompensasikan)."
    return Section("PPN", ["Pajak Pertambahan Nilai yang dipungut dan dibayar:", text], figures)


def notes(session: Session, period: Period) -> list[Section]:
    """Numbered sections of the notes for the period ending ``period.end``."""
    shop = settings.get_stored(session, "core.shop_name", "") or "entitas"
    sums = ledger.net(session, None, period.end)
    chart = ledger.accounts(session)
    sections = [
        Section("1. Informasi umum", _general(session, period, shop)),
        Section("2. Pernyataan kepatuhan", [COMPLIANCE.format(shop=shop)]),
        Section("3. Kebijakan akuntansi", list(POLICIES)),
    ]
    as_of = format_day(period.end, language="id")  # the notes are written in Indonesian
    for title, belongs, always in DETAILS:
        figures = [
            (a.code, a.name, ledger.natural(a, sums[a.id]))
            for a in chart
            if belongs(a) and sums.get(a.id)
        ]
        if not figures and not always:
            continue
        text = f"Rincian per {as_of}:" if figures else "Tidak ada saldo."
        sections.append(Section(f"{len(sections) + 1}. {title}", [text], figures))
    vat = _vat(session, period)
    if any(amount for _, _, amount in vat.figures):
        vat.title = f"{len(sections) + 1}. {vat.title}"
        sections.append(vat)
    sections.append(
        Section(
            f"{len(sections) + 1}. Informasi lain",
            ["(Diisi pemilik: peristiwa setelah periode pelaporan, komitmen, dan lain-lain.)"],
        )
    )
    return sections
