"""The hooks the loyalty plugin publishes: the event of a points movement, and the value
of the points outstanding (for the books to agree with)."""

from __future__ import annotations

from typing import Any

from niaga import hookspec


@hookspec
def loyalty_points_changed(session: Any, movement: Any) -> None:
    """A :class:`niaga_loyalty.contracts.PointsMovement` was recorded."""


@hookspec(firstresult=True)
def loyalty_liability(session: Any) -> Any:
    """Return the rupiah value of the points members hold (``Decimal``): the sum of every
    movement's value, which is what the books carry as the points liability."""
