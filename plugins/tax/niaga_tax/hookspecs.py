"""The events the tax plugin raises, for the books (cash/bank posts them)."""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def tax_ppn_closed(session: Any, period: Any) -> None:
    """A month's PPN was closed: a :class:`niaga.contracts.Document` of kind
    ``tax.ppn_period`` whose ``data`` holds ``output_tax``, ``input_tax``,
    ``carried_in``, ``payable`` and ``carried_out`` (strings of rupiah). Books move the
    month's PPN Keluaran and creditable PPN Masukan out, and the rest to PPN payable or
    carried forward: output + carried_out = input + carried_in + payable."""


@hookspec
def tax_pph_paid(session: Any, payment: Any) -> None:
    """PPh final of a month was paid: a :class:`niaga.contracts.PaymentInfo` whose
    ``target`` is ``tax.pph_final:<id>``, ``amount`` the tax, ``method``/``account`` where
    the money came from."""
