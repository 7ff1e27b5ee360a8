"""The expiry run (CLI ``niaga loyalty expire`` and the scheduled job): expire lots past
their date, oldest first, and move members whose rolling spend changed tier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from niaga_loyalty import ledger, tiers


def run(session: Session, now: dt.datetime | None = None) -> dict[str, Any]:
    """Expire what is due and refresh tiers (the caller commits)."""
    expired = ledger.expire_due(session, now)
    changes = tiers.refresh_all(session)
    return {
        "expired_rows": len(expired),
        "expired_points": -sum(entry.points for entry in expired),
        "tier_changes": len(changes),
    }


def job(session: Session) -> None:
    """Scheduled job entry point."""
    run(session)
