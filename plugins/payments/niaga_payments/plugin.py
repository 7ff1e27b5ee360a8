"""Plugin metadata and hook implementations of niaga_payments (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path

from niaga import PluginMeta

PLUGIN = PluginMeta(
    name="payments",
    label={"id": "Pembayaran", "en": "Payments"},
    description={
        "id": "Satu siklus pembayaran dan adaptor gateway Indonesia "
        "(Midtrans, Xendit, DOKU, QRIS).",
        "en": "One payment lifecycle and Indonesian gateway adapters "
        "(Midtrans, Xendit, DOKU, QRIS).",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    migrations=Path(__file__).parent / "migrations",
)
