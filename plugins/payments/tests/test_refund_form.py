"""The admin refund form on core's rules (issue 14): submitted as rendered it refunds what
it showed, a typed amount means what ``niaga.l10n.parse_number`` reads (Indonesian and
English), and a refund at 00:30 WIB on the 1st is booked on that day while the payment's
own timestamps stay UTC instants."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.errors import NiagaError
from niaga.l10n import parse_number
from niaga.models import User
from niaga_payments import states

pytestmark = pytest.mark.plugins("payments")

FIRST_OF_MONTH = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)  # 00:30 WIB, 1 December
LAST_OF_MONTH = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)  # 23:30 WIB, 30 November


def refund_form(client, payment_id: int) -> dict[str, str]:
    """The refund form's fields as the payment's page rendered them."""
    page = client.get(f"/admin/payments/{payment_id}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="[^"]*/refund">(.*?)</form>', page, re.S)
    assert form, "no refund form"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form[1]):
        attrs = dict(re.findall(r'([a-z_-]+)="([^"]*)"', tag))
        fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
    return fields


def paid(cash, total: str) -> dict:
    payment = cash.start(cash.order(total))
    cash.pay(payment)
    return payment


def test_refund_form_as_rendered_refunds_what_it_showed(cash, logged_in):
    payment = paid(cash, "80000")
    form = refund_form(logged_in, payment["id"])
    assert form["amount"] == "80.000"  # what is left, as the shop writes it
    answer = logged_in.post(f"/admin/payments/{payment['id']}/refund", data=form)
    assert answer.status_code == 302
    stored = cash.payment(payment["id"])
    assert stored.refunded == Decimal("80000") and stored.status == states.REFUNDED
    page = logged_in.get(f"/admin/payments/{payment['id']}").get_data(as_text=True)
    assert "Rp 80.000" in page


TYPED = ["12.500", "1.250.000", "1.250.000,50", "12,5", "12.5", "1e3", "-5", "", "garbage"]
TOTAL = Decimal("2000000")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", TYPED)
def test_refund_amount_means_what_l10n_reads(cash, db, logged_in, owner, typed, language):
    user = db.get(User, owner.id)
    user.language = language
    db.commit()
    payment = paid(cash, str(TOTAL))
    form = refund_form(logged_in, payment["id"])
    form["amount"] = typed
    answer = logged_in.post(
        f"/admin/payments/{payment['id']}/refund", data=form, follow_redirects=True
    )
    try:
        value = parse_number(typed, places=2, language=language)
        expected = TOTAL if value is None else value  # empty: refund everything
    except NiagaError:
        expected = None
    refunded = cash.payment(payment["id"]).refunded
    if expected is None or expected <= 0:
        assert refunded == 0
        assert "amount" in answer.get_data(as_text=True)  # the field's problem is shown
    else:
        assert refunded == expected


def test_refund_above_what_is_left_is_refused_in_rupiah(cash, logged_in):
    payment = paid(cash, "80000")
    form = refund_form(logged_in, payment["id"])
    form["amount"] = "90.000"
    answer = logged_in.post(
        f"/admin/payments/{payment['id']}/refund", data=form, follow_redirects=True
    )
    assert "Rp 80.000" in answer.get_data(as_text=True)
    assert cash.payment(payment["id"]).refunded == 0


@pytest.mark.plugins("payments", "cashbank")
@pytest.mark.parametrize(
    ("moment", "day"),
    [(FIRST_OF_MONTH, dt.date(2026, 12, 1)), (LAST_OF_MONTH, dt.date(2026, 11, 30))],
)
def test_refund_is_booked_on_the_shops_day_and_timestamps_stay_utc(
    cash, db, logged_in, shop_clock, moment, day
):
    from niaga_cashbank.models import JournalEntry

    shop_clock(moment)
    payment = paid(cash, "150000")
    form = refund_form(logged_in, payment["id"])
    form["amount"] = "50.000"
    assert logged_in.post(f"/admin/payments/{payment['id']}/refund", data=form).status_code == 302
    stored = cash.payment(payment["id"])
    assert stored.refunded == Decimal("50000")
    assert stored.paid_at == moment and stored.paid_at.utcoffset() == dt.timedelta(0)
    entry = db.scalar(sa.select(JournalEntry).where(JournalEntry.event == "payments_refunded"))
    db.commit()
    assert entry is not None and entry.date == day
