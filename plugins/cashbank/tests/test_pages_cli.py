# ruff: noqa: E501  (long literal amounts and SQL read better on one line)
"""Admin pages (printable reports, CSV), the CLI (reports, export, check), bank
reconciliation, demo data and the dashboard widget."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import sqlalchemy as sa
from beancount import loader
from click.testing import CliRunner

from niaga.testing import csrf_token, shop_today
from niaga_cashbank import reconcile
from niaga_cashbank.chart import account_by_code
from niaga_cashbank.demo import load
from niaga_cashbank.models import StatementLine
from niaga_cashbank.vouchers import create_voucher

pytestmark = pytest.mark.plugins("cashbank")


@pytest.fixture
def demo(books):
    load(books, shop_today(books))
    books.commit()
    return books


def last_month() -> tuple[str, str]:
    end = shop_today().replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1).isoformat(), end.isoformat()


def test_demo_month_gives_balanced_books_and_pages(demo, logged_in):
    start, end = last_month()
    for url in [
        "/admin/cashbank/",
        "/admin/cashbank/accounts",
        "/admin/cashbank/journal",
        "/admin/cashbank/rules",
        "/admin/cashbank/reports",
        f"/admin/cashbank/reports/laba-rugi?from={start}&to={end}",
        f"/admin/cashbank/reports/neraca?from={start}&to={end}",
        f"/admin/cashbank/reports/arus-kas?from={start}&to={end}",
        f"/admin/cashbank/reports/trial-balance?from={start}&to={end}",
        f"/admin/cashbank/reports/umur-piutang?from={start}&to={end}",
        f"/admin/cashbank/notes?from={start}&to={end}",
        f"/admin/cashbank/ledger/{account_by_code(demo, '1-1100').id}?from={start}&to={end}",
        f"/admin/cashbank/reconcile/{account_by_code(demo, '1-1200').id}",
    ]:
        response = logged_in.get(url)
        assert response.status_code == 200, url
    page = logged_in.get(f"/admin/cashbank/reports/laba-rugi?from={start}&to={end}").get_data(
        as_text=True
    )
    assert "Laporan Laba Rugi" in page and "@media print" in page and "Rp 3.500.000" in page
    notes = logged_in.get(f"/admin/cashbank/notes?from={start}&to={end}").get_data(as_text=True)
    assert notes.index("Pernyataan kepatuhan") < notes.index("Kebijakan akuntansi")
    assert "SAK EMKM" in notes
    csv_page = logged_in.get(f"/admin/cashbank/reports/neraca?from={start}&to={end}&format=csv")
    assert csv_page.mimetype == "text/csv"
    dashboard = logged_in.get("/admin/").get_data(as_text=True)
    assert "<svg" in dashboard and "polyline" in dashboard


def test_voucher_form_posts_and_refuses_bad_input(books, logged_in):
    token = csrf_token(logged_in, "/admin/cashbank/")
    kas = account_by_code(books, "1-1100").id
    response = logged_in.post(
        "/admin/cashbank/vouchers",
        data={
            "csrf_token": token,
            "kind": "capital",
            "date": "2026-03-01",
            "account_id": kas,
            "amount": "1.000.000",
        },
    )
    assert response.status_code == 302
    bad = logged_in.post(
        "/admin/cashbank/vouchers",
        data={
            "csrf_token": token,
            "kind": "out",
            "date": "2026-03-01",
            "account_id": kas,
            "amount": "abc",
        },
        follow_redirects=True,
    )
    assert "Enter the amount as a number" in bad.get_data(as_text=True) or "angka" in bad.get_data(
        as_text=True
    )
    page = logged_in.get("/admin/cashbank/").get_data(as_text=True)
    assert "Rp 1.000.000" in page
    assert (
        logged_in.post("/admin/cashbank/vouchers", data={"kind": "in"}).status_code == 400
    )  # no CSRF


class Runner:
    """The ``niaga cashbank`` group run in-process, in the test's app context."""

    def invoke(self, args: list[str]):
        from niaga_cashbank.cli import cashbank

        assert args[0] == "cashbank"
        return CliRunner().invoke(cashbank, args[1:])


