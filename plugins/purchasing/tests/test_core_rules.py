"""Purchasing on core's rules (issue 14): forms submitted as pre-filled store what was
shown, typed numbers mean what niaga.l10n.parse_number says (or are refused the same way),
documents carry the shop's business day, and numbers come from niaga.numbering."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.models import Sequence
from niaga.testing import TYPED_NUMBERS, csrf_token, typed_meaning
from niaga.testing_pages import form_values
from niaga_purchasing.models import Bill, PurchaseOrder, Receipt, Supplier, SupplierPayment

pytestmark = pytest.mark.plugins("purchasing")
BASE = "/admin/purchasing"


def _speak(db: Any, owner: Any, language: str) -> None:
    owner.language = language
    db.merge(owner)
    db.commit()


def _posted_bill(api: Any, supplier: dict[str, Any], price: str = "40000") -> dict[str, Any]:
    order = api.post(
        "/api/purchasing/orders",
        json={
            "supplier_id": supplier["id"],
            "lines": [{"description": "Kopi", "quantity": "1", "unit": "dus", "unit_price": price}],
        },
    ).get_json()
    for action in ("send", "confirm"):
        api.post(f"/api/purchasing/orders/{order['id']}/{action}")
    line = order["lines"][0]
    api.post(
        "/api/purchasing/receipts",
        json={"order_id": order["id"], "lines": [{"order_line_id": line["id"], "quantity": "1"}]},
    )
    bill = api.post("/api/purchasing/bills", json={"order_id": order["id"], "post": True})
    assert bill.status_code == 201, bill.get_json()
    return bill.get_json()


@pytest.mark.parametrize("language", ["id", "en"])
def test_payment_submitted_as_prefilled_pays_what_was_shown(
    logged_in: Any, db: Any, owner: Any, api: Any, supplier: dict[str, Any], language: str
) -> None:
    """The bill page pre-fills the open amount (``44.400`` in Indonesian); paying it as
    shown records exactly that amount, not Rp 44."""
    _speak(db, owner, language)
    bill = _posted_bill(api, supplier)  # 40.000 + PPN 4.400 (12 % of 11/12)
    url = f"{BASE}/bills/{bill['id']}"
    html = logged_in.get(url).get_data(as_text=True)
    values = form_values(html, action=f"{url}/pay")
    assert values["amount"] == {"id": "44.400", "en": "44,400"}[language]
    assert logged_in.post(f"{url}/pay", data=values).status_code == 302
    db.expire_all()
    payment = db.scalar(sa.select(SupplierPayment))
    assert payment.amount == Decimal("44400")
    assert db.get(Bill, bill["id"]).status == "paid"


def test_supplier_form_submitted_as_prefilled(logged_in: Any, db: Any) -> None:
    html = logged_in.get(f"{BASE}/suppliers").get_data(as_text=True)
    values = form_values(html, action="")  # the new-supplier form posts to its own page
    values["name"] = "CV Sumber Rejeki"
    assert logged_in.post(f"{BASE}/suppliers", data=values).status_code == 302
    supplier = db.scalar(sa.select(Supplier).where(Supplier.name == "CV Sumber Rejeki"))
    assert supplier.payment_terms_days == 30 and supplier.pkp


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", TYPED_NUMBERS)
def test_typed_numbers_mean_what_core_says(
    logged_in: Any,
    db: Any,
    owner: Any,
    supplier: dict[str, Any],
    language: str,
    typed: str,
) -> None:
    """The order form's price (money) and quantity read a typed number as
    ``niaga.l10n.parse_number`` does, or refuse it, storing nothing."""
    _speak(db, owner, language)
    for field, other, places in (("unit_price", "quantity", 4), ("quantity", "unit_price", 4)):
        response = logged_in.post(
            f"{BASE}/orders/new",
            data={
                "csrf_token": csrf_token(logged_in, f"{BASE}/orders/new"),
                "supplier_id": str(supplier["id"]),
                "line-0-description": "Gula 1 kg",
                f"line-0-{field}": typed,
                f"line-0-{other}": "3",
            },
        )
        db.expire_all()
        order = db.scalar(sa.select(PurchaseOrder).order_by(PurchaseOrder.id.desc()))
        meaning = typed_meaning(typed, places, language)
        accepted = isinstance(meaning, Decimal) and meaning > 0
        # saved: on to the order; refused: the form again, each problem under its field
        assert response.status_code == (302 if accepted else 200), (field, typed)
        if accepted:
            assert order is not None, (field, typed)
            assert getattr(order.lines[0], field) == meaning, (field, typed)
            db.delete(order)
            db.commit()
        else:
            assert order is None, (field, typed, meaning)
            flashed = response.get_data(as_text=True)
            assert f'id="line-0-{field}-error"' in flashed, (field, typed)
            assert "error" in flashed, (field, typed)
            if meaning == "refused":  # the field by its label, not its form name
                label = {
                    "unit_price": ("Harga per satuan", "Price per unit"),
                    "quantity": ("Jumlah", "Quantity"),
                }[field]
                line = ("Baris 1, ", "Line 1, ")[language == "en"]
                assert line + label[language == "en"] in flashed, (field, typed, flashed)
                message = re.search(r'class="flash error"[^>]*>([^<]*)<', flashed)[1]
                assert f"line-0-{field}" not in message


def test_indonesian_thousands_are_never_read_as_decimals(
    logged_in: Any, db: Any, supplier: dict[str, Any]
) -> None:
    logged_in.post(
        f"{BASE}/orders/new",
        data={
            "csrf_token": csrf_token(logged_in, f"{BASE}/orders/new"),
            "supplier_id": str(supplier["id"]),
            "line-0-description": "Minyak goreng",
            "line-0-quantity": "1.250",
            "line-0-unit_price": "12.500",
        },
    )
    line = db.scalar(sa.select(PurchaseOrder)).lines[0]
    assert (line.quantity, line.unit_price) == (Decimal("1250"), Decimal("12500"))


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), dt.date(2026, 12, 1)),  # 00:30 WIB
        (dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), dt.date(2026, 12, 31)),  # 23:30 WIB
    ],
)
def test_documents_carry_the_shop_day_and_core_numbers(
    shop_clock: Any, api: Any, supplier: dict[str, Any], db: Any, moment: Any, day: dt.date
) -> None:
    """PO -> receipt -> bill -> payment at 00:30 WIB on the 1st (17:30 UTC the day before)
    and at 23:30 WIB on the last day all carry the WIB day, numbered by niaga.numbering."""
    shop_clock(moment)
    bill = _posted_bill(api, supplier)
    paid = api.post(f"/api/purchasing/bills/{bill['id']}/payments", json={"amount": "44400"})
    assert paid.status_code == 201, paid.get_json()
    order = db.scalar(sa.select(PurchaseOrder))
    receipt = db.scalar(sa.select(Receipt))
    payment = db.scalar(sa.select(SupplierPayment))
    assert order.order_date == receipt.received_date == day
    assert db.get(Bill, bill["id"]).bill_date == payment.paid_date == day
    assert order.number == f"PO/{day:%Y}/{day:%m}/0001"
    assert payment.number == f"PAY/{day:%Y}/{day:%m}/0001"
    series = dict(
        db.execute(
            sa.select(Sequence.series, Sequence.last).where(
                Sequence.series.like("purchasing.%"), Sequence.period == f"{day:%Y-%m}"
            )
        ).all()
    )
    for name in ("order", "receipt", "bill", "payment"):
        assert series[f"purchasing.{name}"] == 1, series
    assert db.scalar(sa.select(Sequence.last).where(Sequence.series == "purchasing.supplier")) == 1
