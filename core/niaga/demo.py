"""Demo data: each enabled plugin loads its own, dependencies first."""

from __future__ import annotations

from sqlalchemy.orm import Session

from niaga.audit import acting_as
from niaga.runtime import enabled_plugins, niaga


def load_demo_data(session: Session) -> list[str]:
    """Call ``niaga_demo_data`` of every enabled plugin in dependency order, committing
    after each plugin; returns the plugins in the order they loaded."""
    host = niaga().host
    order = host.dependency_order(sorted(enabled_plugins()))
    with acting_as("demo"):
        for name in order:
            host.collect("niaga_demo_data", names=[name], session=session)
            session.commit()
    return order
