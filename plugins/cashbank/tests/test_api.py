# ruff: noqa: E501  (long literal amounts and SQL read better on one line)
"""The REST API: accounts, manual entries, reversal, rules, vouchers, reports, export,
permissions and the error envelope; cash/bank alone, with no other plugin enabled."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.plugins("cashbank")


def account_id(api, code: str) -> int:
    accounts = api.get("/api/cashbank/accounts?page_size=100").get_json()
    return next(a["id"] for a in accounts if a["code"] == code)


def test_chart_is_created_on_first_use_in_indonesian(api):
    accounts = api.get("/api/cashbank/accounts?page_size=100").get_json()
    names = {a["code"]: a["name"] for a in accounts}
    assert names["1-1100"] == "Kas"
    assert names["2-1300"] == "Liabilitas Poin Loyalitas"
    assert names["3-2000"] == "Prive"
    assert {a["type"] for a in accounts} == {
        "asset",
        "liability",
        "equity",
        "revenue",
        "cost",
        "expense",
    }


def test_accounts_are_editable_archivable_and_never_deleted_once_used(api):
    created = api.post(
        "/api/cashbank/accounts",
        json={"code": "6-1900", "name": "Beban Kebersihan", "type": "expense"},
    )
    assert created.status_code == 201, created.get_json()
    new_id = created.get_json()["id"]
    assert (
        api.patch(
            f"/api/cashbank/accounts/{new_id}", json={"name": "Beban Kebersihan Toko"}
        ).get_json()["name"]
        == "Beban Kebersihan Toko"
    )
    assert (
        api.post(
            "/api/cashbank/accounts", json={"code": "6-1900", "name": "x", "type": "expense"}
        ).status_code
        == 409
    )
    kas = account_id(api, "1-1100")
    entry = api.post(
        "/api/cashbank/entries",
        json={
            "date": "2026-03-02",
            "description": "Bayar kebersihan",
            "lines": [
                {"account_code": "6-1900", "debit": "50000"},
                {"account_code": "1-1100", "credit": "50000"},
            ],
        },
    )
    assert entry.status_code == 201, entry.get_json()
    refused = api.delete(f"/api/cashbank/accounts/{new_id}")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "refused"
    assert (
        api.patch(f"/api/cashbank/accounts/{new_id}", json={"archived": True}).get_json()[
            "archived"
        ]
        is True
    )
    # an archived account takes no new manual postings
    again = api.post(
        "/api/cashbank/entries",
        json={
            "date": "2026-03-03",
            "description": "x",
            "lines": [
                {"account_code": "6-1900", "debit": "1"},
                {"account_code": "1-1100", "credit": "1"},
            ],
        },
    )
    assert again.status_code == 422
    unused = api.post(
        "/api/cashbank/accounts",
        json={"code": "6-1910", "name": "Tidak dipakai", "type": "expense"},
    )
    assert api.delete(f"/api/cashbank/accounts/{unused.get_json()['id']}").status_code == 204
    assert kas


def test_bad_input_gets_the_error_envelope(api):
    unbalanced = api.post(
        "/api/cashbank/entries",
        json={
            "date": "2026-03-02",
            "description": "x",
            "lines": [
                {"account_code": "1-1100", "debit": "10"},
                {"account_code": "3-1000", "credit": "9"},
            ],
        },
    )
    assert unbalanced.status_code == 422
    assert unbalanced.get_json()["error"]["code"] == "invalid"
    assert api.post("/api/cashbank/entries", json={"date": "nope"}).status_code == 422
    assert (
        api.post(
            "/api/cashbank/vouchers",
            json={"kind": "out", "date": "2026-03-01", "account_id": 1, "amount": "-5"},
        ).status_code
        == 422
    )
    assert api.get("/api/cashbank/reports/unknown").status_code == 404
    assert (
        api.get("/api/cashbank/reports/laba-rugi?from=2026-03-31&to=2026-03-01").status_code == 422
    )
    assert api.get("/api/cashbank/entries/999").status_code == 404
    assert (
        api.put(
            "/api/cashbank/rules/sales_invoice_issued/revenue", json={"account_code": "9-9999"}
        ).status_code
        == 404
    )


def test_vouchers_transfers_capital_prive_and_reports_work_alone(api):
    bank, kas = account_id(api, "1-1200"), account_id(api, "1-1100")
    categories = {c["name"]: c["id"] for c in api.get("/api/cashbank/categories").get_json()}
    posts = [
        {"kind": "capital", "date": "2026-03-01", "account_id": bank, "amount": "10000000"},
        {
            "kind": "transfer",
            "date": "2026-03-02",
            "account_id": bank,
            "to_account_id": kas,
            "amount": "1000000",
        },
        {
            "kind": "out",
            "date": "2026-03-03",
            "account_id": kas,
            "amount": "200000",
            "category_id": categories["Transportasi dan BBM"],
        },
        {
            "kind": "in",
            "date": "2026-03-04",
            "account_id": kas,
            "amount": "50000",
            "category_id": categories["Pendapatan lain-lain"],
        },
        {"kind": "prive", "date": "2026-03-05", "account_id": kas, "amount": "100000"},
    ]
    for body in posts:
        response = api.post("/api/cashbank/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    assert api.get("/api/cashbank/vouchers").get_json()[0]["number"].startswith("PRV-")
    pl = api.get("/api/cashbank/reports/laba-rugi?from=2026-03-01&to=2026-03-31").get_json()
    assert pl["totals"]["net_profit"] == "-150000.00"
    sheet = api.get("/api/cashbank/reports/neraca?from=2026-03-01&to=2026-03-31").get_json()
    assert sheet["totals"]["assets"] == "9750000.00"
    assert sheet["totals"]["balanced"] is True
    trial = api.get("/api/cashbank/reports/trial-balance?from=2026-03-01&to=2026-03-31").get_json()
    assert trial["totals"]["closing"] == "0.00"
    csv_report = api.get("/api/cashbank/reports/laba-rugi?from=2026-03-01&to=2026-03-31&format=csv")
    assert csv_report.mimetype == "text/csv"
    assert "Laporan Laba Rugi" in csv_report.get_data(as_text=True)
    ledger = api.get(
        f"/api/cashbank/accounts/{kas}/ledger?from=2026-03-01&to=2026-03-31"
    ).get_json()
    assert ledger["totals"]["closing"] == "750000.00"
    beancount = api.get("/api/cashbank/export?format=beancount")
    assert "open Assets:1-1100-Kas IDR" in beancount.get_data(as_text=True)
    assert api.get("/api/cashbank/export?format=csv").mimetype == "text/csv"


def test_reversal_through_the_api(api):
    entry = api.post(
        "/api/cashbank/entries",
        json={
            "date": "2026-03-02",
            "description": "Salah",
            "lines": [
                {"account_code": "1-1100", "debit": "70000"},
                {"account_code": "3-1000", "credit": "70000"},
            ],
        },
    ).get_json()
    reversal = api.post(f"/api/cashbank/entries/{entry['id']}/reverse", json={"date": "2026-03-03"})
    assert reversal.status_code == 201
    assert reversal.get_json()["reverses_id"] == entry["id"]
    assert api.post(f"/api/cashbank/entries/{entry['id']}/reverse", json={}).status_code == 422


def test_posting_rules_are_editable_and_used(api, db, build):
    from niaga.runtime import hooks

    rules = api.get("/api/cashbank/rules").get_json()
    assert {
        "event": "payment_method",
        "slot": "qris",
        "account_code": "1-1250",
        "account_name": "Saldo Payment Gateway",
    } in rules
    changed = api.put("/api/cashbank/rules/payment_method/qris", json={"account_code": "1-1260"})
    assert changed.status_code == 200
    invoice = build.document("sales.invoice", 1, "1000", "0")
    hooks().sales_invoice_paid(
        session=db, invoice=invoice, payment=build.payment(1, invoice.reference, "1000", "qris")
    )
    db.commit()
    lines = api.get("/api/cashbank/entries").get_json()[0]["lines"]
    assert lines[0]["account_code"] == "1-1260"


def test_lock_date_via_api(api):
    assert api.put("/api/cashbank/lock-date", json={"lock_date": "2026-02-28"}).get_json() == {
        "lock_date": "2026-02-28"
    }
    refused = api.post(
        "/api/cashbank/entries",
        json={
            "date": "2026-02-10",
            "description": "x",
            "lines": [
                {"account_code": "1-1100", "debit": "1"},
                {"account_code": "3-1000", "credit": "1"},
            ],
        },
    )
    assert refused.status_code == 422


def test_permissions(api_as, make_user, client):
    assert client.get("/api/cashbank/accounts").status_code == 401
    cashier = api_as(make_user("cashier"))
    assert cashier.get("/api/cashbank/accounts").status_code == 403
    bookkeeper = api_as(make_user("bookkeeper"))
    assert bookkeeper.get("/api/cashbank/reports/neraca").status_code == 200
    manager = api_as(make_user("manager"))
    assert manager.get("/api/cashbank/accounts").status_code == 200
    assert manager.put("/api/cashbank/lock-date", json={"lock_date": None}).status_code == 403
    reports_only = api_as(make_user("owner"), ["cashbank.reports"])
    assert reports_only.get("/api/cashbank/reports/laba-rugi").status_code == 200
    assert reports_only.get("/api/cashbank/accounts").status_code == 403


@pytest.mark.plugins()
def test_disabled_plugin_answers_404(api):
    assert api.get("/api/cashbank/accounts").status_code == 404
