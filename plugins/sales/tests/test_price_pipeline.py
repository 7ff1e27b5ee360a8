"""``sales_price`` is a pipeline: every enabled pricing plugin refines the price the one
before it gave, and a disabled one is skipped."""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Any

import pytest

from niaga import PluginMeta, hookimpl
from niaga.lifecycle import disable, enable
from niaga.runtime import forget_enabled_plugins, niaga

pytestmark = pytest.mark.plugins("sales", "inventory")


def pricing_plugin(name: str, adjust: Any) -> types.ModuleType:
    module = types.ModuleType(f"niaga_{name}")
    module.PLUGIN = PluginMeta(
        name=name, label={"en": name}, description={"en": name}, depends=("sales",)
    )
    module.sales_price = hookimpl(adjust)
    return module


@pytest.fixture
def product(api: Any) -> dict[str, Any]:
    created = api.post(
        "/api/inventory/products",
        json={"sku": "KP-01", "name": "Kopi Kapal Api 65 g", "base_unit": "pcs", "price": "10000"},
    )
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def unit_price(api: Any, customer: dict[str, Any], product: dict[str, Any]) -> Decimal:
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"product_id": product["id"], "quantity": "12"}],
        },
    )
    assert order.status_code == 201, order.get_json()
    return Decimal(order.get_json()["lines"][0]["unit_price"])


def test_each_pricing_plugin_refines_the_previous_answer(app, db, api, customer, product):
    host = niaga().host
    seen: list[Decimal] = []

    def dozen_off(price: Decimal, quantity: Decimal) -> Decimal | None:
        seen.append(price)
        return price - Decimal("1000") if quantity >= 12 else None

    def keeps(price: Decimal) -> None:
        seen.append(price)

    def halves(price: Decimal) -> Decimal:
        seen.append(price)
        return price / 2

    for name, adjust in (("dozen", dozen_off), ("keeper", keeps), ("half", halves)):
        host.add(pricing_plugin(name, adjust))
        enable(db, host, name)
    db.commit()
    forget_enabled_plugins()
    try:
        # pluggy calls the last registered first: half, then keeper, then dozen
        assert unit_price(api, customer, product) == Decimal("4000")
        assert seen == [Decimal("10000"), Decimal("5000"), Decimal("5000")]

        disable(db, host, "half")
        db.commit()
        forget_enabled_plugins()
        seen.clear()
        assert unit_price(api, customer, product) == Decimal("9000")
        assert seen == [Decimal("10000"), Decimal("10000")]
    finally:
        for name in ("dozen", "keeper", "half"):
            host.remove(name)
