"""Refusals found by attacking the running application (issue 16), each a 4xx in the JSON
envelope with a stable code and an interpolated message, storing nothing: a delete a foreign
key refuses is a 409 naming what is in the way, a quantity too fine for its column is 422,
and a duplicate code is named in the message, never used as the error's code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.plugins("inventory", "sales", "cashbank", "purchasing", "loyalty")

CHECKOUT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = r"(?:NiagaError|Invalid|NotFound|Conflict|Refused|Forbidden|BadRequest)"


def test_a_bank_account_a_statement_mapping_uses_is_409_with_what_uses_it(api, db):
    created = api.post(
        "/api/cashbank/accounts",
        json={"code": "1-1290", "name": "Bank Jago", "type": "asset", "cash_kind": "bank"},
    )
    assert created.status_code == 201, created.get_json()
    account_id = created.get_json()["id"]
    mapping = {"date": "Tanggal", "description": "Keterangan", "amount": "Jumlah"}
    put = api.put(f"/api/cashbank/statements/{account_id}/mapping", json=mapping)
    assert put.status_code == 200, put.get_json()

    for language, used in (("en", "It is still used by"), ("id", "Masih dipakai oleh")):
        response = api.delete(
            f"/api/cashbank/accounts/{account_id}", headers={"Accept-Language": language}
        )
        assert response.status_code == 409, response.get_data(as_text=True)
        error = response.get_json()["error"]
        assert error["code"] == "still_referenced"
        assert error["message"].startswith(f"{used} cashbank_statement_mapping (1)")
        assert error["fields"] == {"_schema": ["referenced by cashbank_statement_mapping"]}
    db.rollback()
    assert api.get(f"/api/cashbank/accounts/{account_id}").status_code == 200


@pytest.fixture
def product(api) -> int:
    body = {"sku": "GL-1", "name": "Gula 1 kg", "price": "18500", "base_unit": "bungkus"}
    response = api.post("/api/inventory/products", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def customer(api) -> int:
    response = api.post("/api/sales/customers", json={"code": "C-1", "shop_name": "Toko Sinar"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.mark.parametrize("quantity", ["1e-30", 1e-30, "0.00001", 0.5])
def test_an_order_quantity_finer_than_its_column_is_422_and_stores_nothing(
    api, db, product, customer, quantity
):
    from niaga_sales.models import Order

    body = {"customer_id": customer, "lines": [{"product_id": product, "quantity": quantity}]}
    response = api.post("/api/sales/orders", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["fields"]["lines"]["0"]["quantity"]
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(Order)) == 0


@pytest.mark.parametrize(
    ("url", "body", "code", "english", "indonesian"),
    [
        (
            "/api/inventory/warehouses",
            {"code": "GD-2", "name": "Gudang 2"},
            "warehouse_code_taken",
            "Warehouse code GD-2 is empty or already used",
            "Kode gudang GD-2 kosong atau sudah dipakai",
        ),
        (
            "/api/sales/customers",
            {"code": "C-9", "shop_name": "Toko Maju"},
            "customer_code_taken",
            "Customer code C-9 is already used",
            "Kode pelanggan C-9 sudah dipakai",
        ),
        (
            "/api/purchasing/suppliers",
            {"code": "SUP-1", "name": "CV Maju"},
            "supplier_code_taken",
            "Another supplier already has the code SUP-1",
            "Kode SUP-1 sudah dipakai pemasok lain",
        ),
    ],
)
def test_a_duplicate_code_is_named_in_the_message_not_used_as_the_error_code(
    api, url, body, code, english, indonesian
):
    assert api.post(url, json=body).status_code == 201
    for language, message in (("en", english), ("id", indonesian)):
        response = api.post(url, json=body, headers={"Accept-Language": language})
        assert response.status_code in (409, 422), response.get_data(as_text=True)
        error = response.get_json()["error"]
        assert (error["code"], error["message"]) == (code, message)


def test_no_error_message_takes_its_code_as_a_placeholder():
    """``code=`` names an error's stable code; a ``{code}`` in the message would receive
    it (or the user's value would become the code)."""
    raising = re.compile(ERROR_CLASSES + r'\(\s*"[^"]*\{code\}')
    sources = [*CHECKOUT.glob("core/niaga/**/*.py"), *CHECKOUT.glob("plugins/*/niaga_*/**/*.py")]
    found = [str(path) for path in sources if raising.search(path.read_text(encoding="utf-8"))]
    assert not found


SALE = {
    "client_ref": "till1-0001",
    "lines": [{"description": "Aqua 600 ml", "quantity": "3", "unit_price": "4000"}],
    "method": "cash",
    "received": "50000",
}


@pytest.fixture
def till(api) -> None:
    response = api.post("/api/sales/pos/sessions", json={"opening_cash": "100000"})
    assert response.status_code == 201, response.get_json()


def in_days(days: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


YEARS = {
    "en": "The year must be from 1900 to 2199",
    "id": "Tahunnya harus antara 1900 dan 2199",
}


@pytest.mark.parametrize(
    ("sold_at", "code"),
    [
        ("9999-12-31T23:59:59-12:00", None),  # past the calendar's end in UTC
        ("0001-01-01T00:00:00+07:00", None),
        ("1999-12-31T23:59:59+07:00", "sold_at_out_of_range"),
        pytest.param("future", "sold_at_out_of_range", id="two days ahead"),
    ],
)
def test_a_pos_sale_at_an_impossible_time_is_422_and_stores_nothing(api, db, till, sold_at, code):
    from niaga_sales.models import PosSale

    body = {**SALE, "sold_at": in_days(2) if sold_at == "future" else sold_at}
    response = api.post("/api/sales/pos/sales", json=body, headers={"Accept-Language": "id"})
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    if code is None:  # refused by the API's one date field, as every date of the API
        assert error["fields"] == {"sold_at": [YEARS["id"]]}
    else:  # a sensible year, but not a time a sale at this counter can have
        assert error["code"] == code
        assert error["message"] == (
            "Waktu penjualan harus mulai tahun 2000 dan paling lambat satu hari dari sekarang"
        )
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(PosSale)) == 0
    assert api.get("/api/sales/pos/sales").status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("put", "/api/cashbank/lock-date", {"lock_date": "0001-01-01"}, "lock_date"),
        (
            "post",
            "/api/cashbank/entries",
            {"date": "9999-12-31", "description": "Setoran", "lines": []},
            "date",
        ),
        ("get", "/api/cashbank/entries?from=0001-01-01", None, "from"),
        (
            "post",
            "/api/loyalty/campaigns",
            {"name": "Lebaran", "starts_on": "1899-12-31", "ends_on": "2026-12-31"},
            "starts_on",
        ),
        (
            "post",
            "/api/purchasing/orders",
            {"supplier_id": 1, "order_date": "2200-01-01", "lines": []},
            "order_date",
        ),
    ],
)
def test_a_date_of_an_impossible_year_is_422_in_the_callers_language_and_stores_nothing(
    api, db, method, url, body, field
):
    from niaga_cashbank.models import JournalEntry
    from niaga_loyalty.models import Campaign
    from niaga_purchasing.models import PurchaseOrder

    def stored() -> list[int]:
        db.rollback()
        models = (JournalEntry, Campaign, PurchaseOrder)
        return [db.scalar(sa.select(sa.func.count()).select_from(m)) for m in models]

    before = stored()
    lock = api.get("/api/cashbank/lock-date").get_json()
    for language, message in YEARS.items():
        kwargs = {"headers": {"Accept-Language": language}}
        if body is not None:
            kwargs["json"] = body
        response = getattr(api, method)(url, **kwargs)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.get_json()["error"]["fields"][field] == [message]
    assert stored() == before
    assert api.get("/api/cashbank/lock-date").get_json() == lock


