"""Issue 18, "Done when": the statements print. A real headless Chromium prints the Laporan
Posisi Keuangan and the Laporan Laba Rugi to PDF (``page.pdf()``, the browser's own print),
and page 1 of each, read back with pypdf, names the shop and its NPWP, gives the period as
Indonesian dates, shows the figures and leaves the screen-only links out, on an A4 page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from niaga import settings
from niaga.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.plugins("cashbank")]

A4_POINTS = (Decimal("595.3"), Decimal("841.9"))  # 210 x 297 mm


def is_a4(size: tuple[Decimal, Decimal]) -> bool:
    """Within a point of A4 (Chromium writes the page box in whole points)."""
    return all(abs(got - want) <= 1 for got, want in zip(size, A4_POINTS, strict=True))


def printed_first_page(page, url: str, title: str) -> tuple[str, tuple[Decimal, Decimal]]:
    """Open ``url``, wait for its title, print it to PDF; page 1's text and size."""
    from playwright.sync_api import expect
    from pypdf import PdfReader

    page.goto(url)
    expect(page.locator("main h1")).to_have_text(title)
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = reader.pages[0]
    box = first.mediabox
    size = (round(Decimal(str(box.width)), 1), round(Decimal(str(box.height)), 1))
    return " ".join(first.extract_text().split()), size


def test_statements_print_to_pdf_with_the_shop_and_indonesian_dates(
    books, api, owner, browser_page
):
    settings.put(books, "core.shop_name", "UD Sinar Palu")
    settings.put(books, "core.npwp", "012345678901000")
    books.commit()
    bank = next(
        a["id"]
        for a in api.get("/api/cashbank/accounts?page_size=100").get_json()
        if a["code"] == "1-1200"
    )
    for kind, amount in (("capital", "10000000"), ("prive", "250000")):
        made = api.post(
            "/api/cashbank/vouchers",
            json={"kind": kind, "date": "2026-08-05", "account_id": bank, "amount": amount},
        )
        assert made.status_code == 201, made.get_json()
    browser_login(browser_page, owner)
    period = "from=2026-08-01&to=2026-08-31&lang=id"

    text, size = printed_first_page(
        browser_page, f"/admin/cashbank/reports/neraca?{period}", "Laporan Posisi Keuangan"
    )
    assert is_a4(size), size
    for expected in (
        "UD Sinar Palu",
        "NPWP 01.234.567.8-901.000",
        "Laporan Posisi Keuangan",
        "per 31 Agustus 2026",
        "Bank BRI",
        "9.750.000",  # 10.000.000 paid in, 250.000 taken out
        "Modal Pemilik",
        "10.000.000",
    ):
        assert expected in text, (expected, text)
    assert "2026-08-31" not in text and "CSV" not in text, text

    text, size = printed_first_page(
        browser_page, f"/admin/cashbank/reports/laba-rugi?{period}", "Laporan Laba Rugi"
    )
    assert is_a4(size), size
    for expected in ("UD Sinar Palu", "Laporan Laba Rugi", "1 Agustus 2026 – 31 Agustus 2026"):
        assert expected in text, (expected, text)
    assert "CSV" not in text, text
