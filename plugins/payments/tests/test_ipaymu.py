"""iPaymu against its stand-in: the hosted page, whose transaction id arrives only with the
first callback and is then kept for reconciliation, and pay codes for Alfamart and
Indomaret counters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from niaga_payments import states
from niaga_payments.testing import Harness, prepare
from niaga_payments.testing.ipaymu import IpaymuStandIn

pytestmark = pytest.mark.plugins("payments")


@pytest.fixture
def ipaymu(app, db, api) -> Iterator[Harness]:
    with IpaymuStandIn() as standin:
        yield prepare(app, db, api, "ipaymu", standin)


def test_hosted_page_learns_the_transaction_id_from_the_first_callback(ipaymu: Harness):
    payment = ipaymu.start(ipaymu.order("85000"), method="ewallet")
    assert payment["external_id"] is None and payment["redirect_url"].endswith(
        payment["instructions"]["session_id"]
    )
    trx_id = str(ipaymu.sim.transaction(payment["reference"])["trx_id"])
    assert ipaymu.notify(payment, "pending") == 200
    assert ipaymu.payment(payment["id"]).external_id is None  # a pending word moves nothing
    ipaymu.sim.settle(payment["reference"], "paid")
    assert ipaymu.notify(payment, "paid") == 200  # confirmed by the status check
    stored = ipaymu.payment(payment["id"])
    assert stored.status == states.PAID and stored.external_id == trx_id
    assert len(ipaymu.heard("paid")) == 1


@pytest.mark.parametrize("outlet", ["alfamart", "indomaret"])
def test_retail_outlet_pay_code(ipaymu: Harness, outlet: str):
    payment = ipaymu.start(
        ipaymu.order("60000"), method="retail_outlet", customer={"channel": outlet}
    )
    txn = ipaymu.sim.transaction(payment["reference"])
    assert txn["via"] == "cstore" and txn["channel"] == outlet
    assert payment["instructions"]["payment_code"] == txn["payment_no"]
    assert payment["instructions"]["channel"] == outlet
    ipaymu.pay(payment)
    assert ipaymu.payment(payment["id"]).status == states.PAID
