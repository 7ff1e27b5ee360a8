"""Helpers for purchasing tests: a supplier and an order made through the API."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def supplier(api: Any) -> dict[str, Any]:
    response = api.post(
        "/api/purchasing/suppliers",
        json={
            "name": "PT Sumber Pangan",
            "npwp": "01.234.567.8-431.000",
            "payment_terms_days": 30,
            "city": "Bekasi",
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _make_order(api: Any, supplier_id: int, lines: list[dict[str, Any]]) -> dict[str, Any]:
    response = api.post("/api/purchasing/orders", json={"supplier_id": supplier_id, "lines": lines})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _confirm(api: Any, order_id: int) -> dict[str, Any]:
    for action in ("send", "confirm"):
        response = api.post(f"/api/purchasing/orders/{order_id}/{action}")
        assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def free_text_order(api: Any, supplier: dict[str, Any]) -> dict[str, Any]:
    """A confirmed order of two free-text lines (no inventory needed)."""
    order = _make_order(
        api,
        supplier["id"],
        [
            {
                "description": "Beras 5 kg",
                "quantity": "10",
                "unit": "karung",
                "unit_price": "65000",
            },
            {
                "description": "Minyak goreng 2 L",
                "quantity": "24",
                "unit": "botol",
                "unit_price": "33500",
                "discount_percent": "5",
            },
        ],
    )
    return _confirm(api, order["id"])


@pytest.fixture
def make_order(api: Any) -> Any:
    """``make_order(supplier_id, lines)`` creates a draft order through the API."""
    return lambda supplier_id, lines: _make_order(api, supplier_id, lines)


@pytest.fixture
def confirm_order(api: Any) -> Any:
    """``confirm_order(order_id)`` sends and confirms an order."""
    return lambda order_id: _confirm(api, order_id)
