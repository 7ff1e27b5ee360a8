"""With inventory enabled: stock comes in at the received cost (``inventory_receive``),
goes out on returns (``inventory_issue`` kind return_out), and reorder points become draft
orders grouped by default supplier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

pytestmark = pytest.mark.plugins("purchasing", "inventory")


@pytest.fixture
def warehouse(api: Any) -> dict[str, Any]:
    response = api.post("/api/inventory/warehouses", json={"code": "GU", "name": "Gudang Utama"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def product(api: Any, sku: str, **extra: Any) -> dict[str, Any]:
    body = {
        "sku": sku,
        "name": f"Mi instan {sku}",
        "base_unit": "bungkus",
        "units": {"karton": "40"},
    }
    response = api.post("/api/inventory/products", json={**body, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stock_of(api: Any, product_id: int) -> dict[str, Any]:
    return api.get(f"/api/inventory/products/{product_id}/stock").get_json()


def test_stock_comes_in_at_the_received_cost(
    api: Any, supplier: dict, warehouse: dict, make_order: Any, confirm_order: Any
) -> None:
    mie = product(api, "MIE-1", cost="2500")
    price = api.put(
        f"/api/purchasing/suppliers/{supplier['id']}/prices",
        json={"product_id": mie["id"], "unit": "karton", "price": "95000", "preferred": True},
    )
    assert price.status_code == 200, price.get_json()
    order = make_order(supplier["id"], [{"sku": "MIE-1", "quantity": "5", "unit": "karton"}])
    line = order["lines"][0]
    assert (line["unit"], line["unit_factor"], line["unit_price"]) == (
        "karton",
        "40.0000",
        "95000.0000",
    )
    confirm_order(order["id"])

    first = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "warehouse_id": warehouse["id"],
            "lines": [{"order_line_id": line["id"], "quantity": "2", "unit_cost": "96000"}],
        },
    ).get_json()
    assert first["stock_tracked"] is True
    stock = stock_of(api, mie["id"])
    assert Decimal(stock["on_hand"]) == 80
    assert Decimal(stock["unit_cost"]) == Decimal("2400")
    # the rest arrives counted in pieces, at the ordered price
    second = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "warehouse_id": warehouse["id"],
            "lines": [{"order_line_id": line["id"], "quantity": "120", "unit": "bungkus"}],
        },
    )
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["lines"][0]["unit_cost"] == "2375.0000"
    stock = stock_of(api, mie["id"])
    assert Decimal(stock["on_hand"]) == 200
    assert Decimal(stock["unit_cost"]) == Decimal("2385")  # (80 x 2400 + 120 x 2375) / 200
    assert api.get(f"/api/purchasing/orders/{order['id']}").get_json()["status"] == "received"
    moves = api.get(f"/api/inventory/moves?product_id={mie['id']}").get_json()
    assert sorted(m["reference"] for m in moves) == [
        f"purchasing.receipt:{first['id']}",
        f"purchasing.receipt:{second.get_json()['id']}",
    ]
    over = api.post(
        "/api/purchasing/receipts",
        json={"order_id": order["id"], "lines": [{"order_line_id": line["id"], "quantity": "1"}]},
    )
    assert over.status_code == 422
    assert Decimal(stock_of(api, mie["id"])["on_hand"]) == 200

    bill = api.post("/api/purchasing/bills", json={"order_id": order["id"], "post": True})
    assert bill.status_code == 201, bill.get_json()
    bill = bill.get_json()
    assert any("billed at Rp 96,000" in w for w in bill["warnings"])  # in English
    back = api.post(
        "/api/purchasing/returns",
        json={
            "bill_id": bill["id"],
            "lines": [{"bill_line_id": bill["lines"][0]["id"], "quantity": "1"}],
        },
    )
    assert back.status_code == 201, back.get_json()
    assert back.get_json()["stock_tracked"] is True
    assert Decimal(stock_of(api, mie["id"])["on_hand"]) == 160
    out = [m for m in api.get("/api/inventory/moves?kind=return_out").get_json()]
    assert [m["reference"] for m in out] == [f"purchasing.return:{back.get_json()['id']}"]


def test_unknown_unit_or_product_is_refused(api: Any, supplier: dict) -> None:
    product(api, "MIE-2", cost="2500")
    bad_unit = api.post(
        "/api/purchasing/orders",
        json={
            "supplier_id": supplier["id"],
            "lines": [{"sku": "MIE-2", "quantity": "1", "unit": "dus"}],
        },
    )
    assert bad_unit.status_code == 422 and "dus" in bad_unit.get_json()["error"]["message"]
    unknown = api.post(
        "/api/purchasing/orders",
        json={"supplier_id": supplier["id"], "lines": [{"product_id": 9999, "quantity": "1"}]},
    )
    assert unknown.status_code == 422
    # without a supplier price, the product's cost is the default price
    fallback = api.post(
        "/api/purchasing/orders",
        json={
            "supplier_id": supplier["id"],
            "lines": [{"sku": "MIE-2", "quantity": "1", "unit": "karton"}],
        },
    )
    assert fallback.get_json()["lines"][0]["unit_price"] == "100000.0000"


def test_reorder_points_become_draft_orders_per_default_supplier(
    api: Any, supplier: dict, warehouse: dict
) -> None:
    other = api.post("/api/purchasing/suppliers", json={"name": "CV Lain"}).get_json()
    low = [
        product(api, f"LOW-{i}", cost="1000", reorder_point="10", reorder_quantity="80")
        for i in range(3)
    ]
    for item, owner in ((low[0], supplier), (low[1], other)):
        api.put(
            f"/api/purchasing/suppliers/{owner['id']}/prices",
            json={"product_id": item["id"], "price": "900", "preferred": True},
        )
    suggestions = api.get("/api/purchasing/reorders").get_json()
    by_sku = {s["sku"]: s for s in suggestions}
    assert by_sku["LOW-0"]["supplier_id"] == supplier["id"]
    assert by_sku["LOW-2"]["supplier_id"] is None
    created = api.post("/api/purchasing/reorders", json={})
    assert created.status_code == 201, created.get_json()
    result = created.get_json()
    assert sorted(o["supplier_id"] for o in result["orders"]) == sorted(
        [supplier["id"], other["id"]]
    )
    assert all(o["status"] == "draft" for o in result["orders"])
    assert [u["sku"] for u in result["unassigned"]] == ["LOW-2"]
    first = next(o for o in result["orders"] if o["supplier_id"] == supplier["id"])
    assert first["lines"][0]["product_id"] == low[0]["id"]
    assert first["lines"][0]["unit_price"] == "900.0000"
