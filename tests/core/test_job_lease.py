"""Leases for scheduled runs and outbox deliveries (issue 16): a run or delivery cut off by
a killed worker is taken over when its lease runs out, not after the job's whole interval;
a long run keeps its lease alive; every delivery attempt is counted."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa

from niaga import hookimpl, jobs, lifecycle, outbox
from niaga.meta import PluginMeta, ScheduledJob
from niaga.models import JobRun, OutboxMessage
from niaga.runtime import collect, forget_enabled_plugins, niaga


class Hourly:
    PLUGIN = PluginMeta(name="hourly", label={"en": "Hourly"}, description={"en": "test"})

    def __init__(self) -> None:
        self.runs = 0
        self.seconds = 0.0
        self.delivered: list[Any] = []

    @hookimpl
    def niaga_scheduled_jobs(self) -> list[ScheduledJob]:
        return [ScheduledJob("hourly.tick", self.tick, every_seconds=3600)]

    @hookimpl
    def niaga_outbox_handlers(self) -> dict[str, Any]:
        return {"hourly.note": lambda _session, payload: self.delivered.append(payload)}

    def tick(self, session: Any) -> None:
        time.sleep(self.seconds)
        self.runs += 1


@pytest.fixture
def hourly(app, db):
    plugin = Hourly()
    host = niaga().host
    assert host.add(plugin).loaded
    lifecycle.enable(db, host, "hourly")
    db.commit()
    forget_enabled_plugins()
    app.config["JOB_LEASE_SECONDS"] = 1
    app.config["OUTBOX_LEASE_SECONDS"] = 1
    yield plugin
    host.remove("hourly")


def job() -> ScheduledJob:
    found = [j for _, jobs_ in collect("niaga_scheduled_jobs") for j in jobs_]
    return next(j for j in found if j.name == "hourly.tick")


def test_a_run_killed_midway_is_taken_over_when_its_lease_runs_out(hourly, db):
    # a worker claims the job and dies before finishing: nothing renews its lease
    assert jobs._claim(db, job())
    jobs.run_due_jobs(db)  # the lease is still alive: not taken over
    assert hourly.runs == 0
    time.sleep(1.2)
    jobs.run_due_jobs(db)
    assert hourly.runs == 1  # within the lease, not the hour
    db.rollback()
    row = db.get(JobRun, "hourly.tick", populate_existing=True)
    assert row.lease_until is None and row.last_finished_at >= row.last_started_at
    jobs.run_due_jobs(db)
    assert hourly.runs == 1  # finished: the next run waits for its interval again


def test_a_long_run_keeps_its_lease(app, hourly, db):
    hourly.seconds = 2.5  # longer than two leases of one second
    tick = job()
    db.rollback()  # SQLite: hold no lock while the worker runs

    def worker() -> None:
        with app.app_context():
            from niaga.db import session

            jobs.run_due_jobs(session())

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        time.sleep(1.6)
        with app.extensions["niaga"].sessionmaker() as other:
            assert not jobs._claim(other, tick)  # renewed: nobody else takes it
    finally:
        thread.join(timeout=30)
    assert hourly.runs == 1


def test_every_delivery_attempt_is_counted_and_a_cut_off_one_redelivered(hourly, db):
    message = outbox.enqueue(db, "hourly.note", {"n": 1})
    db.commit()
    # a worker takes the message and is killed before its handler's transaction commits
    assert outbox._take(db, message.id)
    handlers = {t: h for _, found in collect("niaga_outbox_handlers") for t, h in found.items()}
    assert outbox.deliver_due(db, handlers) == 0  # leased to the dead worker for now
    time.sleep(1.2)
    assert outbox.deliver_due(db, handlers) == 1
    row = db.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .execution_options(populate_existing=True)
    )
    assert row.attempts == 2 and row.done_at is not None
    assert hourly.delivered == [{"n": 1}]
    assert outbox.deliver_due(db, handlers) == 0
