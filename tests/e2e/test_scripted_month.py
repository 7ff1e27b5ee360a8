"""Issue 18, "Done when": a month of a PKP distributor run through the REST API, on SQLite and
PostgreSQL, and every figure of the Neraca Saldo, Laba Rugi and Laporan Posisi Keuangan
compared to the rupiah with a calculation written here, from the prices, quantities and
the shop's rules (PPN 12 % on a DPP of 11/12, average cost, 1 point per Rp 10.000 net worth
Rp 100) — never from what the code under test reports. Then ``niaga check`` is clean, and
names a sub-ledger broken on purpose.

The month: capital; two purchase orders with PPN Masukan, received in parts, billed (one
at another price than received), paid in part; a purchase return after payment and the
supplier's refund; a retailer order with PPN Keluaran delivered in two parts and
invoiced per delivery; one invoice paid through a gateway (Midtrans stand-in) with its fee;
a sales return before the last payment; a voucher and a gift redeemed with points; a
return after a voucher-discounted invoice was paid and the customer's refund; POS sales
in cash and QRIS; a stock count; an electricity bill; prive; a bank-to-cash transfer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.clock import shop_today

pytestmark = pytest.mark.plugins(
    "inventory", "purchasing", "sales", "payments", "loyalty", "cashbank"
)

D = Decimal


def ppn(net: Decimal) -> Decimal:
    """PPN of a net amount: 12 % of a DPP of 11/12 — 11 % of the net. Every net in this
    month is a multiple of Rp 100, so no rounding is needed."""
    tax = net * D("0.12") * 11 / 12
    assert tax == tax.to_integral_value(), net
    return tax


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def midtrans() -> Iterator[Any]:
    from niaga_payments.testing.midtrans import MidtransStandIn

    with MidtransStandIn() as standin:
        yield standin


class Month:
    """The API calls of the script, one small helper per kind of document."""

    def __init__(self, api: Any, db: Any) -> None:
        self.api, self.db = api, db
        self.today = shop_today(db)
        db.commit()

    def post(self, url: str, body: dict[str, Any] | None = None, status: int = 201) -> Any:
        answer = ok(self.api.post(url, json=body if body is not None else {}), status)
        self.db.commit()  # the test client shares the session: end what the request read
        return answer

    def get(self, url: str) -> Any:
        answer = ok(self.api.get(url), 200)
        self.db.commit()
        return answer

    def product(self, sku: str, name: str, price: str) -> int:
        body = {"sku": sku, "name": name, "base_unit": "pcs", "price": price}
        return self.post("/api/inventory/products", body)["id"]

    def voucher(self, kind: str, account: str, amount: str, **extra: Any) -> None:
        self.post(
            "/api/cashbank/vouchers",
            {
                "kind": kind,
                "date": self.today.isoformat(),
                "account_id": self.accounts[account],
                "amount": amount,
                **extra,
            },
        )

    @property
    def accounts(self) -> dict[str, int]:
        return {a["code"]: a["id"] for a in self.get("/api/cashbank/accounts?page_size=100")}

    def purchase(self, supplier: int, lines: list[tuple[int, str, str]]) -> dict[str, Any]:
        order = self.post(
            "/api/purchasing/orders",
            {
                "supplier_id": supplier,
                "lines": [
                    {"product_id": p, "quantity": q, "unit_price": price} for p, q, price in lines
                ],
            },
        )
        for action in ("send", "confirm"):
            self.post(f"/api/purchasing/orders/{order['id']}/{action}", status=200)
        return order

    def receive(self, order: dict[str, Any], quantities: list[str | None]) -> dict[str, Any]:
        lines = [
            {"order_line_id": line["id"], "quantity": quantity}
            for line, quantity in zip(order["lines"], quantities, strict=True)
            if quantity
        ]
        return self.post("/api/purchasing/receipts", {"order_id": order["id"], "lines": lines})

    def bill(self, receipts: list[dict[str, Any]], **prices: str) -> dict[str, Any]:
        """Bill ``receipts`` at the ordered prices, or at ``line_<receipt line id>=price``."""
        lines = [
            {"receipt_line_id": int(key.removeprefix("line_")), "unit_price": price}
            for key, price in prices.items()
        ]
        return self.post(
            "/api/purchasing/bills",
            {"receipt_ids": [r["id"] for r in receipts], "post": True, "lines": lines},
        )

    def order(self, customer: int, lines: list[tuple[int, str]], **extra: Any) -> dict[str, Any]:
        order = self.post(
            "/api/sales/orders",
            {
                "customer_id": customer,
                "lines": [{"product_id": p, "quantity": q} for p, q in lines],
                **extra,
            },
        )
        self.post(f"/api/sales/orders/{order['id']}/confirm", status=200)
        return order

    def deliver(self, order: dict[str, Any], quantities: list[str | None]) -> dict[str, Any]:
        items = [line for line in order["lines"] if line["kind"] == "item"]
        lines = [
            {"order_line_id": line["id"], "quantity": quantity}
            for line, quantity in zip(items, quantities, strict=True)
            if quantity
        ]
        return self.post(
            f"/api/sales/orders/{order['id']}/deliveries", {"lines": lines, "deliver": True}
        )

    def invoices_of(self, order: dict[str, Any]) -> list[dict[str, Any]]:
        found = self.get("/api/sales/invoices?page_size=100")
        return sorted((i for i in found if i.get("order_id") == order["id"]), key=lambda i: i["id"])

    def pay_invoice(self, invoice: dict[str, Any], amount: Decimal, method: str) -> None:
        self.post(
            f"/api/sales/invoices/{invoice['id']}/payments",
            {"amount": str(amount), "method": method},
        )


def test_a_scripted_month_matches_an_independent_calculation(
    app, api, db, midtrans, run_niaga
) -> None:
    from niaga_payments.registry import use_standin
    from niaga_payments.testing import Harness, configure

    settings.put(db, "core.vat_registered", True)
    settings.put(db, "core.shop_name", "UD Sumber Rejeki")
    settings.put(db, "sales.invoice_each_delivery", True)
    db.commit()
    configure(db, "midtrans", {"enabled": True, "fee_fixed": "4000", **midtrans.settings})
    use_standin(app, "midtrans", midtrans.base_url)
    month = Month(api, db)
    month.post("/api/loyalty/programs", {"name": "Poin Mitra"})
    kopi = month.product("KOPI", "Kopi bubuk 250 g", "15000")
    gula = month.product("GULA", "Gula pasir 1 kg", "7000")
    payung = month.product("PAYUNG", "Payung Niaga", "30000")

    # 1. capital into the bank
    month.voucher("capital", "1-1200", "50000000")

    # 2. purchases from a PKP supplier: two orders, received in parts, billed per receipt
    supplier = month.post(
        "/api/purchasing/suppliers",
        {"name": "PT Sumber Pangan", "npwp": "01.234.567.8-431.000", "pkp": True},
    )["id"]
    first = month.purchase(
        supplier, [(kopi, "100", "10000"), (gula, "200", "5000"), (payung, "5", "20000")]
    )
    receipt_a = month.receive(first, ["60", "200", "5"])
    bill_a = month.bill([receipt_a])
    receipt_b = month.receive(first, ["40", None, None])
    bill_b = month.bill([receipt_b])
    second = month.purchase(supplier, [(kopi, "50", "11500")])
    receipt_c = month.receive(second, ["50"])
    # the supplier bills 11.800 a pack for what came in at the ordered 11.500
    month.bill([receipt_c], **{f"line_{receipt_c['lines'][0]['id']}": "11800"})
    # bill A paid in full from the bank, bill B half in cash, bill C not yet
    month.post(
        f"/api/purchasing/bills/{bill_a['id']}/payments",
        {"amount": bill_a["total"], "method": "bank_transfer"},
    )
    month.post(
        f"/api/purchasing/bills/{bill_b['id']}/payments", {"amount": "200000", "method": "cash"}
    )
    # 3. a purchase return: 20 kg of sugar back on bill A (paid already)
    gula_line_a = next(x for x in bill_a["lines"] if x["product_id"] == gula)
    month.post(
        "/api/purchasing/returns",
        {"bill_id": bill_a["id"], "lines": [{"bill_line_id": gula_line_a["id"], "quantity": "20"}]},
    )
    # bill A was paid in full: the supplier owes the shop the return and pays it back
    month.post(
        f"/api/purchasing/bills/{bill_a['id']}/refunds",
        {"amount": "111000", "method": "bank_transfer"},
    )

    # 4. a retailer's order, delivered in two parts, each delivery invoiced as it leaves
    customer = month.post(
        "/api/sales/customers", {"shop_name": "Toko Jaya", "phone": "0813111222"}
    )["id"]
    order = month.order(customer, [(kopi, "50"), (gula, "100")])
    month.deliver(order, ["30", "100"])
    month.deliver(order, ["20", None])
    invoice_1, invoice_2 = month.invoices_of(order)
    # invoice 1 through Midtrans (virtual account), the gateway keeps its fee
    harness = Harness(app, db, api, "midtrans", midtrans)
    payment = harness.start(f"sales.invoice:{invoice_1['id']}", method="virtual_account")
    harness.pay(payment)
    # invoice 2: a part by bank transfer, 5 packs of coffee back, the rest by transfer
    month.pay_invoice(invoice_2, D(100000), "bank_transfer")
    kopi_line = next(x for x in invoice_2["lines"] if x["product_id"] == kopi)
    month.post(
        f"/api/sales/invoices/{invoice_2['id']}/returns",
        {"lines": [{"invoice_line_id": kopi_line["id"], "quantity": "5"}], "reason": "rusak"},
    )
    rest = month.get(f"/api/sales/invoices/{invoice_2['id']}")["open_amount"]
    month.pay_invoice(invoice_2, D(rest), "bank_transfer")

    # 5. points: a voucher used on the next order, and a gift
    member = next(
        m for m in month.get("/api/loyalty/members?page_size=100") if m["customer_id"] == customer
    )
    voucher_reward = month.post(
        "/api/loyalty/rewards",
        {"name": "Voucher 5rb", "kind": "voucher", "points_cost": 50, "discount_amount": "5000"},
    )
    gift_reward = month.post(
        "/api/loyalty/rewards",
        {"name": "Payung", "kind": "gift", "points_cost": 30, "product_id": payung},
    )
    redemptions = f"/api/loyalty/members/{member['id']}/redemptions"
    code = month.post(redemptions, {"reward_id": voucher_reward["id"]})["code"]
    month.post(redemptions, {"reward_id": gift_reward["id"]})
    order_2 = month.order(customer, [(kopi, "10")], voucher_code=code)
    month.deliver(order_2, ["10"])
    (invoice_3,) = month.invoices_of(order_2)
    month.pay_invoice(invoice_3, D(invoice_3["total"]), "cash")
    # one pack of invoice 3 comes back after payment: its share of the voucher is not
    # refunded (14.500 + PPN 1.595), and the customer gets that back in cash
    month.post(
        f"/api/sales/invoices/{invoice_3['id']}/returns",
        {"lines": [{"invoice_line_id": invoice_3["lines"][0]["id"], "quantity": "1"}]},
    )
    month.post(
        f"/api/sales/invoices/{invoice_3['id']}/refunds", {"amount": "16095", "method": "cash"}
    )

    # 6. the counter: sugar for cash, coffee by QRIS
    month.post("/api/sales/pos/sessions", {"opening_cash": "0"})
    month.post(
        "/api/sales/pos/sales",
        {
            "client_ref": "kasir1-0001",
            "lines": [{"product_id": gula, "quantity": "10"}],
            "method": "cash",
            "received": "100000",
        },
    )
    month.post(
        "/api/sales/pos/sales",
        {
            "client_ref": "kasir1-0002",
            "lines": [{"product_id": kopi, "quantity": "2"}],
            "method": "qris",
        },
    )

    # 7. stock count: two kilos of sugar missing
    count = month.post("/api/inventory/counts", {"reason": "opname akhir bulan"})
    month.post(
        f"/api/inventory/counts/{count['id']}/lines",
        {"product_id": gula, "quantity": "68", "reason": "hilang"},
        status=200,
    )
    month.post(f"/api/inventory/counts/{count['id']}/post", status=200)

    # 8. cash: from the bank to the till, electricity, the owner's prive
    month.voucher("transfer", "1-1200", "1000000", to_account_id=month.accounts["1-1100"])
    electricity = next(
        c["id"]
        for c in month.get("/api/cashbank/categories")
        if c["kind"] == "out" and c["account_code"] == "6-1200"
    )
    month.voucher("out", "1-1100", "350000", category_id=electricity)
    month.voucher("prive", "1-1100", "500000")

    # --- the independent calculation: each event's postings, from the script's figures --
    # all coffee was received and billed before any sale: bill C's 300 a pack more goes
    # into the stock value, and the average is that of the billed prices
    kopi_average = (100 * D(10000) + 50 * D(11800)) / 150
    assert kopi_average == D(10600)
    books = Journal()
    books.post("capital", ("1-1200", "3-1000", D(50000000)))
    for received, billed in (
        (60 * D(10000) + 200 * D(5000) + 5 * D(20000), None),
        (40 * D(10000), None),
        (50 * D(11500), 50 * D(11800)),
    ):
        billed = billed or received
        books.post("receipt", ("1-1400", "2-1150", received))
        if billed != received:
            books.post("price correction of stock on hand", ("1-1400", "2-1150", billed - received))
        books.post("bill", ("2-1150", "2-1100", billed), ("1-1500", "2-1100", ppn(billed)))
    bill_a_total = 1700000 + ppn(D(1700000))
    books.post("pay bill A", ("2-1100", "1-1200", bill_a_total))
    books.post("pay bill B in part", ("2-1100", "1-1100", D(200000)))
    books.post("sugar back: stock out at cost", ("2-1150", "1-1400", 20 * D(5000)))
    books.post(
        "debit note at the bill's price (= the cost here)",
        ("2-1100", "2-1150", 20 * D(5000)),
        ("2-1100", "1-1500", ppn(20 * D(5000))),
    )
    books.post("the supplier pays the return back", ("1-1200", "2-1100", D(111000)))
    # retailer order: delivery 1 (30 coffee, 100 sugar) and delivery 2 (20 coffee)
    for cost, net in (
        (30 * kopi_average + 100 * D(5000), 30 * D(15000) + 100 * D(7000)),
        (20 * kopi_average, 20 * D(15000)),
    ):
        books.post("delivery", ("5-1000", "1-1400", cost))
        books.post("invoice", ("1-1300", "4-1000", net), ("1-1300", "2-1200", ppn(net)))
    invoice_1 = 1150000 + ppn(D(1150000))
    books.post(
        "invoice 1 through Midtrans, fee Rp 4.000",
        ("1-1250", "1-1300", invoice_1 - 4000),
        ("6-1600", "1-1300", D(4000)),
    )
    books.post("points on invoice 1", ("6-1400", "2-1300", (1150000 // 10000) * D(100)))
    books.post("invoice 2 in part", ("1-1200", "1-1300", D(100000)))
    returned = 5 * D(15000)
    books.post("credit note", ("4-1100", "1-1300", returned), ("2-1200", "1-1300", ppn(returned)))
    books.post("returned coffee back in stock", ("1-1400", "5-1000", 5 * kopi_average))
    invoice_2_rest = 300000 + ppn(D(300000)) - 100000 - returned - ppn(returned)
    books.post("invoice 2 rest", ("1-1200", "1-1300", invoice_2_rest))
    books.post("points on invoice 2's net", ("6-1400", "2-1300", (225000 // 10000) * D(100)))
    books.post("voucher: 50 points", ("2-1300", "4-1100", 50 * D(100)))
    books.post("gift: 30 points' value", ("2-1300", "6-1400", 30 * D(100)))
    books.post("gift: the umbrella's cost", ("6-1400", "1-1400", D(20000)))
    net_3 = 10 * D(15000) - 5000
    books.post("delivery of order 2", ("5-1000", "1-1400", 10 * kopi_average))
    books.post(
        "invoice 3 (voucher)",
        ("1-1300", "4-1000", net_3),
        ("1-1300", "2-1200", ppn(10 * D(15000)) - ppn(D(5000))),
    )
    books.post("invoice 3 in cash", ("1-1100", "1-1300", net_3 + ppn(10 * D(15000)) - ppn(D(5000))))
    books.post("points on invoice 3", ("6-1400", "2-1300", (145000 // 10000) * D(100)))
    # one of the 10 packs back: 15.000 less its share of the 5.000 voucher (15.000/150.000)
    net_back = D(15000) - D(5000) * 15000 / 150000
    books.post(
        "credit note of invoice 3",
        ("4-1100", "1-1300", net_back),
        ("2-1200", "1-1300", ppn(net_back)),
    )
    books.post("the pack back in stock", ("1-1400", "5-1000", kopi_average))
    points_back = round(14 * net_back / 145000)  # 1,4 of invoice 3's 14 points
    books.post("points of the pack taken back", ("2-1300", "6-1400", points_back * D(100)))
    books.post("refund of the customer's credit", ("1-1300", "1-1100", net_back + ppn(net_back)))
    assert net_back + ppn(net_back) == D(16095)
    for account, cost, net in (
        ("1-1100", 10 * D(5000), 10 * D(7000)),
        ("1-1250", 2 * kopi_average, 2 * D(15000)),
    ):
        # a POS sale is an invoice paid at once
        books.post("POS invoice", ("1-1300", "4-1000", net), ("1-1300", "2-1200", ppn(net)))
        books.post("POS payment", (account, "1-1300", net + ppn(net)))
        books.post("POS stock", ("5-1000", "1-1400", cost))
    sugar_left = 200 - 20 - 100 - 10
    books.post("count: 2 kg sugar missing", ("5-1100", "1-1400", (sugar_left - 68) * D(5000)))
    books.post("transfer", ("1-1100", "1-1200", D(1000000)))
    books.post("electricity", ("6-1200", "1-1100", D(350000)))
    books.post("prive", ("3-2000", "1-1100", D(500000)))

    # the shop's month, a day wider on both sides should the test run across midnight
    start, end = month.today - dt.timedelta(days=1), month.today + dt.timedelta(days=1)
    period = f"from={start:%Y-%m-01}&to={end}"
    trial = month.get(f"/api/cashbank/reports/trial-balance?{period}")
    assert [
        (row["code"], row["label"], [D(v) for v in row["values"]]) for row in trial["rows"]
    ] == [
        (code, NAMES[code], [D(0), debit, credit, debit - credit])
        for code, (debit, credit) in sorted(books.sides.items())
    ] + [("", "Jumlah", [D(0), books.total, books.total, D(0)])]

    income = {code: books.natural(code) for code in books.sides if TYPES[code] in INCOME}
    revenue = sum(v for c, v in income.items() if TYPES[c] == "revenue")
    cost = sum(v for c, v in income.items() if TYPES[c] == "cost")
    expense = sum(v for c, v in income.items() if TYPES[c] == "expense")
    profit = revenue - cost - expense
    expected_pl = [("Pendapatan", None)]
    expected_pl += [(NAMES[c], v) for c, v in sorted(income.items()) if TYPES[c] == "revenue"]
    expected_pl += [("Jumlah pendapatan", revenue), ("Harga Pokok Penjualan", None)]
    expected_pl += [(NAMES[c], v) for c, v in sorted(income.items()) if TYPES[c] == "cost"]
    expected_pl += [("Jumlah harga pokok penjualan", cost), ("Laba kotor", revenue - cost)]
    expected_pl += [("Beban Usaha", None)]
    expected_pl += [(NAMES[c], v) for c, v in sorted(income.items()) if TYPES[c] == "expense"]
    expected_pl += [("Jumlah beban usaha", expense), ("Laba (rugi) bersih", profit)]
    pl = month.get(f"/api/cashbank/reports/laba-rugi?{period}")
    assert [first_value(row) for row in pl["rows"]] == expected_pl
    assert profit == D(70900)  # worked out by hand once, to catch a wrong calculation here too

    position = {c: books.natural(c) for c in books.sides if TYPES[c] not in INCOME}
    assets = sum(v for c, v in position.items() if TYPES[c] == "asset")
    liabilities = sum(v for c, v in position.items() if TYPES[c] == "liability")
    equity = sum(v for c, v in position.items() if TYPES[c] == "equity")
    expected_bs = [("ASET", None)]
    expected_bs += [(NAMES[c], v) for c, v in sorted(position.items()) if TYPES[c] == "asset" and v]
    expected_bs += [("Jumlah aset", assets), ("LIABILITAS", None)]
    expected_bs += [
        (NAMES[c], v) for c, v in sorted(position.items()) if TYPES[c] == "liability" and v
    ]
    expected_bs += [("Jumlah liabilitas", liabilities), ("EKUITAS", None)]
    expected_bs += [
        (NAMES[c], v) for c, v in sorted(position.items()) if TYPES[c] == "equity" and v
    ]
    expected_bs += [
        ("Saldo laba periode lalu", D(0)),
        ("Laba (rugi) periode berjalan", profit),
        ("Jumlah ekuitas", equity + profit),
        ("Jumlah liabilitas dan ekuitas", liabilities + equity + profit),
    ]
    bs = month.get(f"/api/cashbank/reports/neraca?{period}")
    assert [first_value(row) for row in bs["rows"]] == expected_bs
    assert assets == liabilities + equity + profit and bs["totals"]["balanced"] is True

    # the direct-method cash flow names what the money was for
    received = (invoice_1 - 4000) + 100000 + invoice_2_rest + (net_3 + ppn(net_3)) + 77700 + 33300
    operating = [
        ("Pembayaran beban usaha", D(-350000)),
        ("Pembayaran kepada pemasok", -(bill_a_total + 200000)),
        ("Penerimaan dari pelanggan", received),
        ("Pengembalian dana dari pemasok", D(111000)),
        ("Pengembalian dana kepada pelanggan", -(net_back + ppn(net_back))),
    ]
    financing = [("Pengambilan prive pemilik", D(-500000)), ("Setoran modal pemilik", D(50000000))]
    cash = sum(books.natural(code) for code in ("1-1100", "1-1200", "1-1250"))
    flow = month.get(f"/api/cashbank/reports/arus-kas?{period}")
    assert [first_value(row) for row in flow["rows"]] == [
        ("Kas dan setara kas awal periode", D(0)),
        ("Arus kas dari aktivitas operasi", None),
        *operating,
        ("Kas bersih dari aktivitas operasi", sum(v for _, v in operating)),
        ("Arus kas dari aktivitas investasi", None),
        ("Kas bersih dari aktivitas investasi", D(0)),
        ("Arus kas dari aktivitas pendanaan", None),
        *financing,
        ("Kas bersih dari aktivitas pendanaan", sum(v for _, v in financing)),
        ("Kas dan setara kas akhir periode", cash),
    ]
    assert sum(v for _, v in operating + financing) == cash

    # --- the sub-ledgers agree with the books; then one is broken on purpose -------------
    checked = run_niaga("check", "--json", check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not any(json.loads(checked.stdout).values())
    from niaga_inventory.models import Valuation
    from niaga_sales.models import Invoice

    # sales forgets 1.000 paid on invoice 2, and inventory loses 2.500 of the sugar's value
    db.execute(
        sa.update(Invoice)
        .where(Invoice.id == invoice_2["id"])
        .values(paid_amount=Invoice.paid_amount - 1000)
    )
    db.execute(
        sa.update(Valuation)
        .where(Valuation.product_id == gula)
        .values(value=Valuation.value - 2500)
    )
    db.commit()
    checked = run_niaga("check", "--json", check=False)
    assert checked.returncode == 1
    stock = books.natural("1-1400")
    assert json.loads(checked.stdout)["cashbank"] == [
        f"1-1300 Piutang Usaha sales.invoice:{invoice_2['id']}: books Rp 0, sales Rp 1.000 "
        "(difference Rp -1.000)",
        f"1-1400 Persediaan Barang Dagang: books {rupiah(stock)}, inventory stock value "
        f"{rupiah(stock - 2500)} (difference Rp 2.500)",
    ]


INCOME = ("revenue", "cost", "expense")
#: the default chart's accounts this month touches: name and type
CHART = {
    "1-1100": ("Kas", "asset"),
    "1-1200": ("Bank BRI", "asset"),
    "1-1250": ("Saldo Payment Gateway", "asset"),
    "1-1300": ("Piutang Usaha", "asset"),
    "1-1400": ("Persediaan Barang Dagang", "asset"),
    "1-1500": ("PPN Masukan", "asset"),
    "2-1100": ("Utang Usaha", "liability"),
    "2-1150": ("Barang Diterima Belum Ditagih", "liability"),
    "2-1200": ("PPN Keluaran", "liability"),
    "2-1300": ("Liabilitas Poin Loyalitas", "liability"),
    "3-1000": ("Modal Pemilik", "equity"),
    "3-2000": ("Prive", "equity"),
    "4-1000": ("Penjualan", "revenue"),
    "4-1100": ("Retur dan Potongan Penjualan", "revenue"),
    "5-1000": ("Harga Pokok Penjualan", "cost"),
    "5-1100": ("Selisih Persediaan", "cost"),
    "6-1200": ("Beban Listrik dan Air", "expense"),
    "6-1400": ("Beban Promosi dan Loyalitas", "expense"),
    "6-1600": ("Beban Biaya Payment Gateway", "expense"),
}
NAMES = {code: name for code, (name, _) in CHART.items()}
TYPES = {code: kind for code, (_, kind) in CHART.items()}


class Journal:
    """The test's own double entry: debits and credits per account."""

    def __init__(self) -> None:
        self.sides: dict[str, tuple[Decimal, Decimal]] = defaultdict(lambda: (D(0), D(0)))

    def post(self, why: str, *legs: tuple[str, str, Decimal]) -> None:
        for debit, credit, amount in legs:
            assert amount > 0, why
            d, c = self.sides[debit]
            self.sides[debit] = (d + amount, c)
            d, c = self.sides[credit]
            self.sides[credit] = (d, c + amount)

    @property
    def total(self) -> Decimal:
        return sum(d for d, _ in self.sides.values())

    def natural(self, code: str) -> Decimal:
        """The balance on the account's own side (debit for assets, costs, expenses)."""
        debit, credit = self.sides[code]
        return debit - credit if TYPES[code] in ("asset", "cost", "expense") else credit - debit


def rupiah(amount: Decimal) -> str:
    """``Rp 1.396.500``: whole rupiah with dots, as the check writes them."""
    return "Rp " + f"{int(amount):,}".replace(",", ".")


def first_value(row: dict[str, Any]) -> tuple[str, Decimal | None]:
    """A report row as (label, the current period's figure); headings have none."""
    if row["style"] == "heading":
        return row["label"], None
    return row["label"], D(row["values"][0])
