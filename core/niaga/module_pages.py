"""What a person sees of a module (plugin) by its name: its label in their language, and
the page a switched-off module's address shows instead of a bare 404 (which module it is,
that it is switched off, and who can switch it on)."""

from __future__ import annotations

from flask import g

from niaga.i18n import pick
from niaga.runtime import niaga


def plugin_label(name: str) -> str:
    """The module's label in the reader's language (``Pembelian`` for ``purchasing``); the
    name itself for a module that is not installed."""
    record = niaga().host.installed.get(name)
    return pick(record.meta.label) if record and record.meta else name


def disabled_module() -> str | None:
    """The label of the switched-off module whose address this request asked for."""
    name = g.get("disabled_plugin")
    return plugin_label(name) if name else None
