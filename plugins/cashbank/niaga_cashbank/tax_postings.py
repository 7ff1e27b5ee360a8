"""The tax plugin's events in the books (issue 23).

A month's PPN closing moves the month's PPN Keluaran (debit) and creditable PPN Masukan
(credit) out, sets off what an earlier month carried forward (credit PPN Lebih Bayar) and
puts the rest on Utang PPN (credit, payable) or PPN Lebih Bayar (debit, carried forward).
PPh final paid is an expense against the money it was paid from.
"""

from __future__ import annotations

from niaga.contracts import Document, PaymentInfo
from niaga.money import to_decimal
from niaga_cashbank.chart import TAX_RULES, ensure_rules
from niaga_cashbank.journal import Leg, rule_account
from niaga_cashbank.models import JournalEntry
from niaga_cashbank.postings import _auto, _day, payment_account


def ppn_closed(session, period: Document) -> JournalEntry | None:
    ensure_rules(session, TAX_RULES)
    event = "tax_ppn_closed"
    figures = {name: to_decimal(value) for name, value in period.data.items()}

    def account(slot: str):
        return rule_account(session, event, slot)

    return _auto(
        session,
        event=event,
        key=period.reference,
        date=period.date,
        description=f"Penutupan PPN {period.number.removeprefix('PPN ')}",
        legs=[
            Leg(account("output_vat"), debit=figures["output_tax"]),
            Leg(account("input_vat"), credit=figures["input_tax"]),
            Leg(account("carried"), credit=figures["carried_in"]),
            Leg(account("carried"), debit=figures["carried_out"]),
            Leg(account("payable"), credit=figures["payable"]),
        ],
        reference=period.reference,
    )


def pph_paid(session, payment: PaymentInfo) -> JournalEntry | None:
    ensure_rules(session, TAX_RULES)
    event = "tax_pph_paid"
    amount = to_decimal(payment.amount)
    return _auto(
        session,
        event=event,
        key=payment.target,
        date=_day(session, payment.occurred_at),
        description="Setoran PPh final UMKM",
        legs=[
            Leg(rule_account(session, event, "expense"), debit=amount),
            Leg(payment_account(session, payment), credit=amount),
        ],
        reference=payment.target,
    )