def test_the_first_and_last_sensible_years_are_taken(api):
    for day in ("1900-01-01", "2199-12-31"):
        response = api.put("/api/cashbank/lock-date", json={"lock_date": day})
        assert response.status_code == 200, response.get_json()
        assert response.get_json() == {"lock_date": day}
    assert api.put("/api/cashbank/lock-date", json={"lock_date": None}).status_code == 200


def test_every_date_the_api_reads_is_the_bounded_date_of_core():
    """Core and every plugin read dates and moments through ``niaga.fields``: no
    marshmallow date field of its own, which would take the year 0001 or 9999."""
    import marshmallow as ma

    from niaga import fields

    def schemas(cls: type) -> list[type]:
        found = [cls]
        for sub in cls.__subclasses__():
            found += schemas(sub)
        return found

    plain = []
    for schema in schemas(ma.Schema):
        if not schema.__module__.startswith("niaga"):
            continue
        for name, field in schema._declared_fields.items():
            inner = getattr(field, "inner", field)
            dated = isinstance(inner, ma.fields.Date | ma.fields.DateTime)
            if dated and not isinstance(inner, fields.Date | fields.DateTime):
                plain.append(f"{schema.__module__}.{schema.__qualname__}.{name}")
    assert plain == []


def test_niaga_check_flags_a_stored_date_of_an_impossible_year(api, db, customer, run_niaga):
    import json

    from niaga.core_plugin import niaga_check
    from niaga_sales.models import Customer

    assert niaga_check(db) == []
    db.execute(sa.update(Customer).values(created_at=dt.datetime(1800, 1, 1, tzinfo=dt.UTC)))
    db.commit()
    expected = "sales_customer.created_at: 1 outside the years 1900 to 2199"
    assert niaga_check(db) == [expected]
    db.rollback()
    checked = run_niaga("check", "--json", check=False)
    assert checked.returncode == 1, checked.stderr
    assert expected in json.loads(checked.stdout)["core"], checked.stdout + checked.stderr


def test_an_offline_sale_sent_later_is_kept_and_niaga_check_flags_a_stored_bad_date(api, db, till):
    from niaga_sales.checks import problems
    from niaga_sales.models import PosSale

    response = api.post("/api/sales/pos/sales", json={**SALE, "sold_at": in_days(-0.5)})
    assert response.status_code == 201, response.get_json()
    db.rollback()
    assert problems(db) == []
    db.execute(sa.update(PosSale).values(sold_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    db.commit()
    assert [p for p in problems(db) if "till1-0001" in p] == [
        "POS sale till1-0001: sold at 1970-01-01 00:00:00+00:00, out of range"
    ]


@pytest.mark.parametrize("body", [b"{", b"[]"])
def test_loyalty_expire_with_a_body_it_does_not_take_is_400_and_runs_nothing(api, db, body):
    """``POST /api/loyalty/expire`` takes no body: ``{`` or ``[]`` was answered 200 and ran."""
    from niaga.models import AuditLog

    db.rollback()
    before = db.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    for language in ("en", "id"):
        response = api.client.post(
            "/api/loyalty/expire",
            data=body,
            headers={
                "Authorization": f"Bearer {api.token}",
                "Content-Type": "application/json",
                "Accept-Language": language,
            },
        )
        assert response.status_code == 400, response.get_data(as_text=True)
        assert response.get_json()["error"]["code"] in {"unexpected_body", "invalid_json"}
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == before
