"""The stock card says who moved stock by the person's name (issue 21), never the raw
``user:3:sari@toko.id`` actor; moves made by Niaga itself or the command line say so."""

from __future__ import annotations

import pytest

from niaga.audit import acting_as
from niaga.testing import csrf_token, login

pytestmark = pytest.mark.plugins("inventory")


def test_the_stock_card_names_people(app, client, db, make_user, make_product, receive):
    sari = make_user("warehouse", email="sari@toko.id", name="Sari Gudang")
    product = make_product()
    receive(product, 10, cost=26_800)  # by the system (no one logged in)
    with acting_as("cli:owner@toko.id"):
        receive(product, 5, cost=26_800, reference="purchasing.receipt:2")
    login(client, sari)
    url = f"/admin/inventory/products/{product.id}"
    adjusted = client.post(
        f"{url}/adjust",
        data={"csrf_token": csrf_token(client, url), "quantity": "-2", "reason": "rusak"},
    )
    assert adjusted.status_code == 302
    html = client.get(url, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "<small>Sari Gudang</small>" in html
    assert "Baris perintah (owner@toko.id)" in html
    assert "Niaga (otomatis)" in html
    assert "user:" not in html and "sari@toko.id" not in html
