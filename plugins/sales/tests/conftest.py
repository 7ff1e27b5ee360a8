"""Helpers for the sales tests: customers, orders and a stand-in for money checks."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def customer(api: Any) -> dict[str, Any]:
    """A retailer in Palu with a credit limit of Rp 5.000.000 and 14 days to pay."""
    response = api.post(
        "/api/sales/customers",
        json={
            "shop_name": "Toko Sinar Palu",
            "owner_name": "Pak Rahman",
            "phone": "081234500001",
            "area": "Palu Barat",
            "credit_limit": "5000000",
            "payment_terms_days": 14,
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def free_line(description: str, quantity: str, price: str, **extra: Any) -> dict[str, Any]:
    return {"description": description, "quantity": quantity, "unit_price": price, **extra}


@pytest.fixture
def line() -> Any:
    return free_line
