"""The payments test kit: a conformance suite any gateway adapter runs to prove it honours
the payment lifecycle, and the pieces it is built from.

A third party proves its adapter like the built-ins do::

    import pytest
    from niaga_payments.testing import AdapterConformance

    class TestMyGateway(AdapterConformance):
        gateway = "mygateway"

        @pytest.fixture
        def simulator(self):
            with MyGatewayStandIn() as standin:   # a niaga_payments.testing.standin.StandIn
                yield standin

Adapters without a server (cash and the like) leave ``simulator`` as ``None`` and may
override ``gateway_settings``. The kit enables the plugin that provides ``gateway`` itself.
What is tested follows the adapter's ``capabilities``. Money moves through the
``testorders`` plugin (:mod:`niaga_payments.testing.orders`), which owns the documents paid
and counts the events it hears.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, ClassVar

import marshmallow as ma
import pytest
import sqlalchemy as sa
from flask import Flask

from niaga import lifecycle, settings
from niaga.runtime import forget_enabled_plugins
from niaga_payments import registry, states
from niaga_payments.adapters import CAPABILITIES, METHODS
from niaga_payments.models import Payment, PaymentEvent, PaymentTransition
from niaga_payments.testing import orders
from niaga_payments.testing.standin import Notification, StandIn, deliver

SECRET_WORDS = ("secret", "token", "password", "private")


def looks_secret(name: str) -> bool:
    """Whether a setting's name says it holds a secret (a client or public key does not)."""
    if any(word in name for word in SECRET_WORDS):
        return True
    return name.endswith("key") and not name.startswith(("client", "public"))


def looks_signature(name: str) -> bool:
    """Whether a field's name says it holds a signature or a secret."""
    return "signature" in name.lower() or looks_secret(name.lower())


