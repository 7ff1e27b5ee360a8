"""Sales on core's rules: forms read numbers like niaga.l10n and store what they show,
documents carry the shop's business day, numbers come from core_sequence, lines follow
niaga.money.line_amounts, and the POS page's JavaScript reads and totals like the server."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from niaga.models import Sequence, User
from niaga.money import LineInput, line_amounts
from niaga.testing import TYPED_NUMBERS, csrf_token, typed_meaning

pytestmark = pytest.mark.plugins("sales")

STATIC = Path(__file__).parents[1] / "niaga_sales" / "static"


def inputs(page: str) -> dict[str, str]:
    """The values of a rendered page's text inputs, by name."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            found[name.group(1)] = value.group(1) if value else ""
    return found


def set_language(db, email: str, language: str) -> None:
    db.execute(sa.update(User).where(User.email == email).values(language=language))
    db.commit()


def invoiced(api, customer, line, price: str = "40000") -> dict:
    order = api.post(
        "/api/sales/orders",
        json={"customer_id": customer["id"], "lines": [line("Gula 1 kg", "1", price)]},
    ).get_json()
    url = f"/api/sales/orders/{order['id']}"
    assert api.post(f"{url}/confirm").status_code == 200
    delivery = api.post(f"{url}/deliveries", json={})
    assert delivery.status_code == 201, delivery.get_json()
    done = api.post(f"/api/sales/deliveries/{delivery.get_json()['id']}/deliver")
    assert done.status_code == 200, done.get_json()
    answer = api.post(f"{url}/invoice")
    assert answer.status_code in (200, 201), answer.get_json()
    return answer.get_json()


def test_invoice_payment_as_prefilled_records_what_was_shown(logged_in, api, customer, line):
    invoice = invoiced(api, customer, line)
    url = f"/admin/sales/invoices/{invoice['id']}"
    values = inputs(logged_in.get(url).get_data(as_text=True))
    assert values["amount"] == "40.000"
    answer = logged_in.post(f"{url}/pay", data={**values, "method": "cash"})
    assert answer.status_code == 302
    paid = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    assert Decimal(paid["paid_amount"]) == Decimal("40000")
    assert paid["state"] == "paid"


@pytest.mark.parametrize("language", ["id", "en"])
def test_typed_numbers_mean_what_l10n_says(logged_in, db, api, language):
    set_language(db, "owner@toko.id", language)
    for index, typed in enumerate(TYPED_NUMBERS):
        # a money field: the customer's credit limit
        token = csrf_token(logged_in, "/admin/sales/customers")
        name = f"Toko Uji {language} {index}"
        logged_in.post(
            "/admin/sales/customers",
            data={"csrf_token": token, "shop_name": name, "credit_limit": typed},
        )
        found = [c for c in api.get("/api/sales/customers").get_json() if c["shop_name"] == name]
        expected = typed_meaning(typed, 2, language)
        if expected == "refused" or (isinstance(expected, Decimal) and expected < 0):
            assert found == [], typed  # refused: nothing stored
        else:
            assert len(found) == 1, typed
            stored = found[0]["credit_limit"]
            assert (None if stored is None else Decimal(stored)) == expected, typed
    customer_id = api.get("/api/sales/customers").get_json()[0]["id"]
    for typed in TYPED_NUMBERS:
        # a quantity field: a line of the new-order form
        before = len(api.get("/api/sales/orders").get_json())
        token = csrf_token(logged_in, "/admin/sales/orders/new")
        logged_in.post(
            "/admin/sales/orders/new",
            data={
                "csrf_token": token,
                "customer_id": customer_id,
                "quantity_0": typed,
                "description_0": "Beras",
                "unit_price_0": "1000",
            },
        )
        orders = api.get("/api/sales/orders").get_json()
        expected = typed_meaning(typed, 4, language)
        if expected == "refused" or expected is None or expected <= 0:
            assert len(orders) == before, typed
        else:
            assert len(orders) == before + 1, typed
            assert Decimal(orders[0]["lines"][0]["quantity"]) == expected, typed


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), dt.date(2026, 12, 1)),  # 00:30 WIB
        (dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), dt.date(2026, 12, 31)),  # 23:30 WIB
    ],
)
def test_documents_carry_the_shop_day_and_core_numbers(
    shop_clock, app, db, api, customer, line, moment, day
):
    shop_clock(moment)
    invoice = invoiced(api, customer, line)
    order = api.get(f"/api/sales/orders/{invoice['order_id']}").get_json()
    assert order["order_date"] == day.isoformat()
    assert invoice["invoice_date"] == day.isoformat()
    assert order["number"] == f"SO/{day:%Y}/{day:%m}/0001"
    assert invoice["number"] == f"INV/{day:%Y}/{day:%m}/0001"
    paid = api.post(
        f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": "40000", "method": "cash"}
    )
    assert paid.status_code in (200, 201), paid.get_json()
    from niaga_sales.documents import delivery_document
    from niaga_sales.models import Delivery

    delivery = db.scalars(sa.select(Delivery)).one()
    assert delivery_document(delivery).date == day
    assert delivery.number == f"SJ/{day:%Y}/{day:%m}/0001"
    counters = {(s.series, s.period): s.last for s in db.scalars(sa.select(Sequence))}
    period = f"{day:%Y-%m}"
    for series in ("sales.order", "sales.delivery", "sales.invoice"):
        assert counters[(series, period)] == 1, series


