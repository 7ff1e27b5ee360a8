"""Niaga: a plugin-based back office for Indonesian small businesses.

The public surface for plugin authors is small: :data:`hookimpl` to mark hook
implementations, :data:`hookspec` to publish hooks of one's own, :class:`PluginMeta` to
describe a plugin, and the modules
``niaga.db``, ``niaga.money``, ``niaga.errors``, ``niaga.api``, ``niaga.auth``,
``niaga.outbox`` and ``niaga.testing``.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: Marks a function as the implementation of a Niaga hook.
hookimpl = pluggy.HookimplMarker("niaga")
#: Marks a function as a hook specification: core's, or one a plugin publishes for others.
hookspec = pluggy.HookspecMarker("niaga")

from niaga.meta import PluginMeta  # noqa: E402

__all__ = ["PluginMeta", "__version__", "hookimpl", "hookspec"]
