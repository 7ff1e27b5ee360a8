"""Declares that it needs Niaga core 9 or newer."""

from niaga import PluginMeta, hookimpl

PLUGIN = PluginMeta(
    name="future",
    label={"id": "Masa depan", "en": "Future"},
    description={"id": "Butuh inti versi 9", "en": "Needs core 9"},
    core_requires=">=9",
)


@hookimpl
def niaga_permissions() -> list:
    return []
