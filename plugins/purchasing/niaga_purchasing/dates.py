"""The shop's calendar: documents are dated in the shop's time zone (WIB, WITA or WIT)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from niaga import settings
from niaga.db import utcnow
from niaga.web import ZONES


def today(session: Session) -> dt.date:
    """Today's date where the shop is."""
    zone = settings.get_stored(session, "core.timezone", "WIB")
    return utcnow().astimezone(ZoneInfo(ZONES.get(zone, "Asia/Jakarta"))).date()
