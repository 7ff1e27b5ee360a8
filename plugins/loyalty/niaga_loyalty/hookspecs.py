"""The hooks the loyalty plugin publishes: the event of a points movement."""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def loyalty_points_changed(session: Any, movement: Any) -> None:
    """A :class:`niaga_loyalty.contracts.PointsMovement` was recorded."""
