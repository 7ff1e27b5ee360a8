"""Journal descriptions read as words (issue 21): automatic entries are written without
codes ("pindah gudang masuk", "transfer bank"), and the journal page shows any description,
also one written before, with its document references by name."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.runtime import hooks
from niaga.testing import shop_today
from niaga_cashbank import wording
from niaga_cashbank.chart import account_by_code
from niaga_cashbank.journal import Leg, post
from niaga_cashbank.models import JournalEntry

pytestmark = pytest.mark.plugins("cashbank", "inventory")


def test_codes_become_words():
    assert wording.words("Persediaan transfer_in inventory.transfer:9f (rak 2)") == (
        "Persediaan pindah gudang masuk inventory.transfer:9f (rak 2)"
    )
    assert wording.words("Pembayaran INV-0005 (bank_transfer) Toko Sejahtera") == (
        "Pembayaran INV-0005 (transfer bank) Toko Sejahtera"
    )
    assert wording.words("Poin loyalitas earn sales.pos_sale:3") == (
        "Poin loyalitas didapat sales.pos_sale:3"
    )
    # a person's own words in brackets stay as they are
    assert wording.words("Beli ATK (kantor)") == "Beli ATK (kantor)"


def test_automatic_entries_are_written_without_codes(books, build):
    invoice = build.document("sales.invoice", 5, "100000", "11000")
    hooks().sales_invoice_issued(session=books, invoice=invoice)
    hooks().sales_invoice_paid(
        session=books,
        invoice=invoice,
        payment=build.payment(3, invoice.reference, "111000", "bank_transfer"),
    )
    hooks().inventory_stock_moved(
        session=books, moves=[build.move(1, "opening", "50000", "inventory.opening:ab12")]
    )
    books.commit()
    texts = books.scalars(sa.select(JournalEntry.description).order_by(JournalEntry.id)).all()
    assert "Pembayaran INVOICE-0005 (transfer bank) Toko Sejahtera" in texts
    assert "Persediaan stok awal inventory.opening:ab12" in texts  # shown by name
    assert not any("bank_transfer" in text or " opening " in text for text in texts)


def test_the_journal_page_shows_references_by_name(books, logged_in):
    # an entry written before the words: its description carries the raw codes
    cash, capital = account_by_code(books, "1-1100"), account_by_code(books, "3-1000")
    post(
        books,
        date=shop_today(books),
        description="Persediaan adjustment inventory.adjustment:3f2a",
        legs=[Leg(cash, debit=Decimal(1000)), Leg(capital, credit=Decimal(1000))],
        reference="inventory.adjustment:3f2a",
    )
    books.commit()
    html = logged_in.get("/admin/cashbank/journal").get_data(as_text=True)
    assert "Persediaan koreksi stok Koreksi stok" in html
    assert not re.search(r"inventory\.adjustment:|>adjustment<| adjustment ", html)
