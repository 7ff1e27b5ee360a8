"""A retailer pays an invoice from the portal by bank transfer with a proof, in Chromium and
in Indonesian, and the shop confirms it on the payment page: "Bayar sekarang" on the
invoice list, the shop's account on the pay screen, the photo of the transfer sent, "Konfirmasi
dana diterima" by the cashier, and the invoice paid in full."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from niaga.testing import browser_login
from niaga_payments.models import Payment, TransferProof
from niaga_payments.testing import configure
from niaga_sales.testing import invoiced

pytestmark = [pytest.mark.browser, pytest.mark.plugins("sales", "payments")]

ACCOUNT = {
    "enabled": True,
    "bank_name": "BRI",
    "account_number": "0123-01-000456-30-1",
    "account_holder": "Toko Sinar Palu",
}


def png() -> bytes:
    """A real 1×1 PNG, as a phone's screenshot of the transfer would be."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def rupiah(amount: Decimal) -> str:
    return "Rp " + f"{int(amount):,}".replace(",", ".")


def test_a_retailer_pays_an_invoice_by_transfer_with_proof(
    browser_page, niaga_browser, live_server, api, db, make_user, tmp_path: Path
):
    from playwright.sync_api import expect

    configure(db, "bank_transfer", ACCOUNT)
    retailer = make_user("retailer", email="sinar@toko.id")
    shop = api.post(
        "/api/sales/customers", json={"shop_name": "Toko Sinar", "user_id": retailer.id}
    )
    line = {"description": "Beras 5 kg", "quantity": "3", "unit_price": "70000"}
    invoice = invoiced(api, shop.get_json()["id"], [line])
    total = Decimal(invoice["total"])
    assert total == Decimal(3 * 70000) + Decimal(invoice["tax"])
    db.commit()

    page = browser_page
    browser_login(page, retailer)
    page.goto("/portal/sales/invoices")
    page.get_by_role("link", name="Bayar sekarang").click()
    expect(page.get_by_role("heading", name="Bayar sekarang")).to_be_visible()
    expect(page.get_by_text(rupiah(total))).to_be_visible()
    page.get_by_label("Transfer bank manual").check()
    page.get_by_role("button", name="Bayar sekarang").click()
    expect(page.locator(".flash")).to_contain_text("Pembayaran dimulai")
    expect(page.get_by_text("0123-01-000456-30-1")).to_be_visible()  # where to send it
    expect(page.get_by_text(invoice["number"])).to_be_visible()  # the invoice by its name
    expect(page.locator("dd code").first).to_have_text(rupiah(total))  # Jumlah, in rupiah
    assert "sales.invoice:" not in page.locator("main").inner_text()
    expect(page.get_by_text("menunggu")).to_be_visible()
    proof = tmp_path / "bukti-transfer.png"
    proof.write_bytes(png())
    page.get_by_label("Bukti transfer").set_input_files(str(proof))
    page.get_by_role("button", name="Kirim bukti").click()
    expect(page.locator(".flash")).to_contain_text("Bukti diterima")

    db.expire_all()
    payment = db.scalar(
        sa.select(Payment).where(Payment.target == f"sales.invoice:{invoice['id']}")
    )
    [kept] = db.scalars(
        sa.select(TransferProof).where(TransferProof.payment_id == payment.id)
    ).all()
    assert (payment.gateway, payment.status, payment.amount) == ("bank_transfer", "pending", total)
    assert kept.content == png() and kept.content_type == "image/png"
    payment_id = payment.id
    db.rollback()  # end the read: on SQLite it holds the lock the server needs

    staff = niaga_browser.new_context(base_url=live_server, locale="en-US")
    cashier = staff.new_page()
    browser_login(cashier, make_user("cashier", email="kasir.transfer@toko.id"))
    cashier.goto(f"/admin/payments/{payment_id}")
    expect(cashier.get_by_role("link", name="bukti-transfer.png")).to_be_visible()
    expect(cashier.get_by_role("link", name=invoice["number"])).to_be_visible()
    cashier.get_by_role("button", name="Konfirmasi dana diterima").click()
    expect(cashier.locator(".flash")).to_contain_text("Pembayaran dikonfirmasi")
    staff.close()

    page.goto("/portal/sales/invoices")
    expect(page.locator(".badge").filter(has_text="lunas")).to_have_text("lunas")
    expect(page.get_by_role("link", name="Bayar sekarang")).to_have_count(0)
    after = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    db.commit()
    assert after["state"] == "paid" and Decimal(after["open_amount"]) == 0