def test_cli_reports_export_and_check(demo, app, monkeypatch):
    start, end = last_month()
    runner = Runner()
    result = runner.invoke(
        ["cashbank", "report", "laba-rugi", "--from", start, "--to", end, "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "Laporan Laba Rugi"
    assert Decimal(data["totals"]["net_profit"]) == Decimal(data["totals"]["revenue"]) - Decimal(
        data["totals"]["cost"]
    ) - Decimal(data["totals"]["expense"])
    text = runner.invoke(["cashbank", "report", "neraca", "--from", start, "--to", end])
    assert "Laporan Posisi Keuangan" in text.output and "Jumlah aset" in text.output
    trial = runner.invoke(
        ["cashbank", "report", "trial-balance", "--from", start, "--to", end, "--json"]
    )
    assert json.loads(trial.output)["totals"]["closing"] == "0.00"
    exported = runner.invoke(["cashbank", "export", "--format", "beancount"])
    _entries, errors, _ = loader.load_string(exported.output)
    assert errors == []
    assert runner.invoke(["cashbank", "export", "--format", "csv"]).output.startswith("entry,date")
    check = runner.invoke(["cashbank", "check"])
    assert check.exit_code == 0 and "OK" in check.output
    rules = runner.invoke(["cashbank", "rules", "set", "payment_method", "qris", "1-1260"])
    assert rules.exit_code == 0, rules.output
    listed = json.loads(runner.invoke(["cashbank", "rules", "list", "--json"]).output)
    assert {
        "event": "payment_method",
        "slot": "qris",
        "account": "1-1260",
        "name": "Saldo E-Wallet",
    } in listed


def test_check_fails_when_books_are_broken(books, app, monkeypatch):
    # A draft entry left behind (never posted) is what a crash half-way would leave.
    books.execute(
        sa.text(
            "INSERT INTO cashbank_journal_entry (date, description, reference, posted, created_at, created_by) VALUES (:d, 'x', '', :p, :t, '')"
        ),
        {"d": dt.date(2026, 3, 1), "p": False, "t": dt.datetime.now(dt.UTC)},
    )
    books.commit()
    result = Runner().invoke(["cashbank", "check"])
    assert result.exit_code == 1
    assert "never posted" in result.output


def test_niaga_check_hook_reports_no_problem_on_good_books(demo):
    from niaga.runtime import collect

    assert dict(collect("niaga_check", session=demo))["cashbank"] == []


STATEMENT = """Tanggal;Keterangan;Debet;Kredit
01/03/2026;SETORAN MODAL;;10.000.000,00
02/03/2026;BIAYA SEWA;2.500.000,00;
15/03/2026;BUNGA;;1.234,00
"""


def test_bank_reconciliation(books, api):
    bank = account_by_code(books, "1-1200")
    mapping = {
        "date": "Tanggal",
        "description": "Keterangan",
        "amount": "",
        "debit": "Debet",
        "credit": "Kredit",
        "delimiter": ";",
        "decimal_comma": True,
    }
    assert api.put(f"/api/cashbank/statements/{bank.id}/mapping", json=mapping).status_code == 200
    create_voucher(
        books,
        kind="capital",
        date=dt.date(2026, 3, 1),
        account_id=bank.id,
        amount=Decimal("10000000"),
    )
    create_voucher(
        books,
        kind="out",
        date=dt.date(2026, 3, 3),
        account_id=bank.id,
        amount=Decimal("2500000"),
        category_id=2,
    )
    create_voucher(
        books,
        kind="out",
        date=dt.date(2026, 3, 20),
        account_id=bank.id,
        amount=Decimal("99000"),
        category_id=3,
    )
    books.commit()
    imported = api.post(f"/api/cashbank/statements/{bank.id}/import", json={"csv": STATEMENT})
    assert imported.status_code == 201, imported.get_json()
    assert [line["amount"] for line in imported.get_json()] == [
        "10000000.00",
        "-2500000.00",
        "1234.00",
    ]
    # importing the same file again adds nothing
    assert (
        api.post(f"/api/cashbank/statements/{bank.id}/import", json={"csv": STATEMENT}).get_json()
        == []
    )
    assert api.post(f"/api/cashbank/statements/{bank.id}/auto-match").get_json() == {"matched": 2}
    open_items = api.get(f"/api/cashbank/statements/{bank.id}/unreconciled").get_json()
    assert [line["description"] for line in open_items["statement"]] == ["BUNGA"]
    assert [line["amount"] for line in open_items["books"]] == ["-99000.00"]
    # a manual match of what auto-match left; the same journal line cannot be matched twice
    interest = books.scalar(sa.select(StatementLine).where(StatementLine.description == "BUNGA"))
    journal_line = open_items["books"][0]["journal_line_id"]
    assert (
        api.post(
            "/api/cashbank/statements/match",
            json={"statement_line_id": interest.id, "journal_line_id": journal_line},
        ).status_code
        == 200
    )
    books.expire_all()
    assert reconcile.unmatched_statement_lines(books, bank) == []
    wrong = api.post(
        f"/api/cashbank/statements/{bank.id}/import",
        json={"csv": "Tanggal;Keterangan;Debet;Kredit\nbukan tanggal;x;1;\n"},
    )
    assert wrong.status_code == 422
    missing = api.post(f"/api/cashbank/statements/{bank.id}/import", json={"csv": "a;b\n1;2\n"})
    assert missing.status_code == 422
