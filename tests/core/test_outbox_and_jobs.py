"""The outbox delivers after commit, at least once, with retries; scheduled jobs run once
per interval even with several workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from niaga import hookimpl, lifecycle, outbox
from niaga.db import utcnow
from niaga.jobs import run_due_jobs
from niaga.meta import PluginMeta, ScheduledJob
from niaga.models import JobRun, OutboxMessage
from niaga.runtime import forget_enabled_plugins, niaga


class Recorder:
    """A real plugin, added to the host for one test, that records what it is asked to do."""

    PLUGIN = PluginMeta(name="recorder", label={"en": "Recorder"}, description={"en": "test"})

    def __init__(self) -> None:
        self.delivered: list[dict[str, Any]] = []
        self.fail_next = 0
        self.job_runs = 0

    @hookimpl
    def niaga_outbox_handlers(self) -> dict[str, Any]:
        return {"recorder.note": self.handle}

    @hookimpl
    def niaga_scheduled_jobs(self) -> list[ScheduledJob]:
        return [ScheduledJob("recorder.tick", self.tick, every_seconds=3600)]

    def handle(self, session: Any, payload: dict[str, Any]) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("partner is down")
        self.delivered.append(payload)

    def tick(self, session: Any) -> None:
        self.job_runs += 1


@pytest.fixture
def recorder(app, db):
    plugin = Recorder()
    host = niaga().host
    assert host.add(plugin).loaded
    lifecycle.enable(db, host, "recorder")
    db.commit()
    forget_enabled_plugins()
    yield plugin
    host.remove("recorder")


def handlers() -> dict[str, Any]:
    from niaga.runtime import collect

    return {t: h for _, found in collect("niaga_outbox_handlers") for t, h in found.items()}


def test_nothing_is_delivered_from_a_rolled_back_transaction(recorder, db):
    outbox.enqueue(db, "recorder.note", {"n": 1})
    db.rollback()
    assert outbox.deliver_due(db, handlers()) == 0
    assert recorder.delivered == []


def test_delivered_once_after_commit(recorder, db):
    outbox.enqueue(db, "recorder.note", {"n": 1})
    db.commit()
    assert outbox.deliver_due(db, handlers()) == 1
    assert outbox.deliver_due(db, handlers()) == 0
    assert recorder.delivered == [{"n": 1}]


def test_failures_are_retried_with_backoff(recorder, db):
    recorder.fail_next = 1
    message = outbox.enqueue(db, "recorder.note", {"n": 2})
    db.commit()
    assert outbox.deliver_due(db, handlers()) == 0
    row = db.get(OutboxMessage, message.id)
    assert row.attempts == 1 and "partner is down" in row.last_error
    assert outbox.deliver_due(db, handlers()) == 0  # not due yet
    db.execute(sa.update(OutboxMessage).values(available_at=utcnow() - dt.timedelta(seconds=1)))
    db.commit()
    assert outbox.deliver_due(db, handlers()) == 1
    assert recorder.delivered == [{"n": 2}]


def test_a_topic_without_handler_waits_instead_of_vanishing(recorder, db):
    message = outbox.enqueue(db, "nobody.listens", {})
    db.commit()
    assert outbox.deliver_due(db, handlers()) == 0
    assert "no handler" in db.get(OutboxMessage, message.id).last_error


def test_scheduled_job_runs_once_per_interval(recorder, db):
    run_due_jobs(db)
    assert recorder.job_runs == 1
    assert run_due_jobs(db) == 0  # a second worker in the same hour finds every job taken
    assert recorder.job_runs == 1
    db.execute(sa.update(JobRun).values(last_started_at=utcnow() - dt.timedelta(hours=2)))
    db.commit()
    run_due_jobs(db)
    assert recorder.job_runs == 2


def test_core_purges_expired_idempotency_keys(app, db):
    from niaga.models import IdempotencyKey

    old = utcnow() - dt.timedelta(days=3)
    db.add(IdempotencyKey(scope="u:1", key="lama", request_hash="x", created_at=old))
    db.add(IdempotencyKey(scope="u:1", key="baru", request_hash="x"))
    db.commit()
    assert run_due_jobs(db) >= 1
    keys = db.scalars(sa.select(IdempotencyKey.key)).all()
    assert keys == ["baru"]