def test_return_and_pos_numbers_come_from_core(app, db, api, customer, line):
    invoice = invoiced(api, customer, line)
    full = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    returned = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": full["lines"][0]["id"], "quantity": "1"}]},
    )
    assert returned.status_code == 201, returned.get_json()
    assert returned.get_json()["number"].startswith("CN/")
    series = set(db.scalars(sa.select(Sequence.series)))
    assert {"sales.order", "sales.invoice", "sales.credit_note"} <= series


def test_order_lines_follow_the_core_line_rule(app, db):
    from niaga_sales.config import TaxPolicy
    from niaga_sales.models import OrderLine
    from niaga_sales.pricing import fill_line

    rng = random.Random(14)
    for _ in range(300):
        quantity = Decimal(rng.randint(1, 4000)) / Decimal(rng.choice([1, 10, 100]))
        price = Decimal(rng.randint(0, 5_000_000)) / Decimal(rng.choice([1, 100]))
        percent = Decimal(rng.choice([0, 0, 5, 7.5, 12.25, 50]))
        policy = TaxPolicy(
            Decimal(rng.choice(["0", "0.11", "0.12"])),
            rng.choice(["1", "11/12"]),
            rng.random() < 0.5,
        )
        line = OrderLine()
        data = {"description": "x", "quantity": quantity, "unit_price": price}
        fill_line(db, line, {**data, "discount_percent": percent}, None, policy, True)
        expected = line_amounts(
            LineInput(quantity, price, percent, policy.rate, policy.base),
            policy.prices_include_tax,
        )
        assert (line.discount, line.net, line.tax, line.total) == (
            expected.discount,
            expected.net,
            expected.tax,
            expected.total,
        )


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_pos_javascript_reads_and_totals_like_the_server():
    cases = [*TYPED_NUMBERS, "1,250", ",5", ".5", "1.250,", "0,125", "0.125", "Rp 50.000", "+5"]
    lines = [
        {"quantity": "3", "unit_price": "10", "discount_percent": "5"},
        {"quantity": "2.5", "unit_price": "3333.33", "tax_rate": "0.12", "tax_base": "11/12"},
        {"quantity": "1", "unit_price": "111000", "tax_rate": "0.12", "tax_base": "11/12"},
        {"quantity": "7", "unit_price": "1499", "tax_rate": "0.11", "tax_base": "1"},
    ]
    script = (
        f"const N = require({json.dumps(str(STATIC / 'numbers.js'))});"
        f"const cases = {json.dumps(cases)}; const lines = {json.dumps(lines)};"
        "const out = {parsed: {}, lines: []};"
        "for (const lang of ['id', 'en']) { out.parsed[lang] = {};"
        "  for (const [places, key] of [[2, 'money'], [4, 'quantity']]) {"
        "    out.parsed[lang][key] = cases.map(c => N.parse(c, places, lang)); } }"
        "for (const inc of [false, true]) out.lines.push(lines.map(l => N.lineAmounts(l, inc)));"
        "console.log(JSON.stringify(out));"
    )
    result = json.loads(
        subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    )
    for language in ("id", "en"):
        for places, key in ((2, "money"), (4, "quantity")):
            for text, answer in zip(cases, result["parsed"][language][key], strict=True):
                expected = typed_meaning(text, places, language)
                if expected == "refused":
                    assert "error" in answer, (language, text, answer)
                elif expected is None:
                    assert answer == {"value": None}, (language, text)
                else:
                    assert Decimal(answer["value"]) == expected, (language, text, answer)
    for include, computed in zip((False, True), result["lines"], strict=True):
        for data, answer in zip(lines, computed, strict=True):
            expected = line_amounts(
                LineInput(
                    Decimal(data["quantity"]),
                    Decimal(data["unit_price"]),
                    Decimal(data.get("discount_percent", "0")),
                    Decimal(data.get("tax_rate", "0")),
                    data.get("tax_base", "1"),
                ),
                include,
            )
            assert answer == {
                "discount": int(expected.discount),
                "net": int(expected.net),
                "tax": int(expected.tax),
                "total": int(expected.total),
            }
