"""How a customer can pay at the shop's counter (the POS screen of sales): cash always, and
the enabled counter gateways — static QRIS (the shop's own QR, shown with the merchant's
name) and manual bank transfer (the shop's account) — with what the cashier tells the
customer. Sales asks through ``payments_counter_methods`` and records the method itself, so
it works without payments."""

from __future__ import annotations

from typing import Any

from niaga.errors import Invalid
from niaga.i18n import gettext, pgettext, pick
from niaga_payments import registry
from niaga_payments.gateways.qris import parse

#: counter gateways by the sales payment method they record
COUNTER = {"qris": "qris", "bank_transfer": "bank_transfer"}


def methods(db: Any) -> list[dict[str, str]]:
    """``[{"method", "label", "hint"}]``: cash first, then each enabled counter gateway."""
    found = [{"method": "cash", "label": pgettext("payment method", "Cash"), "hint": ""}]
    known = registry.adapters()
    for method, name in COUNTER.items():
        adapter = known.get(name)
        if adapter is None or not registry.is_enabled(db, adapter):
            continue
        settings = registry.gateway_settings(db, adapter)
        label, hint = _label(method, adapter), _hint(method, settings)
        found.append({"method": method, "label": label, "hint": hint})
    return found


def _label(method: str, adapter: Any) -> str:
    return "QRIS" if method == "qris" else pick(adapter.label) or method


def _hint(method: str, settings: dict[str, Any]) -> str:
    if method == "qris":
        merchant = settings.get("merchant_name") or _merchant_of(settings.get("payload", ""))
        return gettext(
            "The customer scans the shop's QRIS ({merchant}) and pays the total; "
            "press Pay once the payment shows on your QRIS app",
            merchant=merchant or "QRIS",
        )
    account = " ".join(
        str(settings.get(key) or "") for key in ("bank_name", "account_number", "account_holder")
    ).strip()
    return gettext(
        "The customer transfers the total to {account}; press Pay once it is in the account",
        account=account or gettext("the shop's account"),
    )


def _merchant_of(payload: str) -> str:
    """The merchant name (tag 59) of a pasted QRIS payload."""
    try:
        return dict(parse(payload)).get("59", "") if payload else ""
    except Invalid:
        return ""
