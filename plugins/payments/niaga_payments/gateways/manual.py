"""Gateways without a server: cash at the counter, manual bank transfer (the customer
uploads a proof, staff confirm) and cash on delivery. Staff confirm that the money arrived;
refunds are recorded as given back by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import marshmallow as ma

from niaga_payments import states
from niaga_payments.adapters import (
    GatewayAdapter,
    GatewayContext,
    PaymentRef,
    RefundResult,
    SessionResult,
)

MANUAL = frozenset({"manual_confirm", "refund", "partial_refund"})


class ManualAdapter(GatewayAdapter):
    """A gateway where people move the money and staff record it."""

    capabilities: ClassVar[frozenset[str]] = MANUAL
    #: the state a new payment starts in
    initial: ClassVar[str] = states.PENDING

    def create_session(self, ctx: GatewayContext, payment: PaymentRef) -> SessionResult:
        return SessionResult(status=self.initial, instructions=self.instructions(ctx, payment))

    def instructions(self, ctx: GatewayContext, payment: PaymentRef) -> dict[str, str]:
        """What to show the customer."""
        return {"amount": str(payment.amount)}

    def refund(
        self, ctx: GatewayContext, payment: PaymentRef, amount: Decimal, key: str, reason: str
    ) -> RefundResult:
        return RefundResult(external_id=None, amount=amount)


class Cash(ManualAdapter):
    name = "cash"
    label: ClassVar[dict[str, str]] = {"id": "Tunai", "en": "Cash"}
    methods = ("cash",)


class BankTransfer(ManualAdapter):
    name = "bank_transfer"
    label: ClassVar[dict[str, str]] = {"id": "Transfer bank manual", "en": "Manual bank transfer"}
    methods = ("bank_transfer",)
    capabilities = MANUAL | {"proof_upload"}

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        return {
            "bank_name": ma.fields.String(load_default="", validate=ma.validate.Length(0, 60)),
            "account_number": ma.fields.String(
                load_default="", validate=ma.validate.Regexp(r"^[0-9 \-]{0,30}$")
            ),
            "account_holder": ma.fields.String(load_default="", validate=ma.validate.Length(0, 80)),
        }

    def instructions(self, ctx: GatewayContext, payment: PaymentRef) -> dict[str, str]:
        return {
            "amount": str(payment.amount),
            "bank_name": ctx.settings.get("bank_name", ""),
            "account_number": ctx.settings.get("account_number", ""),
            "account_holder": ctx.settings.get("account_holder", ""),
            "reference": payment.reference,
        }


class CashOnDelivery(ManualAdapter):
    """The driver collects cash at the door: the payment is held until it is collected
    (confirm) or refused (cancel)."""

    name = "cod"
    label: ClassVar[dict[str, str]] = {"id": "Bayar di tempat (COD)", "en": "Cash on delivery"}
    methods = ("cod",)
    initial = states.HELD