def _fields(value: Any) -> Iterator[tuple[str, Any]]:
    """Every ``(name, value)`` of a JSON value, at any depth."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield str(name), item
            yield from _fields(item)
    elif isinstance(value, list):
        for item in value:
            yield from _fields(item)


@contextmanager
def live_server(app: Flask, threads: int = 8) -> Iterator[str]:
    """Serve ``app`` with Waitress on 127.0.0.1 (a free port) in a thread; yields its URL."""
    import waitress.server

    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=threads)
    closing = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:
            # closing the sockets under Waitress' select loop is how it stops here
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        closing.set()
        server.close()
        thread.join(timeout=10)


def configure(db: Any, gateway: str, values: dict[str, Any]) -> None:
    """Store ``payments.<gateway>_<field>`` settings and commit."""
    for name, value in values.items():
        settings.put(db, f"payments.{gateway}_{name}", value)
    db.commit()


class Harness:
    """What a payments test needs at hand: orders to pay, the API, counts."""

    def __init__(self, app: Flask, db: Any, api: Any, gateway: str, sim: StandIn | None):
        self.app, self.db, self.api, self.gateway, self.sim = app, db, api, gateway, sim
        self._next_order = 0

    @property
    def webhook(self) -> str:
        return registry.webhook_path(self.gateway)

    def order(self, total: str = "150000", owner: Any = None) -> str:
        """A new test order owing ``total`` (of the user ``owner``, if any); returns its
        reference."""
        self._next_order += 1
        owner_id = owner.id if owner is not None else None
        reference = orders.add_order(self.db, self._next_order, Decimal(total), owner_id)
        self.db.commit()
        return reference

    def start(self, target: str, **extra: Any) -> dict[str, Any]:
        """Start a payment through the API; returns its JSON."""
        response = self.api.post(
            "/api/payments/", json={"target": target, "gateway": self.gateway, **extra}
        )
        self.db.commit()  # the test client shares this session: end what the request read
        assert response.status_code == 201, response.json
        return response.json

    def payment(self, payment_id: int) -> Payment:
        self.db.expire_all()
        payment = self.db.get(Payment, payment_id)
        assert payment is not None
        self.db.commit()  # end the read: on SQLite it would hold back other writers
        return payment

    def deliver(self, notification: Notification, target: Any = None) -> int:
        """Send a notification to the app (test client by default, or a live URL)."""
        status = deliver(target or self.app.test_client(), self.webhook, notification)
        self.db.commit()
        return status

    def notify(self, payment: dict[str, Any], status: str, **kwargs: Any) -> int:
        assert self.sim is not None
        return self.deliver(self.sim.notification(payment["reference"], status, **kwargs))

    def transitions(self, payment_id: int, to: str | None = None) -> list[PaymentTransition]:
        self.db.expire_all()
        statement = sa.select(PaymentTransition).where(PaymentTransition.payment_id == payment_id)
        if to:
            statement = statement.where(PaymentTransition.to_status == to)
        return self._read(statement)

    def events(self, **where: Any) -> list[PaymentEvent]:
        self.db.expire_all()
        return self._read(sa.select(PaymentEvent).filter_by(**where).order_by(PaymentEvent.id))

    def heard(self, hook: str | None = None) -> list[Any]:
        """Calls the testorders plugin heard (``paid``, ``refunded``, ``status:a>b``)."""
        found = orders.recorded(self.db, hook)
        self.db.commit()
        return found

    def _read(self, statement: Any) -> list[Any]:
        self.db.expire_all()
        found = list(self.db.scalars(statement))
        self.db.commit()
        return found

    def pay(self, payment: dict[str, Any]) -> None:
        """Bring ``payment`` to paid the way its gateway does."""
        if self.sim is not None:
            self.sim.settle(payment["reference"], "paid")
            assert self.notify(payment, "paid") == 200
        else:
            response = self.api.post(f"/api/payments/{payment['id']}/confirm", json={})
            self.db.commit()
            assert response.status_code == 200, response.json


def enable_provider(app: Flask, db: Any, gateway: str) -> None:
    """Enable the installed plugin whose ``payments_gateways`` offers ``gateway`` (and what
    it needs), so an adapter in its own distribution is tested with no hooks of its own."""
    host = app.extensions["niaga"].host
    for name, adapters in host.collect("payments_gateways"):
        if any(adapter.name == gateway for adapter in adapters):
            lifecycle.enable(db, host, name, with_deps=True)
            db.commit()
            break
    forget_enabled_plugins()


def prepare(
    app: Flask,
    db: Any,
    api: Any,
    gateway: str,
    simulator: StandIn | None = None,
    gateway_settings: dict[str, Any] | None = None,
) -> Harness:
    """Install the testorders plugin, enable the plugin providing ``gateway``, switch the
    gateway on (pointed at ``simulator``) and return a :class:`Harness`."""
    db.commit()
    orders.install(app)
    enable_provider(app, db, gateway)
    values = {"enabled": True, **(gateway_settings or {})}
    if simulator is not None:
        values.update(simulator.settings)
        registry.use_standin(app, gateway, simulator.base_url)
    configure(db, gateway, values)
    return Harness(app, db, api, gateway, simulator)


@pytest.mark.plugins("payments")
class AdapterConformance:
    """The conformance suite; subclass it as ``Test<Gateway>`` and set ``gateway``."""

    gateway: ClassVar[str] = ""

    @pytest.fixture
    def simulator(self) -> Iterator[StandIn | None]:
        """The gateway's stand-in server (``None`` for gateways without a server)."""
        yield None

    @pytest.fixture
    def gateway_settings(self) -> dict[str, Any]:
        """Settings for the gateway besides the simulator's (``enabled`` is implied)."""
        return {}

    @pytest.fixture
    def payments(
        self,
        app: Flask,
        db: Any,
        api: Any,
        simulator: StandIn | None,
        gateway_settings: dict[str, Any],
    ) -> Harness:
        return prepare(app, db, api, self.gateway, simulator, gateway_settings)

    @property
    def adapter(self) -> Any:
        return registry.adapter(self.gateway)

    def can(self, capability: str) -> bool:
        return capability in self.adapter.capabilities

    # --- what the adapter says about itself ------------------------------------------

    def test_declares_itself(self, payments: Harness) -> None:
        adapter = self.adapter
        assert adapter.name == self.gateway
        assert adapter.label.get("id") and adapter.label.get("en")
        assert adapter.methods and set(adapter.methods) <= set(METHODS)
        assert adapter.capabilities <= CAPABILITIES
        assert ("webhook" in adapter.capabilities) == (payments.sim is not None)

    def test_settings_have_defaults_and_secrets_are_masked(self, payments: Harness) -> None:
        schema = registry.settings_schema()().fields
        own = registry.gateway_fields(self.adapter)
        for name, field in own.items():
            assert f"{self.gateway}_{name}" in schema
            assert field.load_default is not ma.missing, f"{name} needs a default"
            if looks_secret(name):
                assert field.metadata.get("secret"), f"{name} must be marked secret"

    def test_no_setting_sends_keys_to_another_host(self, payments: Harness) -> None:
        adapter = self.adapter
        if not adapter.sandbox_url:
            pytest.skip("the gateway has no server")
        standins = payments.app.config.setdefault("PAYMENTS_STANDIN_URLS", {})
        saved = standins.pop(self.gateway, None)
        try:
            for name, field in registry.gateway_fields(adapter).items():
                if isinstance(field, ma.fields.String) and name != "environment":
                    configure(payments.db, self.gateway, {name: "https://attacker.example"})
            configure(payments.db, self.gateway, {"environment": "production"})
            assert registry.context(payments.db, adapter).base_url == adapter.production_url
            configure(payments.db, self.gateway, {"environment": "sandbox"})
            assert registry.context(payments.db, adapter).base_url == adapter.sandbox_url
            standins[self.gateway] = "https://attacker.example"  # only local stand-ins count
            assert registry.context(payments.db, adapter).base_url == adapter.sandbox_url
        finally:
            standins.pop(self.gateway, None)
            if saved is not None:
                standins[self.gateway] = saved

    # --- the lifecycle ------------------------------------------------------------------

    def test_amount_comes_from_the_document_never_the_client(self, payments: Harness) -> None:
        target = payments.order("150000")
        refused = payments.api.post(
            "/api/payments/",
            json={"target": target, "gateway": self.gateway, "amount": "1000"},
        )
        assert refused.status_code == 422
        payment = payments.start(target)
        assert Decimal(payment["amount"]) == Decimal("150000")
        assert payment["status"] in states.OPEN
        if payments.sim is not None:
            assert payments.sim.amount_sent(payment["reference"]) == 150000  # whole rupiah
        again = payments.start(target)
        assert again["id"] == payment["id"]  # one open payment per document and gateway

    def test_pays_exactly_once(self, payments: Harness) -> None:
        payment = payments.start(payments.order())
        if payments.sim is not None:
            payments.sim.settle(payment["reference"], "paid")
            paid = payments.sim.notification(payment["reference"], "paid")
            assert [payments.deliver(paid) for _ in range(3)] == [200, 200, 200]
        else:
            payments.pay(payment)
            again = payments.api.post(f"/api/payments/{payment['id']}/confirm", json={})
            assert again.status_code == 422
        assert payments.payment(payment["id"]).status == states.PAID
        assert len(payments.transitions(payment["id"], states.PAID)) == 1
        assert len(payments.heard("paid")) == 1

    def test_late_and_out_of_order_notifications_change_nothing(self, payments: Harness) -> None:
        if not self.can("webhook"):
            pytest.skip("the gateway sends no notifications")
        payment = payments.start(payments.order())
        payments.pay(payment)
        for status in payments.sim.statuses:
            assert payments.notify(payment, status) == 200
        assert payments.payment(payment["id"]).status == states.PAID
        assert len(payments.heard("paid")) == 1

    def test_forged_notification_leaves_nothing(self, payments: Harness) -> None:
        if not self.can("webhook"):
            pytest.skip("the gateway sends no notifications")
        payment = payments.start(payments.order())
        before = len(payments.events())
        forged = payments.sim.forge(payments.sim.notification(payment["reference"], "paid"))
        assert payments.deliver(forged) in (401, 403)
        assert len(payments.events()) == before
        assert payments.payment(payment["id"]).status != states.PAID
        assert payments.heard("paid") == []

    def test_signed_but_tampered_claims_of_payment_pay_nothing(self, payments: Harness) -> None:
        if not self.can("webhook"):
            pytest.skip("the gateway sends no notifications")
        payment = payments.start(payments.order())
        for tampered in payments.sim.tampered(payment["reference"]):
            assert payments.deliver(tampered) in (200, 401, 403)
        assert payments.payment(payment["id"]).status != states.PAID
        assert payments.heard("paid") == []
        for event in payments.events(payment_id=payment["id"], kind="notification"):
            assert event.outcome != "applied" or event.status != states.PAID

    def test_the_status_api_is_believed_over_a_notification(self, payments: Harness) -> None:
        if not self.can("webhook"):
            pytest.skip("the gateway sends no notifications")
        if not self.can("status"):
            assert self.adapter.signed_status, "a gateway that cannot be asked must sign status"
            pytest.skip("the gateway signs its status and cannot be asked")
        payment = payments.start(payments.order())
        assert payments.notify(payment, "paid") == 200  # the gateway still says pending
        assert payments.payment(payment["id"]).status != states.PAID
        (doubted,) = payments.events(payment_id=payment["id"], outcome="unconfirmed")
        assert doubted.flagged and doubted.status == states.PAID
        payments.sim.settle(payment["reference"], "paid")
        assert payments.notify(payment, "paid") == 200
        assert payments.payment(payment["id"]).status == states.PAID
        assert len(payments.heard("paid")) == 1

    def test_stored_notifications_hold_no_secrets(self, payments: Harness) -> None:
        if not self.can("webhook"):
            pytest.skip("the gateway sends no notifications")
        payment = payments.start(payments.order())
        payments.pay(payment)
        answer = payments.api.get(f"/api/payments/{payment['id']}/events")
        assert answer.status_code == 200
        secrets = [str(v) for k, v in payments.sim.settings.items() if looks_secret(k)]
        text = str(answer.json)
        assert secrets and not [s for s in secrets if s in text]
        for event in answer.json:
            for name, value in _fields(event["payload"]):
                assert not looks_signature(name) or value == "[redacted]", name

    def test_wrong_amount_is_recorded_and_flagged_not_applied(self, payments: Harness) -> None:
        if not self.can("webhook"):
            pytest.skip("the gateway sends no notifications")
        payment = payments.start(payments.order("150000"))
        assert payments.notify(payment, "paid", amount=Decimal("1000")) == 200
        stored = payments.payment(payment["id"])
        assert stored.status != states.PAID and stored.flagged
        flagged = payments.events(payment_id=payment["id"], outcome="amount_mismatch")
        assert len(flagged) == 1 and flagged[0].flagged
        assert payments.heard("paid") == []

    def test_reconcile_applies_what_the_gateway_says(self, payments: Harness) -> None:
        if not self.can("status"):
            pytest.skip("the gateway cannot be asked for a status")
        payment = payments.start(payments.order())
        payments.sim.settle(payment["reference"], "paid")  # the notification got lost
        response = payments.api.post("/api/payments/reconcile", json={"older_than_minutes": 0})
        assert response.status_code == 200, response.json
        assert payments.payment(payment["id"]).status == states.PAID
        assert len(payments.heard("paid")) == 1
        payments.api.post("/api/payments/reconcile", json={"older_than_minutes": 0})
        assert len(payments.heard("paid")) == 1

    def test_refunds(self, payments: Harness) -> None:
        if not self.can("refund"):
            pytest.skip("the gateway cannot refund")
        payment = payments.start(payments.order("150000"))
        payments.pay(payment)
        url = f"/api/payments/{payment['id']}/refunds"
        if self.can("partial_refund"):
            part = payments.api.post(url, json={"amount": "50000", "reason": "rusak"})
            assert part.status_code == 201, part.json
            assert payments.payment(payment["id"]).status == states.PARTIALLY_REFUNDED
            too_much = payments.api.post(url, json={"amount": "100001"})
            assert too_much.status_code == 422
        rest = payments.api.post(url, json={"reason": "batal"})
        assert rest.status_code == 201, rest.json
        stored = payments.payment(payment["id"])
        assert stored.status == states.REFUNDED and stored.refunded == Decimal("150000")
        assert sum(Decimal(c.amount) for c in payments.heard("refunded")) == Decimal("150000")
        assert payments.api.post(url, json={}).status_code == 422

    def test_cancel_an_open_payment(self, payments: Harness) -> None:
        payment = payments.start(payments.order())
        response = payments.api.post(f"/api/payments/{payment['id']}/cancel", json={})
        assert response.status_code == 200, response.json
        assert response.json["status"] == states.CANCELLED
        if payments.sim is not None:
            assert payments.notify(payment, "paid") == 200  # money after cancelling
            stored = payments.payment(payment["id"])
            assert stored.status == states.CANCELLED and stored.flagged

    def test_unsupported_operations_refuse_cleanly(self, payments: Harness) -> None:
        payment = payments.start(payments.order())
        if not self.can("capture"):
            response = payments.api.post(f"/api/payments/{payment['id']}/capture", json={})
            assert response.status_code == 422
            assert response.json["error"]["code"] == "refused"
        if not self.can("manual_confirm"):
            response = payments.api.post(f"/api/payments/{payment['id']}/confirm", json={})
            assert response.status_code == 422
