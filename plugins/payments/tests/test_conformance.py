"""Every built-in adapter passes the conformance kit (niaga_payments.testing), the gateways
with servers against their local stand-ins over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from niaga_payments.testing import AdapterConformance
from niaga_payments.testing.doku import DokuStandIn
from niaga_payments.testing.ipaymu import IpaymuStandIn
from niaga_payments.testing.midtrans import MidtransStandIn
from niaga_payments.testing.xendit import XenditStandIn


class TestCash(AdapterConformance):
    gateway = "cash"


class TestBankTransfer(AdapterConformance):
    gateway = "bank_transfer"

    @pytest.fixture
    def gateway_settings(self) -> dict:
        return {"bank_name": "BCA", "account_number": "1234567890", "account_holder": "Toko"}


class TestCashOnDelivery(AdapterConformance):
    gateway = "cod"


class TestStaticQris(AdapterConformance):
    gateway = "qris"

    @pytest.fixture
    def gateway_settings(self) -> dict:
        return {"nmid": "ID1020021234567", "merchant_name": "TOKO UJI", "merchant_city": "MEDAN"}


class TestMidtrans(AdapterConformance):
    gateway = "midtrans"

    @pytest.fixture
    def simulator(self) -> Iterator[MidtransStandIn]:
        with MidtransStandIn() as standin:
            yield standin


class TestXendit(AdapterConformance):
    gateway = "xendit"

    @pytest.fixture
    def simulator(self) -> Iterator[XenditStandIn]:
        with XenditStandIn() as standin:
            yield standin


class TestDoku(AdapterConformance):
    gateway = "doku"

    @pytest.fixture
    def simulator(self) -> Iterator[DokuStandIn]:
        with DokuStandIn() as standin:
            yield standin


class TestIpaymu(AdapterConformance):
    gateway = "ipaymu"

    @pytest.fixture
    def simulator(self) -> Iterator[IpaymuStandIn]:
        with IpaymuStandIn() as standin:
            yield standin
