"""``niaga.db.assign``: a value set equal to what an object holds leaves it unchanged, so
a flush has nothing to work through (issue 17: an order's totals recomputed on confirm
no longer make every later flush of the request visit the order)."""

from __future__ import annotations

from niaga.db import UnitSession, assign
from niaga.models import Setting
from niaga.testing import sent_statements


def test_equal_values_leave_the_object_clean_and_a_new_value_is_written(app, db: UnitSession):
    db.add(Setting("test.assign", {"n": 1}))
    db.commit()
    row = db.get(Setting, "test.assign")
    assert row is not None and row.stored == {"n": 1}
    with sent_statements(app.extensions["niaga"].engine) as sent:
        assign(row, stored={"n": 1})
        assert row not in db.dirty
        db.flush()
        assert sent == []
        assign(row, stored={"n": 2})
        assert db.is_modified(row)
        db.flush()
    assert any(statement.startswith("UPDATE core_setting") for statement in sent)
    db.commit()
    db.expire_all()
    assert db.get(Setting, "test.assign").stored == {"n": 2}
