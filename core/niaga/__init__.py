"""Niaga: a plugin-based back office for Indonesian small businesses.

The public surface for plugin authors is small: :data:`hookimpl` to mark hook
implementations, :class:`PluginMeta` to describe a plugin, and the modules
``niaga.db``, ``niaga.money``, ``niaga.errors``, ``niaga.api``, ``niaga.auth``,
``niaga.outbox`` and ``niaga.testing``.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: Marks a function as the implementation of a Niaga hook.
hookimpl = pluggy.HookimplMarker("niaga")

from niaga.meta import PluginMeta  # noqa: E402

__all__ = ["PluginMeta", "__version__", "hookimpl"]
