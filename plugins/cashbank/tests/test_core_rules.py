"""Cash/bank on core's rules (issue 14): forms submitted as rendered store what was shown,
typed amounts mean what ``niaga.l10n.parse_number`` says (in the form and the CLI, in
Indonesian and English), every entry is dated on the shop's business day, and voucher
numbers come from ``niaga.numbering``, also with many vouchers at once on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import importlib.util
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from niaga import clock, settings
from niaga.contracts import PaymentInfo
from niaga.db import create_engine, make_sessionmaker
from niaga.errors import Invalid, NiagaError
from niaga.l10n import parse_number
from niaga.models import Sequence, User
from niaga.testing import database_kind
from niaga.testing_pages import form_values, parse_page
from niaga_cashbank import journal, reconcile
from niaga_cashbank.chart import account_by_code
from niaga_cashbank.models import JournalEntry, Voucher
from niaga_cashbank.vouchers import create_voucher
from niaga_inventory.contracts import StockMove
from niaga_loyalty.contracts import PointsMovement

pytestmark = pytest.mark.plugins("cashbank")

#: 00:30 WIB on 1 December 2026 (still 30 November in UTC) and 23:30 WIB on 30 November.
FIRST_OF_MONTH = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)
LAST_OF_MONTH = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
MOMENTS = [
    pytest.param(FIRST_OF_MONTH, dt.date(2026, 12, 1), id="00:30 WIB on the 1st"),
    pytest.param(LAST_OF_MONTH, dt.date(2026, 11, 30), id="23:30 WIB on the last day"),
]


def form_on(client, url: str, action: str) -> dict[str, str]:
    """The fields of the form posting to ``action`` on ``url``, as the page rendered them."""
    return form_values(client.get(url).get_data(as_text=True), action=action)


def vouchers(db) -> list[Voucher]:
    db.expire_all()
    found = list(db.scalars(sa.select(Voucher).order_by(Voucher.id)))
    db.commit()
    return found


# --- forms as rendered, and the business day ---------------------------------------------------


@pytest.mark.parametrize(("moment", "day"), MOMENTS)
def test_voucher_form_as_rendered_is_dated_on_the_shops_day(
    books, logged_in, shop_clock, moment, day
):
    shop_clock(moment)
    form = form_on(logged_in, "/admin/cashbank/", "/vouchers")
    assert form["date"] == day.isoformat()  # the date picker's pre-filled value
    form.update(kind="capital", amount="1.250.000", description="Setoran awal")
    assert logged_in.post("/admin/cashbank/vouchers", data=form).status_code == 302
    (voucher,) = vouchers(books)
    assert voucher.amount == Decimal("1250000") and voucher.date == day
    entry = books.get(JournalEntry, voucher.entry_id)
    assert entry.date == day
    page = logged_in.get("/admin/cashbank/").get_data(as_text=True)
    assert "Rp 1.250.000" in page
    assert f"{day.day} {'Desember' if day.month == 12 else 'November'} 2026" in page


def test_mapping_form_as_rendered_keeps_the_mapping(books, logged_in):
    bank = account_by_code(books, "1-1200")
    url = f"/admin/cashbank/reconcile/{bank.id}"
    before = reconcile.get_mapping(books, bank)
    books.commit()
    pages = parse_page(logged_in.get(url).get_data(as_text=True))
    (form,) = [f.values() for f in pages.forms if f.values().get("action") == "mapping"]
    assert logged_in.post(url, data=form).status_code == 302
    books.expire_all()
    assert reconcile.get_mapping(books, bank) == before


@pytest.mark.parametrize(("moment", "day"), MOMENTS)
def test_report_default_period_is_the_shops_month(books, api, logged_in, shop_clock, moment, day):
    shop_clock(moment)
    page = logged_in.get("/admin/cashbank/reports/laba-rugi").get_data(as_text=True)
    if day.month == 12:
        assert "1 Desember 2026 – 31 Desember 2026" in page
        assert 'value="2026-12-01"' in page
    else:
        assert "1 November 2026 – 30 November 2026" in page
    body = api.get("/api/cashbank/reports/neraca").get_json()
    assert body["period"] == f"per {day.replace(day=31 if day.month == 12 else 30):%-d %B %Y}"


@pytest.mark.parametrize(("moment", "day"), MOMENTS)
def test_automatic_entries_carry_the_shops_day(books, app, shop_clock, moment, day):
    """Payments, stock moves, points and refunds happen at an instant (UTC); their entries
    are dated where the shop is."""
    shop_clock(moment)
    now = clock.utcnow()
    payment = PaymentInfo(
        id=1,
        target="sales.invoice:1",
        amount=Decimal("50000"),
        method="cash",
        status="paid",
        occurred_at=now,
        fee=Decimal(0),
    )
    from niaga_cashbank import postings

    entries = [
        postings.stock_moved(
            books,
            [
                StockMove(
                    id=1,
                    product_id=1,
                    warehouse_id=1,
                    kind="receipt",
                    quantity=Decimal(2),
                    unit_cost=Decimal(5000),
                    value=Decimal(10000),
                    reference="purchasing.receipt:1",
                    occurred_at=now,
                )
            ],
        )[0],
        postings.points_changed(
            books,
            PointsMovement(
                id=1,
                member_id=1,
                kind="earn",
                points=Decimal(10),
                value=Decimal(1000),
                reference="sales.invoice:1",
                occurred_at=now,
            ),
        ),
        postings.payment_refunded(books, payment, Decimal("20000")),
    ]
    kas = account_by_code(books, "1-1100").id
    voucher = create_voucher(
        books, kind="capital", date=clock.shop_today(books), account_id=kas, amount=Decimal(9)
    )
    entries.append(books.get(JournalEntry, voucher.entry_id))
    entries.append(journal.reverse(books, entries[-1]))
    books.commit()
    assert [entry.date for entry in entries] == [day] * len(entries)


# --- typed amounts: the same meaning everywhere -----------------------------------------------

TYPED = ["12.500", "1.250.000", "1.250.000,50", "12,5", "12.5", "1e3", "-5", "", "garbage"]


def meaning(text: str, language: str) -> Decimal | None:
    """What ``niaga.l10n`` reads (``None``: refused or empty, so nothing may be stored)."""
    try:
        value = parse_number(text, places=2, language=language)
    except NiagaError:
        return None
    return value if value is not None and value > 0 else None


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", TYPED)
def test_voucher_amount_means_what_l10n_reads(books, logged_in, owner, typed, language):
    user = books.get(User, owner.id)
    user.language = language
    books.commit()
    form = form_on(logged_in, "/admin/cashbank/", "/vouchers")
    form.update(kind="capital", amount=typed)
    answer = logged_in.post("/admin/cashbank/vouchers", data=form, follow_redirects=True)
    stored = vouchers(books)
    expected = meaning(typed, language)
    if expected is None:
        assert stored == []
        assert "amount" in answer.get_data(as_text=True)  # the field's problem is shown
    else:
        assert [v.amount for v in stored] == [expected]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", TYPED)
def test_cli_voucher_amount_means_what_l10n_reads(books, app, typed, language):
    from niaga_cashbank.cli import cashbank

    settings.put_stored(books, "core.language", language)
    books.commit()
    result = CliRunner().invoke(
        cashbank, ["voucher", "capital", "--account", "1-1100", "--amount", typed, "--json"]
    )
    stored = vouchers(books)
    expected = meaning(typed, language)
    if expected is None:
        assert result.exit_code != 0 and stored == []
    else:
        assert result.exit_code == 0, result.output
        assert [v.amount for v in stored] == [expected]


@pytest.mark.parametrize(
    ("cell", "decimal_comma", "amount"),
    [
        ("10.000.000,00", True, Decimal("10000000")),
        ("1.234,5", True, Decimal("1234.5")),
        ("Rp 1.234", True, Decimal("1234")),
        ("10,000,000.00", False, Decimal("10000000")),
        ("1234.50", False, Decimal("1234.5")),
        ("", True, Decimal(0)),
    ],
)
def test_statement_amounts_read_like_forms(cell, decimal_comma, amount):
    assert reconcile._number(cell, decimal_comma) == amount


@pytest.mark.parametrize(
    ("cell", "decimal_comma"), [("12.5", True), ("12,5", False), ("1e3", True)]
)
def test_ambiguous_statement_amounts_are_refused(cell, decimal_comma):
    with pytest.raises(Invalid):
        reconcile._number(cell, decimal_comma)


# --- numbering through core ----------------------------------------------------------------------


def test_voucher_numbers_come_from_core_sequence(books, shop_clock):
    shop_clock(FIRST_OF_MONTH)
    kas = account_by_code(books, "1-1100").id
    first = create_voucher(
        books, kind="capital", date=dt.date(2026, 12, 1), account_id=kas, amount=Decimal(5)
    )
    second = create_voucher(
        books, kind="capital", date=dt.date(2026, 12, 1), account_id=kas, amount=Decimal(5)
    )
    assert (first.number, second.number) == ("MDL-00001", "MDL-00002")
    row = books.get(Sequence, ("cashbank.voucher.capital", ""))
    assert row is not None and row.last == 2
    settings.put(books, "cashbank.number_pattern_prive", "PRV/{yyyy}/{mm}/{seq:04}")
    prive = create_voucher(
        books, kind="prive", date=dt.date(2026, 12, 1), account_id=kas, amount=Decimal(5)
    )
    assert prive.number == "PRV/2026/12/0001"
    assert books.get(Sequence, ("cashbank.voucher.prive", "2026-12")).last == 1
    with pytest.raises(Invalid):
        settings.put(books, "cashbank.number_pattern_in", "BKM-{nomor}")
    with pytest.raises(Invalid):
        too_long = "KAS-UTAMA-CABANG-{yyyy}{mm}{dd}-{seq:09}"
        settings.put(books, "cashbank.number_pattern_in", too_long)


def test_migration_carries_old_voucher_numbers_into_core_sequence(books):
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    kas = account_by_code(books, "1-1100").id
    # numbers as the old COUNT(*)+1 numbering left them (one voucher deleted on the way)
    for kind, number in (("out", "BKK-00001"), ("out", "BKK-00007"), ("in", "BKM-00003")):
        old = create_voucher(
            books,
            kind=kind,
            date=dt.date(2026, 11, 2),
            account_id=kas,
            amount=Decimal(5),
            category_id=_category(books, kind),
        )
        old.number = number
    books.commit()
    books.execute(sa.delete(Sequence).where(Sequence.series.like("cashbank.voucher.%")))
    books.commit()  # on PostgreSQL numbers are drawn on a connection of their own
    folder = Path(__file__).parents[1] / "niaga_cashbank" / "migrations"
    path = folder / "0002_voucher_numbers_in_core_sequence.py"
    spec = importlib.util.spec_from_file_location("cashbank0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Operations.context(MigrationContext.configure(books.connection())):
        module.upgrade()
    books.commit()
    nxt = create_voucher(
        books,
        kind="out",
        date=dt.date(2026, 12, 1),
        account_id=kas,
        amount=Decimal(5),
        category_id=_category(books, "out"),
    )
    assert nxt.number == "BKK-00008"
    assert books.get(Sequence, ("cashbank.voucher.in", "")).last == 3
    books.commit()


def _category(db, kind: str) -> int:
    from niaga_cashbank.models import VoucherCategory

    return db.scalar(sa.select(VoucherCategory.id).where(VoucherCategory.kind == kind).limit(1))


def test_twenty_vouchers_at_once_are_all_saved_with_distinct_numbers(app, books):
    if database_kind() != "postgresql":
        pytest.skip("concurrency between writers is proven on PostgreSQL")
    kas = account_by_code(books, "1-1100").id
    books.commit()
    # Each voucher holds its own connection and draws its number on a second one (niaga.numbering
    # never holds the series), so the pool must have two per writer: 20 writers, 45 connections.
    url = app.extensions["niaga"].engine.url.render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=45, max_overflow=0)
    maker = make_sessionmaker(engine)
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def create() -> None:
        with app.app_context(), maker() as own:
            try:
                start.wait()
                voucher = create_voucher(
                    own,
                    kind="out",
                    date=dt.date(2026, 12, 1),
                    account_id=kas,
                    amount=Decimal(1000),
                    category_id=_category(own, "out"),
                )
                own.commit()
                numbers.append(voucher.number)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert sorted(numbers) == [f"BKK-{n:05d}" for n in range(1, 21)]
    assert len(vouchers(books)) == 20
