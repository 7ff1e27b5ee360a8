"""The REST API: products, warehouses, moves, stock, counts, valuation, low stock; errors
come in the one envelope; permissions are checked; a disabled plugin answers 404."""

from __future__ import annotations

import json

import pytest

from niaga import lifecycle
from niaga.runtime import niaga

pytestmark = pytest.mark.plugins("inventory")

ROKOK = {
    "sku": "RK-AMILD16",
    "barcode": "8999909000018",
    "name": "Sampoerna A Mild 16",
    "category": "Rokok",
    "brand": "Sampoerna",
    "base_unit": "bungkus",
    "units": {"slop": 10, "karton": 100},
    "purchase_unit": "karton",
    "price": "34000",
    "cost": "32100",
    "reorder_point": "50",
}


def create(api, **fields):
    response = api.post("/api/inventory/products", json={**ROKOK, **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_product_crud_search_and_pagination(api):
    created = create(api)
    assert created["units"] == {"slop": "10", "karton": "100"}
    assert created["price"] == "34000.00"
    create(
        api,
        sku="MN-AQUA600",
        barcode="8886008101053",
        name="Aqua 600 ml",
        units={},
        purchase_unit=None,
    )
    for query in ("mild", "RK-AMILD", "8999909000018"):
        found = api.get(f"/api/inventory/products?q={query}").json
        assert [p["sku"] for p in found] == ["RK-AMILD16"], query
    page = api.get("/api/inventory/products?page=1&page_size=1")
    assert len(page.json) == 1
    assert json.loads(page.headers["X-Pagination"])["total"] == 2

    changed = api.patch(
        f"/api/inventory/products/{created['id']}", json={"price": "35000", "active": False}
    )
    assert changed.status_code == 200 and changed.json["price"] == "35000.00"
    assert api.get("/api/inventory/products?active=false").json[0]["sku"] == "RK-AMILD16"
    assert api.delete(f"/api/inventory/products/{created['id']}").status_code == 204
    assert api.get(f"/api/inventory/products/{created['id']}").status_code == 404


def test_the_list_writes_each_product_as_its_own_answer_does(api):
    """The list writes plain rows without ProductSchema (it is faster): each item must be
    what the product's own answer says, key for key and value for value."""
    rokok = create(api, sale_unit="slop", reorder_quantity="120.5")
    aqua = create(
        api, sku="MN-AQUA600", barcode=None, name="Aqua 600 ml", units={}, purchase_unit=None
    )
    page = api.get("/api/inventory/products?page=1&page_size=50")
    by_name = (aqua, rokok)
    assert page.json == [api.get(f"/api/inventory/products/{p['id']}").json for p in by_name]
    assert page.json[1] == {
        "id": rokok["id"],
        "sku": "RK-AMILD16",
        "barcode": "8999909000018",
        "name": "Sampoerna A Mild 16",
        "category": "Rokok",
        "brand": "Sampoerna",
        "active": True,
        "price": "34000.00",
        "cost": "32100.0000",
        "tax_class": "standard",
        "base_unit": "bungkus",
        "sale_unit": "slop",
        "purchase_unit": "karton",
        "units": {"slop": "10", "karton": "100"},
        "track_stock": True,
        "allow_negative": False,
        "reorder_point": "50.0000",
        "reorder_quantity": "120.5000",
    }
    assert page.json[0]["barcode"] is None and page.json[0]["units"] == {}
    assert json.loads(page.headers["X-Pagination"]) == {
        "total": 2,
        "total_pages": 1,
        "first_page": 1,
        "last_page": 1,
        "page": 1,
    }
    beyond = api.get("/api/inventory/products?page=3&page_size=1")
    assert beyond.status_code == 200 and beyond.json == []
    assert json.loads(beyond.headers["X-Pagination"])["total"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sku": ""}, "sku"),
        ({"price": "-1"}, "price"),
        ({"price": "mahal"}, "price"),
        ({"units": {"karton": 0}}, "units"),
        ({"units": {"bungkus": 10}}, "units"),
        ({"sale_unit": "dus"}, "sale_unit"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_product_input_gets_422_envelope(api, body, field):
    response = api.post("/api/inventory/products", json={**ROKOK, **body})
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "invalid"
    assert field in response.json["error"]["fields"]


def test_duplicate_sku_and_units_locked_after_moves(api):
    product = create(api)
    again = api.post("/api/inventory/products", json=ROKOK)
    assert again.status_code == 422 and "sku" in again.json["error"]["fields"]
    api.post(
        "/api/inventory/receipts",
        json={"lines": [{"product_id": product["id"], "quantity": 1, "unit": "karton"}]},
    )
    changed = api.patch(f"/api/inventory/products/{product['id']}", json={"units": {"karton": 50}})
    assert changed.status_code == 422 and "units" in changed.json["error"]["fields"]
    deleted = api.delete(f"/api/inventory/products/{product['id']}")
    assert deleted.status_code == 409 and deleted.json["error"]["code"] == "conflict"


def test_stock_moves_and_valuation_through_the_api(api):
    product = create(api)
    pid = product["id"]
    received = api.post(
        "/api/inventory/receipts",
        json={
            "reference": "purchasing.receipt:4",
            "lines": [{"product_id": pid, "quantity": "2", "unit": "karton", "cost": "3210000"}],
        },
    )
    assert received.status_code == 201, received.json
    assert received.json[0]["quantity"] == "200.0000"
    warehouses = api.get("/api/inventory/warehouses").json
    assert [w["code"] for w in warehouses] == ["UTAMA"] and warehouses[0]["is_default"]
    shop = api.post("/api/inventory/warehouses", json={"code": "TOKO", "name": "Toko Depan"})
    assert shop.status_code == 201
    moved = api.post(
        "/api/inventory/transfers",
        json={
            "product_id": pid,
            "from_warehouse_id": warehouses[0]["id"],
            "to_warehouse_id": shop.json["id"],
            "quantity": 3,
            "unit": "slop",
        },
    )
    assert moved.status_code == 201, moved.json
    reserved = api.post(
        "/api/inventory/reservations",
        json={"reference": "sales.order:1", "lines": [{"product_id": pid, "quantity": 5}]},
    )
    assert reserved.status_code == 201 and reserved.json[0]["quantity"] == "5.0000"
    issued = api.post(
        "/api/inventory/issues",
        json={"reference": "sales.order:1", "lines": [{"product_id": pid, "quantity": 5}]},
    )
    assert issued.status_code == 201 and issued.json[0]["value"] == "-160500.00"
    adjusted = api.post(
        "/api/inventory/adjustments",
        json={"product_id": pid, "quantity": "-1", "reason": "bungkus rusak"},
    )
    assert adjusted.status_code == 201

    figures = api.get(f"/api/inventory/products/{pid}/stock").json
    assert figures["on_hand"] == "194.0000" and figures["available"] == "194.0000"
    per_warehouse = {w["warehouse"]: w["on_hand"] for w in figures["warehouses"]}
    assert per_warehouse == {"Gudang Utama": "164.0000", "Toko Depan": "30.0000"}
    assert figures["value"] == "6227400.00"  # 194 x 32.100

    moves = api.get(f"/api/inventory/moves?product_id={pid}").json
    assert [m["kind"] for m in moves] == [
        "adjustment",
        "issue",
        "transfer_in",
        "transfer_out",
        "receipt",
    ]
    assert moves[0]["reason"] == "bungkus rusak" and moves[0]["actor"].startswith("token:")
    report = api.get("/api/inventory/valuation").json
    assert report["total"] == "6227400.00"
    assert api.get("/api/inventory/low-stock").json == []


def test_insufficient_stock_and_bad_moves_are_4xx(api):
    pid = create(api)["id"]
    short = api.post("/api/inventory/issues", json={"lines": [{"product_id": pid, "quantity": 1}]})
    assert short.status_code == 409
    assert short.json["error"]["code"] == "insufficient_stock"
    for body in (
        {"lines": []},
        {"lines": [{"product_id": pid, "quantity": 0}]},
        {"lines": [{"product_id": pid, "quantity": "x"}]},
        {"lines": [{"product_id": pid, "quantity": 1, "unit": "dus"}]},
        {"kind": "gift", "lines": [{"product_id": pid, "quantity": 1, "warehouse_id": 999}]},
    ):
        response = api.post("/api/inventory/receipts", json=body)
        assert 400 <= response.status_code < 500, (body, response.json)
        assert "error" in response.json
    missing = api.post(
        "/api/inventory/receipts", json={"lines": [{"product_id": 999, "quantity": 1}]}
    )
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    no_reason = api.post(
        "/api/inventory/adjustments", json={"product_id": pid, "quantity": 1, "reason": ""}
    )
    assert no_reason.status_code == 422
    not_json = api.post("/api/inventory/products", data="sku=1")
    assert 400 <= not_json.status_code < 500


def test_permissions(app, api_as, make_user):
    cashier = api_as(make_user("cashier"))
    assert cashier.get("/api/inventory/products").status_code == 200
    refused = cashier.post("/api/inventory/products", json=ROKOK)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert cashier.post("/api/inventory/counts", json={}).status_code == 403
    clerk = api_as(make_user("warehouse"))
    assert clerk.post("/api/inventory/products", json=ROKOK).status_code == 201
    assert clerk.post("/api/inventory/counts", json={}).status_code == 201
    anonymous = app.test_client().get("/api/inventory/products")
    assert anonymous.status_code == 401


def test_disabled_plugin_answers_404(app, db, api):
    assert api.get("/api/inventory/products").status_code == 200
    lifecycle.disable(db, niaga().host, "inventory")
    db.commit()
    for url in ("/api/inventory/products", "/api/inventory/valuation", "/admin/inventory/"):
        assert api.get(url).status_code == 404, url


def test_sorting_and_reference_search(api):
    create(api)
    create(
        api,
        sku="MN-AQUA600",
        barcode=None,
        name="Aqua 600 ml",
        units={},
        purchase_unit=None,
        price="4000",
    )
    by_price = api.get("/api/inventory/products?sort=-price").json
    assert [p["sku"] for p in by_price] == ["RK-AMILD16", "MN-AQUA600"]
    assert api.get("/api/inventory/products?sort=colour").status_code == 422
    api.post(
        "/api/inventory/receipts",
        json={"reference": "purchasing.receipt:77", "lines": [{"product_id": 1, "quantity": 1}]},
    )
    found = api.get("/api/inventory/moves?q=receipt:77").json
    assert [m["reference"] for m in found] == ["purchasing.receipt:77"]
    assert api.get("/api/inventory/counts?status=lost").status_code == 422


def test_a_retried_receipt_is_not_counted_twice(api):
    pid = create(api)["id"]
    body = {"lines": [{"product_id": pid, "quantity": 1, "unit": "karton"}]}
    headers = {"Idempotency-Key": "counter-1-receipt-9"}
    first = api.post("/api/inventory/receipts", json=body, headers=headers)
    again = api.post("/api/inventory/receipts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert api.get(f"/api/inventory/products/{pid}/stock").json["on_hand"] == "100.0000"


def test_ids_beyond_64_bits_are_not_found(api):
    huge = 10**30
    for url in (f"/api/inventory/products/{huge}", f"/api/inventory/counts/{huge}"):
        assert api.get(url).status_code == 404, url
    body = {"lines": [{"product_id": huge, "quantity": 1}]}
    assert api.post("/api/inventory/receipts", json=body).status_code == 422
