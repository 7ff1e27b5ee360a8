"""The shop's calendar: documents are dated in the shop's time zone (WIB, WITA or WIT)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from niaga.clock import shop_today


def today(session: Session) -> dt.date:
    """Today's date where the shop is."""
    return shop_today(session)
