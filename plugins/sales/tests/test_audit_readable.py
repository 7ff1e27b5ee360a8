"""The audit log reads like a history: who by name, field labels, states in words, money in
rupiah, filtered by the shop's days and by person."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.plugins("sales")

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def confirmed_order(api, owner, customer, line, shop_clock):
    owner.name = "Bu Rina"
    shop_clock(dt.datetime(2026, 11, 30, 6, 30, tzinfo=WIB))  # 23:30 UTC the day before
    order = api.post(
        "/api/sales/orders",
        json={"customer_id": customer["id"], "lines": [line("Gula 1 kg", "2", "17500")]},
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    return order


def rows_of(page: str) -> list[str]:
    body = page.split('<table id="audit">')[1]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[2:]
    ]


def test_a_state_change_reads_in_words_with_the_persons_name(db, logged_in, owner, confirmed_order):
    db.merge(owner)
    db.commit()
    page = logged_in.get(
        f"/admin/audit?entity=sales_order&entity_id={confirmed_order['id']}"
    ).get_data(as_text=True)
    rows = rows_of(page)
    change = next(r for r in rows if "Status : draf → dikonfirmasi" in r)
    assert "Bu Rina" in change and "diubah" in change
    assert change.count("30 November 2026 06:30 WIB") == 2  # when, and the new timestamp
    assert "T23:30" not in change  # in shop time, not as stored
    assert any("dibuat" in r and "Status : draf" in r for r in rows)
    # written once with its lines, so created with its total: 2 × 17.500, in rupiah
    assert any("dibuat" in r and "Total : Rp 35.000" in r for r in rows)


def test_days_are_the_shops_days(db, logged_in, confirmed_order):
    # 06:30 WIB on 30 November is 23:30 UTC on the 29th: it belongs to the 30th
    on_day = logged_in.get("/admin/audit?entity=sales_order&from=2026-11-30&to=2026-11-30")
    assert len(rows_of(on_day.get_data(as_text=True))) >= 2
    day_before = logged_in.get("/admin/audit?entity=sales_order&from=2026-11-29&to=2026-11-29")
    assert "Belum ada yang tercatat" in day_before.get_data(as_text=True)


def test_a_bad_date_is_explained(logged_in, confirmed_order):
    page = logged_in.get("/admin/audit?from=30-11-2026").get_data(as_text=True)
    assert "flash error" in page
