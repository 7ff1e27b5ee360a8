"""Built-in gateway adapters; each registers through ``payments_gateways`` like a
third party's would."""

from __future__ import annotations

from niaga_payments.adapters import GatewayAdapter
from niaga_payments.gateways.doku import Doku
from niaga_payments.gateways.ipaymu import Ipaymu
from niaga_payments.gateways.manual import BankTransfer, Cash, CashOnDelivery
from niaga_payments.gateways.midtrans import Midtrans
from niaga_payments.gateways.qris import StaticQris
from niaga_payments.gateways.xendit import Xendit


def builtin() -> list[GatewayAdapter]:
    """One instance of every built-in adapter."""
    return [
        Cash(),
        BankTransfer(),
        CashOnDelivery(),
        StaticQris(),
        Midtrans(),
        Xendit(),
        Doku(),
        Ipaymu(),
    ]
