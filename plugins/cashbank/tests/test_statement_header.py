"""Issue 18 item 8 (part): every statement page names the shop above its title and gives
its period as Indonesian dates."""

from __future__ import annotations

import datetime as dt

import pytest

from niaga import settings

pytestmark = pytest.mark.plugins("cashbank")


def test_statements_carry_the_shop_name_and_indonesian_dates(books, logged_in):
    settings.put(books, "core.shop_name", "UD Sinar Palu")
    books.commit()
    for key in ("laba-rugi", "neraca", "arus-kas"):
        page = logged_in.get(
            f"/admin/cashbank/reports/{key}?from=2026-08-01&to=2026-08-31&lang=id"
        ).get_data(as_text=True)
        assert '<p class="entity">UD Sinar Palu</p>' in page, key
        assert "31 Agustus 2026" in page, key
        assert dt.date(2026, 8, 31).isoformat() not in page.split("<h1>")[1], key
