"""Fixtures for the payments tests: a harness per gateway, with the testorders plugin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from niaga_payments.testing import Harness, prepare
from niaga_payments.testing.midtrans import MidtransStandIn
from niaga_payments.testing.xendit import XenditStandIn


@pytest.fixture
def midtrans_standin() -> Iterator[MidtransStandIn]:
    with MidtransStandIn() as standin:
        yield standin


@pytest.fixture
def cash(app, db, api) -> Harness:
    return prepare(app, db, api, "cash")


@pytest.fixture
def transfer(app, db, api) -> Harness:
    return prepare(app, db, api, "bank_transfer", gateway_settings={"fee_fixed": "2500"})


@pytest.fixture
def midtrans(app, db, api, midtrans_standin) -> Harness:
    return prepare(app, db, api, "midtrans", midtrans_standin)


@pytest.fixture
def xendit(app, db, api) -> Iterator[Harness]:
    with XenditStandIn() as standin:
        yield prepare(app, db, api, "xendit", standin)
