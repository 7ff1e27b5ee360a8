"""Core's own texts are all translated, and money, numbers and dates read the Indonesian way."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import niaga

CORE = Path(niaga.__file__).parent


def test_every_core_template_text_has_an_indonesian_translation():
    catalogue = json.loads((CORE / "translations" / "id.json").read_text(encoding="utf-8"))
    missing = set()
    for template in (CORE / "templates").rglob("*.html"):
        for text in re.findall(r"_\('((?:[^'\\]|\\.)*)'", template.read_text(encoding="utf-8")):
            if text not in catalogue:
                missing.add(f"{template.name}: {text}")
    assert not missing, sorted(missing)


def test_money_and_dates_in_the_shop_zone(app):
    from niaga.web import format_date

    with app.test_request_context(headers={"Accept-Language": "id"}):
        env = app.jinja_env
        assert env.from_string("{{ x|rupiah }}").render(x=Decimal("1250000")) == "Rp 1.250.000"
        moment = dt.datetime(2026, 8, 16, 18, 30, tzinfo=dt.UTC)  # 01:30 next day in WIB
        assert format_date(moment, with_time=True) == "17 Agustus 2026 01:30 WIB"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_date(dt.date(2026, 8, 17)) == "17 August 2026"
