"""The held unit of an Idempotency-Key request (:class:`niaga.db.UnitSession`): a view's
``commit()`` keeps its work from a later ``rollback()``, nothing is durable before the
holder's own commit, and the savepoint after a commit is opened only when something is
written (issue 17: the answer's reads cost no SAVEPOINT)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from niaga.db import UnitSession
from niaga.models import Setting
from niaga.testing import sent_statements


def stored_keys(app) -> set[str]:
    """The test keys committed for good, read on a connection of its own."""
    with app.extensions["niaga"].engine.connect() as connection:
        return set(
            connection.scalars(sa.select(Setting.key).where(Setting.key.like("test.%"))).all()
        )


@pytest.fixture
def statements(app) -> Iterator[list[str]]:
    with sent_statements(app.extensions["niaga"].engine) as sent:
        yield sent


@pytest.mark.parametrize("rolled_back", [True, False], ids=["rollback", "left-to-unhold"])
def test_a_commit_keeps_its_work_and_what_came_after_is_dropped(
    app, db: UnitSession, rolled_back: bool
):
    db.hold()
    db.add(Setting("test.kept", 1))
    db.commit()
    db.add(Setting("test.dropped", 2))
    db.flush()
    if rolled_back:
        db.rollback()
    db.unhold()
    db.commit()
    assert stored_keys(app) == {"test.kept"}


def test_a_statement_written_after_a_commit_is_undone_by_a_rollback(app, db: UnitSession):
    db.hold()
    db.add(Setting("test.kept", 1))
    db.commit()
    db.execute(sa.update(Setting).where(Setting.key == "test.kept").values(stored=99))
    db.rollback()
    db.unhold()
    db.commit()
    with app.extensions["niaga"].engine.connect() as connection:
        value = connection.scalar(sa.select(Setting.stored).where(Setting.key == "test.kept"))
    assert value == 1


def test_a_pending_object_is_dropped_by_a_rollback_after_a_commit(app, db: UnitSession):
    db.hold()
    db.add(Setting("test.kept", 1))
    db.commit()
    pending = Setting("test.pending", 2)
    db.add(pending)  # not flushed: no savepoint is open yet
    db.rollback()
    assert pending not in db
    db.unhold()
    db.commit()
    assert stored_keys(app) == {"test.kept"}


def test_reads_after_a_commit_open_no_savepoint(db: UnitSession, statements: list[str]):
    db.hold()
    db.add(Setting("test.kept", 1))
    db.commit()
    statements.clear()
    db.scalars(sa.select(Setting)).all()  # building the answer
    db.unhold()
    assert statements and not any("SAVEPOINT" in s for s in statements), statements
