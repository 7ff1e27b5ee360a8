"""Demo data: a bank account for transfers and a QRIS merchant, so the payment pages have
something to show."""

from __future__ import annotations

from sqlalchemy.orm import Session

from niaga import settings

DEMO_SETTINGS = {
    "payments.bank_transfer_bank_name": "BCA",
    "payments.bank_transfer_account_number": "1234567890",
    "payments.bank_transfer_account_holder": "Toko Demo Niaga",
    "payments.qris_enabled": True,
    "payments.qris_nmid": "ID1020021234567",
    "payments.qris_merchant_name": "TOKO DEMO NIAGA",
    "payments.qris_merchant_city": "BANDUNG",
    "payments.qris_postal_code": "40115",
    "payments.cod_enabled": True,
}


def load(session: Session) -> None:
    """Store the demo payment settings."""
    for key, value in DEMO_SETTINGS.items():
        settings.put(session, key, value)
