# ruff: noqa: E501  (long literal amounts and SQL read better on one line)
"""The journal's rules, enforced by the code and by the database itself: balanced entries,
posted entries immutable, corrections by reversal, the lock date, idempotent postings."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.errors import Invalid, Refused
from niaga.runtime import hooks
from niaga_cashbank import journal, ledger
from niaga_cashbank.chart import account_by_code
from niaga_cashbank.journal import Leg
from niaga_cashbank.models import JournalEntry, JournalLine

pytestmark = pytest.mark.plugins("cashbank")
DAY = dt.date(2026, 3, 10)


def simple_entry(db, amount: str = "1000", commit: bool = True) -> JournalEntry:
    entry = journal.post(
        db,
        date=DAY,
        description="test",
        legs=[
            Leg(account_by_code(db, "1-1100"), debit=Decimal(amount)),
            Leg(account_by_code(db, "3-1000"), credit=Decimal(amount)),
        ],
    )
    if commit:
        db.commit()
    return entry


def test_code_refuses_an_unbalanced_entry(books):
    with pytest.raises(Invalid):
        journal.post(
            books,
            date=DAY,
            description="x",
            legs=[
                Leg(account_by_code(books, "1-1100"), debit=Decimal("10")),
                Leg(account_by_code(books, "3-1000"), credit=Decimal("9")),
            ],
        )


def test_database_refuses_to_post_an_unbalanced_entry(books):
    db = books
    entry = JournalEntry(date=DAY, description="raw")
    db.add(entry)
    db.flush()
    db.add(
        JournalLine(
            entry_id=entry.id, account_id=account_by_code(db, "1-1100").id, debit=Decimal("100")
        )
    )
    db.add(
        JournalLine(
            entry_id=entry.id, account_id=account_by_code(db, "3-1000").id, credit=Decimal("90")
        )
    )
    db.flush()
    entry.posted = True
    with pytest.raises(sa.exc.IntegrityError, match="cashbank"):
        db.flush()
    db.rollback()


def test_database_refuses_to_commit_a_posted_entry_without_lines(books):
    """SQLite refuses the insert (entries are posted by a flip there); PostgreSQL accepts
    it and checks the balance at commit."""
    with pytest.raises(sa.exc.IntegrityError, match="cashbank"):
        books.execute(
            sa.text(
                "INSERT INTO cashbank_journal_entry (date, description, reference, posted, created_at, created_by) VALUES (:d, 'x', '', :p, :t, '')"
            ),
            {"d": DAY, "p": True, "t": dt.datetime.now(dt.UTC)},
        )
        books.commit()
    books.rollback()
    assert books.scalar(sa.select(sa.func.count()).select_from(JournalEntry)) == 0


def test_database_refuses_to_commit_an_unbalanced_entry_inserted_posted(books):
    """The lines of an entry inserted posted are checked when the transaction commits."""
    if books.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite posts by a flip, tested above")
    entry = JournalEntry(date=DAY, description="raw", posted=True)
    books.add(entry)
    books.flush()
    for code, debit, credit in (("1-1100", "100", "0"), ("3-1000", "0", "90")):
        books.add(
            JournalLine(
                entry_id=entry.id,
                account_id=account_by_code(books, code).id,
                debit=Decimal(debit),
                credit=Decimal(credit),
            )
        )
    books.flush()  # accepted until commit
    with pytest.raises(sa.exc.IntegrityError, match="unbalanced"):
        books.commit()
    books.rollback()
    assert books.scalar(sa.select(sa.func.count()).select_from(JournalEntry)) == 0


def test_lines_join_only_the_entry_being_posted(books):
    """In the transaction that posts an entry, a line for an entry posted earlier is still
    refused."""
    earlier = simple_entry(books)
    current = simple_entry(books, "7", commit=False)
    assert current.posted
    with pytest.raises(sa.exc.IntegrityError, match="cashbank"):
        books.execute(
            sa.text(
                "INSERT INTO cashbank_journal_line (entry_id, account_id, debit, credit, memo, party_name, document) VALUES (:e, :a, 5, 0, '', '', '')"
            ),
            {"e": earlier.id, "a": account_by_code(books, "1-1100").id},
        )
    books.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cashbank_journal_line SET debit = debit + 1 WHERE entry_id = :id",
        "UPDATE cashbank_journal_line SET account_id = account_id WHERE entry_id = :id",
        "DELETE FROM cashbank_journal_line WHERE entry_id = :id",
        "UPDATE cashbank_journal_entry SET description = 'changed' WHERE id = :id",
        "UPDATE cashbank_journal_entry SET posted = :no WHERE id = :id",
        "DELETE FROM cashbank_journal_entry WHERE id = :id",
    ],
)
def test_database_refuses_to_change_posted_work(books, statement):
    entry = simple_entry(books)
    with pytest.raises(sa.exc.IntegrityError, match="cashbank"):
        books.execute(sa.text(statement), {"id": entry.id, "no": False})
    books.rollback()
    assert ledger.unbalanced_entries(books) == []


def test_database_refuses_a_line_added_to_a_posted_entry(books):
    entry = simple_entry(books)
    with pytest.raises(sa.exc.IntegrityError, match="cashbank"):
        books.execute(
            sa.text(
                "INSERT INTO cashbank_journal_line (entry_id, account_id, debit, credit, memo, party_name, document) VALUES (:e, :a, 5, 0, '', '', '')"
            ),
            {"e": entry.id, "a": account_by_code(books, "1-1100").id},
        )
    books.rollback()


def test_orm_edit_of_a_posted_line_is_refused(books):
    entry = simple_entry(books)
    entry.lines[0].debit = Decimal("5")
    with pytest.raises(sa.exc.IntegrityError):
        books.commit()
    books.rollback()


def test_correction_is_a_reversal_once(books):
    entry = simple_entry(books, "2500")
    reversal = journal.reverse(books, entry, DAY, "salah input")
    books.commit()
    assert reversal.reverses_id == entry.id
    assert [(line.debit, line.credit) for line in reversal.lines] == [
        (0, Decimal("2500")),
        (Decimal("2500"), 0),
    ]
    assert ledger.balance(books, account_by_code(books, "1-1100")) == 0
    with pytest.raises(Refused):
        journal.reverse(books, entry)
    with pytest.raises(Refused):
        journal.reverse(books, reversal)


def test_lock_date_closes_a_period(books, build):
    journal.set_lock_date(books, dt.date(2026, 3, 31))
    books.commit()
    with pytest.raises(Refused):
        simple_entry(books)
    books.rollback()
    # an automatic posting dated in the closed period lands on the first open day
    movement = build.points(1, "earn", "100", "sales.invoice:1", day=5)
    hooks().loyalty_points_changed(session=books, movement=movement)
    books.commit()
    entry = books.scalar(sa.select(JournalEntry))
    assert entry.date == dt.date(2026, 4, 1)


def test_the_same_event_twice_posts_once(books, build):
    invoice = build.document("sales.invoice", 5, "100000", "11000")
    payment = build.payment(3, invoice.reference, "111000", "bank_transfer")
    for _ in range(2):
        hooks().sales_invoice_issued(session=books, invoice=invoice)
        hooks().sales_invoice_paid(session=books, invoice=invoice, payment=payment)
        hooks().inventory_stock_moved(
            session=books, moves=[build.move(1, "issue", "-40000", "sales.order:5")]
        )
    books.commit()
    events = books.scalars(sa.select(JournalEntry.event).order_by(JournalEntry.id)).all()
    assert events == ["sales_invoice_issued", "sales_invoice_paid", "inventory_stock_moved.issue"]
    # a second, partial payment of the same invoice is another event and posts
    hooks().sales_invoice_paid(
        session=books, invoice=invoice, payment=build.payment(4, invoice.reference, "1", "cash")
    )
    books.commit()
    assert books.scalar(sa.select(sa.func.count()).select_from(JournalEntry)) == 4


def test_concurrent_duplicate_events_post_once(app, books, build):
    """Several workers raise the same event at once, each in its own session: one entry."""
    from niaga.db import session

    invoice = build.document("sales.invoice", 9, "250000", "27500")

    def raise_event(_: int) -> None:
        with app.app_context():
            db = session()
            hooks().sales_invoice_issued(session=db, invoice=invoice)
            db.commit()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(raise_event, range(8)))
    books.expire_all()
    count = books.scalar(
        sa.select(sa.func.count())
        .select_from(JournalEntry)
        .where(JournalEntry.event_key == invoice.reference)
    )
    assert count == 1
