"""The shop's clock: one business day for every document, journal entry and report.

Instants are stored in UTC (:func:`utcnow`); the *business date* of anything is the date
where the shop is, in its configured zone (``core.timezone``: WIB, WITA or WIT). A sale at
05:30 WIB on 1 December belongs to December everywhere. Use :func:`shop_today` for
document dates and default report periods, :func:`shop_date` to date an instant, and never
``date.today()`` (the server's zone) or ``utcnow().date()`` (UTC).

Tests freeze the clock with :func:`frozen`.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from niaga import settings
from niaga.db import session as current_session
from niaga.errors import Invalid
from niaga.timesource import frozen, utcnow

__all__ = [
    "DEFAULT_ZONE",
    "ZONES",
    "frozen",
    "month_bounds",
    "parse_month",
    "shop_date",
    "shop_now",
    "shop_today",
    "shop_tz",
    "shop_zone_name",
    "to_shop_time",
    "utcnow",
]

MONTH = re.compile(r"^(\d{4})-(\d{2})$")

#: The shop's zone names and the IANA zones they stand for.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
DEFAULT_ZONE = "WIB"


def shop_zone_name(session: Session | None = None) -> str:
    """The shop's zone name (``WIB``, ``WITA`` or ``WIT``), read once per app context."""
    from flask import g, has_app_context

    if has_app_context():
        cached = g.get("_niaga_zone")
        if cached is not None:
            return cached
    name = _read_zone(session)
    if has_app_context():
        g._niaga_zone = name
    return name


def _read_zone(session: Session | None) -> str:
    try:
        if session is None:
            session = current_session()
        name = settings.get_stored(session, "core.timezone", DEFAULT_ZONE)
    except Exception:  # before `niaga init` there is no settings table yet
        return DEFAULT_ZONE
    return name if name in ZONES else DEFAULT_ZONE


def shop_tz(session: Session | None = None) -> ZoneInfo:
    return ZoneInfo(ZONES[shop_zone_name(session)])


def to_shop_time(moment: dt.datetime, session: Session | None = None) -> dt.datetime:
    """``moment`` in the shop's zone (a naive value is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(shop_tz(session))


def shop_now(session: Session | None = None) -> dt.datetime:
    """Now, in the shop's zone."""
    return to_shop_time(utcnow(), session)


def shop_today(session: Session | None = None) -> dt.date:
    """Today's business date where the shop is."""
    return shop_now(session).date()


def shop_date(moment: dt.datetime | dt.date | None, session: Session | None = None) -> dt.date:
    """The business date of an instant (a date is returned as it is; ``None`` is today)."""
    if moment is None:
        return shop_today(session)
    if isinstance(moment, dt.datetime):
        return to_shop_time(moment, session).date()
    return moment


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def parse_month(text: str | None, field: str = "month") -> dt.date:
    """The first day of a month written ``2026-11`` (in a URL, form or command); a clear
    error naming ``field`` for anything else."""
    found = MONTH.match((text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise Invalid(
            "Write the month as year-month, e.g. 2026-11 (not {value})",
            value=text or "",
            fields={field: ["year-month"]},
        )
    return dt.date(int(found.group(1)), int(found.group(2)), 1)
