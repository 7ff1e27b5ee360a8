"""Helpers for tests that need sales documents made the way a person makes them."""

from __future__ import annotations

from typing import Any


def invoiced(api: Any, customer_id: int, lines: list[dict[str, Any]], **extra: Any) -> Any:
    """An order of ``lines`` through the API: confirmed, delivered in full and invoiced;
    returns the invoice as the API answers it. ``extra`` goes into the order."""
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer_id, "lines": lines, **extra}
    )
    assert order.status_code == 201, order.get_json()
    order_id = order.get_json()["id"]
    assert api.post(f"/api/sales/orders/{order_id}/confirm", json={}).status_code == 200
    delivery = api.post(f"/api/sales/orders/{order_id}/deliveries", json={"deliver": True})
    assert delivery.status_code == 201, delivery.get_json()
    invoice = api.post(f"/api/sales/orders/{order_id}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    return invoice.get_json()


def assert_schema_valid(document: bytes, schema: str) -> None:
    """Check ``document`` against one of the XSD files in ``niaga_sales/xsd``
    (``TaxInvoice.xsd``, ``ReturnTaxInvoice.xsd``); the error names the element."""
    import xmlschema  # a test dependency (requirements-test.txt)

    from niaga_sales.coretax import SCHEMAS

    xmlschema.XMLSchema(str(SCHEMAS / schema)).validate(document.decode("utf-8"))
