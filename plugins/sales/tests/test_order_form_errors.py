"""Issue 21: a refused new sales order is shown again with what was typed and each problem
in Indonesian under its own field, nothing saved; the form is posted as it rendered."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from niaga.testing_pages import form_values
from niaga_sales.models import Order

pytestmark = pytest.mark.plugins("sales")


def problem_under(page: str, field: str) -> str:
    found = re.search(rf'<small class="error" id="{field}-error">([^<]*)</small>', page)
    assert found, f"no problem under {field}"
    return found.group(1)


def test_problems_stand_under_their_fields_and_nothing_is_saved(db, logged_in, customer):
    page = logged_in.get("/admin/sales/orders/new").get_data(as_text=True)
    fields = {
        **form_values(page, having="customer_id"),
        "customer_id": str(customer["id"]),
        "description_0": "Gula pasir",
        "quantity_0": "2",
        "unit_price_0": "15.000",
        "description_2": "Kopi",
        "quantity_2": "dua",
        "unit_price_2": "10.000",
        "discount_percent_2": "150",
    }
    answer = logged_in.post("/admin/sales/orders/new", data=fields)

    assert answer.status_code == 200  # shown again, not redirected
    shown = answer.get_data(as_text=True)
    assert problem_under(shown, "quantity_2") == "dua bukan angka; ketik seperti 1.250.000,5"
    assert problem_under(shown, "discount_percent_2").startswith("Paling banyak 100")
    assert 'value="Gula pasir"' in shown and 'value="dua"' in shown  # what was typed stays
    assert 'aria-invalid="true" aria-describedby="quantity_2-error"' in shown
    assert "quantity_0-error" not in shown
    assert db.scalar(sa.select(sa.func.count()).select_from(Order)) == 0
