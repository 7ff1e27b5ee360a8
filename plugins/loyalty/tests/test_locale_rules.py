"""Loyalty on core's rules: set-up forms store what they show and read numbers like
niaga.l10n; points entries and report periods follow the shop's business day."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.clock import shop_date
from niaga.models import User
from niaga.testing import TYPED_NUMBERS, csrf_token, typed_meaning
from niaga_loyalty import ledger
from niaga_loyalty.models import Tier

pytestmark = pytest.mark.plugins("loyalty")


def form_values(page: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            found[name.group(1)] = value.group(1) if value else ""
    return found


def test_tier_form_as_prefilled_stores_what_was_shown(logged_in, db):
    db.add(Tier(name="Gold", min_spend=Decimal("1250000.50"), multiplier=Decimal("1.25")))
    db.commit()
    tier = db.scalars(sa.select(Tier)).one()
    url = f"/admin/loyalty/setup/tier/{tier.id}"
    values = form_values(logged_in.get(url).get_data(as_text=True))
    assert values["min_spend"] == "1.250.000,5" and values["multiplier"] == "1,25"
    assert logged_in.post(url, data=values).status_code == 302
    db.expire_all()
    tier = db.get(Tier, tier.id)
    assert (tier.min_spend, tier.multiplier) == (Decimal("1250000.50"), Decimal("1.25"))


@pytest.mark.parametrize("language", ["id", "en"])
def test_typed_numbers_mean_what_l10n_says(logged_in, db, language):
    db.execute(sa.update(User).where(User.email == "owner@toko.id").values(language=language))
    db.commit()
    for index, typed in enumerate(TYPED_NUMBERS):
        name = f"T{language}{index}"
        token = csrf_token(logged_in, "/admin/loyalty/setup/tier")
        # min_spend is money (2 places), multiplier a factor (4 places)
        logged_in.post(
            "/admin/loyalty/setup/tier",
            data={"csrf_token": token, "name": name, "min_spend": typed, "multiplier": typed},
        )
        db.expire_all()
        stored = db.scalars(sa.select(Tier).where(Tier.name == name)).one_or_none()
        money, factor = typed_meaning(typed, 2, language), typed_meaning(typed, 4, language)
        readable = all(
            isinstance(v, Decimal) and 0 <= v <= 100 for v in (money, factor)
        )  # min_spend is required; a multiplier is 0 to 100
        if not readable:
            assert stored is None, typed
        else:
            assert (stored.min_spend, stored.multiplier) == (money, factor), typed


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), dt.date(2026, 12, 1)),
        (dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), dt.date(2026, 12, 31)),
    ],
)
def test_points_carry_the_shop_day(shop_clock, app, db, api, moment, day):
    shop_clock(moment)
    member = ledger.member_for_customer(db, 7, "Toko A")
    entry = ledger.adjust(db, member, 50, "Opening")
    db.commit()
    assert shop_date(entry.occurred_at) == day
    inside = api.get(f"/api/loyalty/reports/summary?start={day}&end={day}").get_json()
    assert inside["points"]["issued"] == 50  # the WIB day's report holds the entry
    for other in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
        outside = api.get(f"/api/loyalty/reports/summary?start={other}&end={other}")
        assert outside.get_json()["points"]["issued"] == 0, other
