"""Stock counts (stock opname): differences become adjustment moves with a reason, and the
stock value report follows."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.errors import Conflict
from niaga_inventory import checks, counts, stock, valuation
from niaga_inventory.models import StockMove

pytestmark = pytest.mark.plugins("inventory")
D = Decimal


def test_count_with_differences_posts_adjustments_and_changes_the_value(
    api, db, make_product, receive, listener
):
    rokok = make_product(barcode="8999909096004")
    water = make_product(
        sku="MN-AQUA600", name="Aqua 600 ml", base_unit="botol", units={"dus": D(24)}
    )
    sugar = make_product(sku="SB-GULA", name="Gula Pasir 1 kg", base_unit="bungkus", units={})
    receive(rokok, 2, cost=2_680_000, unit="karton")  # 200 @ 26.800 = 5.360.000
    receive(water, 2, cost=70_800, unit="dus")  # 48 @ 2.950 = 141.600
    receive(sugar, 20, cost=16_800)  # 20 @ 16.800 = 336.000
    before = api.get("/api/inventory/valuation").json
    assert before["total"] == "5837600.00"

    started = api.post("/api/inventory/counts", json={"reason": "opname bulanan"})
    assert started.status_code == 201
    count_id = started.json["id"]
    assert {line["sku"] for line in started.json["lines"]} == {"RK-GGS12", "MN-AQUA600", "SB-GULA"}

    # typed: 1 karton + 9 slop = 190 bungkus (10 missing); scanned: 3 scans of the barcode
    entered = api.post(
        f"/api/inventory/counts/{count_id}/lines",
        json={"sku": "RK-GGS12", "quantity": 190, "reason": "hilang"},
    )
    assert entered.status_code == 200
    for _ in range(3):
        api.post(
            f"/api/inventory/counts/{count_id}/lines",
            json={"barcode": "8999909096004", "quantity": 1, "add": True},
        )
    api.post(
        f"/api/inventory/counts/{count_id}/lines",
        json={"product_id": water.id, "quantity": 2, "unit": "dus"},
    )  # 48: no difference; sugar is left uncounted: not adjusted
    review = api.get(f"/api/inventory/counts/{count_id}").json
    lines = {line["sku"]: line for line in review["lines"]}
    assert lines["RK-GGS12"]["counted"] == "193.0000"
    assert lines["RK-GGS12"]["difference"] == "-7.0000"
    assert lines["RK-GGS12"]["value"] == "-187600.00"
    assert lines["MN-AQUA600"]["difference"] == "0.0000"
    assert lines["SB-GULA"]["counted"] is None

    posted = api.post(f"/api/inventory/counts/{count_id}/post", json={})
    assert posted.status_code == 200 and posted.json["status"] == "posted"
    db.rollback()
    moves = db.scalars(sa.select(StockMove).where(StockMove.kind == "adjustment")).all()
    assert [(m.product_id, m.quantity, m.value, m.reason, m.reference) for m in moves] == [
        (rokok.id, D(-7), D(-187600), "hilang", f"inventory.count:{count_id}")
    ]
    assert [m.kind for m in listener.heard][-1] == "adjustment"
    after = api.get("/api/inventory/valuation").json
    assert after["total"] == "5650000.00"  # 5.837.600 - 7 x 26.800
    assert stock.available(db, rokok.id) == 193
    assert checks.problems(db) == []

    again = api.post(f"/api/inventory/counts/{count_id}/post", json={})
    assert again.status_code == 409


def test_surplus_comes_in_at_average_cost_and_differences_use_stock_at_posting(
    db, make_product, receive, line
):
    rokok = make_product()
    receive(rokok, 100, cost=26_800)
    count = counts.start(db, reason="opname")
    counts.enter(db, count.id, 1, product_id=rokok.id, unit="karton")
    counts.enter(db, count.id, 5, product_id=rokok.id, add=True)  # 105 found
    db.commit()
    stock.issue(db, "sales.pos_sale:1", [line(rokok, 5)])
    db.commit()  # sold while counting: the difference is against 95 on hand now
    moves = counts.post(db, count.id)
    db.commit()
    assert [(m.quantity, m.value, m.reason) for m in moves] == [(D(10), D(268000), "opname")]
    assert valuation.figures(db, rokok.id) == (D(26800), D(105 * 26800))


def test_cancelled_count_cannot_be_posted(db, make_product):
    make_product()
    count = counts.start(db)
    counts.cancel(db, count.id)
    db.commit()
    with pytest.raises(Conflict):
        counts.post(db, count.id)
    with pytest.raises(Conflict):
        counts.enter(db, count.id, 1, sku="RK-GGS12")


def test_count_input_errors_are_4xx(api, make_product):
    make_product()
    count_id = api.post("/api/inventory/counts", json={}).json["id"]
    url = f"/api/inventory/counts/{count_id}/lines"
    assert api.post(url, json={"quantity": 1}).status_code == 422  # no product key
    assert api.post(url, json={"sku": "NOPE", "quantity": 1}).status_code == 404
    assert api.post(url, json={"sku": "RK-GGS12", "quantity": -1}).status_code == 422
    assert api.post(url, json={"sku": "RK-GGS12", "quantity": 1, "unit": "dus"}).status_code == 422
    assert api.get("/api/inventory/counts/999").status_code == 404
    assert api.post("/api/inventory/counts", json={"warehouse_id": 999}).status_code == 404
