"""The skeleton of the notes to the financial statements (Catatan atas Laporan Keuangan) as
SAK EMKM orders them: the compliance statement first, then the accounting policies, then
the material items with their figures. The owner completes the text before printing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from niaga import settings
from niaga.l10n import format_day
from niaga_cashbank import ledger
from niaga_cashbank.reports import Period

COMPLIANCE = (
    "Laporan keuangan {shop} disusun sesuai dengan Standar Akuntansi Keuangan Entitas Mikro, "
    "Kecil, dan Menengah (SAK EMKM)."
)
POLICIES = (
    "Dasar penyusunan laporan keuangan adalah biaya historis dan menggunakan asumsi dasar "
    "akrual. Mata uang penyajian adalah Rupiah.",
    "Pendapatan penjualan diakui ketika faktur diterbitkan kepada pelanggan; beban diakui "
    "saat terjadi.",
    "Persediaan dicatat sebesar biaya perolehan dengan metode rata-rata tertimbang (moving "
    "average); harga pokok penjualan diakui bersamaan dengan pendapatannya.",
    "Poin loyalitas yang diberikan kepada pelanggan dicatat sebagai beban promosi dan "
    "liabilitas sebesar nilai rupiahnya; poin yang ditukar atau kedaluwarsa mengurangi "
    "liabilitas tersebut.",
    "Keuangan usaha dipisahkan dari keuangan pemilik; pengambilan pemilik dicatat sebagai "
    "prive yang mengurangi ekuitas, bukan sebagai beban.",
    "Pajak Pertambahan Nilai (PPN) keluaran dan masukan dicatat sebagai liabilitas dan aset "
    "sampai disetor atau dikompensasikan.",
)
DETAILS = (
    ("Kas dan setara kas", lambda a: bool(a.cash_kind)),
    ("Piutang usaha", lambda a: a.code.startswith("1-13")),
    ("Persediaan", lambda a: a.code.startswith("1-14")),
    ("Utang usaha dan liabilitas lain", lambda a: a.type == "liability"),
    ("Ekuitas", lambda a: a.type == "equity"),
)


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[tuple[str, str, Decimal]] = field(default_factory=list)


def notes(session: Session, period: Period) -> list[Section]:
    """Numbered sections of the notes for the period ending ``period.end``."""
    shop = settings.get_stored(session, "core.shop_name", "") or "entitas"
    sums = ledger.net(session, None, period.end)
    chart = ledger.accounts(session)
    sections = [
        Section("1. Pernyataan kepatuhan", [COMPLIANCE.format(shop=shop)]),
        Section("2. Kebijakan akuntansi", list(POLICIES)),
    ]
    for number, (title, belongs) in enumerate(DETAILS, start=3):
        figures = [
            (a.code, a.name, ledger.natural(a, sums[a.id]))
            for a in chart
            if belongs(a) and sums.get(a.id)
        ]
        as_of = format_day(period.end, language="id")  # the notes are written in Indonesian
        text = f"Rincian per {as_of}:" if figures else "Tidak ada saldo."
        sections.append(Section(f"{number}. {title}", [text], figures))
    sections.append(
        Section(
            f"{len(sections) + 1}. Informasi lain",
            ["(Diisi pemilik: peristiwa setelah periode pelaporan, komitmen, dan lain-lain.)"],
        )
    )
    return sections
