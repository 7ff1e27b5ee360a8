"""Plugin metadata and hook implementations of niaga_loyalty (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

from pathlib import Path

from niaga import PluginMeta

PLUGIN = PluginMeta(
    name="loyalty",
    label={"id": "Loyalitas", "en": "Loyalty"},
    description={
        "id": "Poin untuk pengecer setia, katalog hadiah dan promosi.",
        "en": "Points for loyal retailers, a reward catalogue and promotions.",
    },
    core_requires=">=0.1,<0.2",
    depends=("sales",),
    migrations=Path(__file__).parent / "migrations",
)
