"""The Duitku adapter proved with the payments conformance kit exactly as the payments
README shows it: no hooks of our own; the kit finds and enables this plugin. Its forgery
cases include a genuine callback of a failed payment with the unsigned ``resultCode``
changed to paid, and a callback the status API contradicts."""

from __future__ import annotations

import pytest
from niaga_duitku.testing import DuitkuStandIn

from niaga_payments.testing import AdapterConformance


class TestDuitku(AdapterConformance):
    gateway = "duitku"

    @pytest.fixture
    def simulator(self):
        with DuitkuStandIn() as standin:  # subclass of niaga_payments.testing.standin.StandIn
            yield standin
