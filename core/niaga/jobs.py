"""``niaga worker``: delivers the outbox and runs scheduled jobs.

Each round runs in a fresh app context, so a plugin enabled or disabled meanwhile is seen.
Several workers may run at once: outbox rows are claimed with a lease (see
:mod:`niaga.outbox`) and a scheduled job by a conditional update of its ``core_job_run``
row that also sets a lease. A running job renews its lease; a run killed mid-way stops
renewing it, and once it expires (``JOB_LEASE_SECONDS``, 120) the next round runs the job
again instead of waiting its whole interval.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any, cast

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from niaga import outbox
from niaga.audit import acting_as
from niaga.db import session, utcnow
from niaga.meta import ScheduledJob
from niaga.models import JobRun
from niaga.runtime import collect

log = logging.getLogger(__name__)


#: How long a scheduled run may go without renewing its lease before another worker
#: takes the job over (``JOB_LEASE_SECONDS``); the run renews it every third of that.
LEASE_SECONDS = 120


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(current_app.config.get("JOB_LEASE_SECONDS", LEASE_SECONDS)))


def _claim(db: Session, job: ScheduledJob) -> bool:
    """Take the job for this worker, with a lease, if it is due: its interval has passed
    since the last start, or the last run never finished and its lease ran out (the worker
    was killed). False when it is not due or another worker's lease is alive."""
    now = utcnow()
    due_before = now - dt.timedelta(seconds=job.every_seconds)
    if db.get(JobRun, job.name) is None:
        db.add(JobRun(name=job.name))
        db.flush()
    unfinished = sa.or_(
        JobRun.last_finished_at.is_(None), JobRun.last_finished_at < JobRun.last_started_at
    )
    claimed = cast(
        "sa.CursorResult[Any]",
        db.execute(
            sa.update(JobRun)
            .where(
                JobRun.name == job.name,
                sa.or_(JobRun.lease_until.is_(None), JobRun.lease_until < now),
                sa.or_(
                    JobRun.last_started_at.is_(None),
                    JobRun.last_started_at <= due_before,
                    sa.and_(JobRun.lease_until.is_not(None), unfinished),  # killed mid-run
                ),
            )
            .values(last_started_at=now, lease_until=now + _lease())
        ),
    ).rowcount
    db.commit()
    return bool(claimed)


class _Heartbeat:
    """Renews a run's lease from a thread of its own (its own connection) while it runs."""

    def __init__(self, app: Flask, name: str, lease: dt.timedelta) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self._beat, args=(app, name, lease), name=f"lease-{name}", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)

    def _beat(self, app: Flask, name: str, lease: dt.timedelta) -> None:
        while not self.stop.wait(lease.total_seconds() / 3):
            try:
                with app.extensions["niaga"].sessionmaker() as db:
                    db.execute(
                        sa.update(JobRun)
                        .where(JobRun.name == name)
                        .values(lease_until=utcnow() + lease)
                    )
                    db.commit()
            except Exception:
                log.warning("could not renew the lease of job %s", name, exc_info=True)


def run_due_jobs(db: Session) -> int:
    """Run every scheduled job of the enabled plugins that is due; returns how many ran."""
    ran = 0
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for plugin, jobs in collect("niaga_scheduled_jobs"):
        for job in jobs:
            if not _claim(db, job):
                continue
            error = None
            with _Heartbeat(app, job.name, _lease()), acting_as(f"job:{plugin}.{job.name}"):
                try:
                    job.run(db)
                    db.commit()
                    ran += 1
                except Exception as exc:
                    db.rollback()  # before the heartbeat stops: it may wait for our lock
                    error = f"{type(exc).__name__}: {exc}"
                    log.exception("job %s failed", job.name)
            db.execute(
                sa.update(JobRun)
                .where(JobRun.name == job.name)
                .values(last_finished_at=utcnow(), last_error=error, lease_until=None)
            )
            db.commit()
    return ran


def run_round() -> tuple[int, int]:
    """One round: deliver due outbox messages, run due jobs."""
    db = session()
    handlers = {
        topic: handler
        for _, found in collect("niaga_outbox_handlers")
        for topic, handler in found.items()
    }
    with acting_as("worker"):
        delivered = outbox.deliver_due(db, handlers)
    return delivered, run_due_jobs(db)


def deliver_message(message_id: int) -> int:
    """Queue job: deliver one outbox message now (1 when delivered)."""
    handlers = {
        topic: handler
        for _, found in collect("niaga_outbox_handlers")
        for topic, handler in found.items()
    }
    with acting_as("worker"):
        return outbox.deliver_one(session(), handlers, message_id)


def run_worker(once: bool = False, interval: float = 2.0) -> None:
    """Sweep the outbox and scheduled jobs every ``interval`` seconds and, with Redis
    configured, execute the queued jobs in between."""
    from niaga.queue import rq_queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = rq_queue(app)
    while True:
        with app.app_context():
            delivered, ran = run_round()
        if delivered or ran:
            log.info("worker: %s messages delivered, %s jobs run", delivered, ran)
        if queue is not None:
            from rq import SimpleWorker

            with app.app_context():
                SimpleWorker([queue], connection=queue.connection).work(
                    burst=True, logging_level="WARNING"
                )
        if once:
            return
        time.sleep(interval)


def start_embedded_worker(app: Flask, interval: float = 2.0) -> threading.Thread:
    """For a single shop without Redis: sweep outbox and jobs in a thread of the server."""

    def loop() -> None:
        while True:
            try:
                with app.app_context():
                    run_round()
            except Exception:
                log.exception("embedded worker round failed")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="niaga-worker", daemon=True)
    thread.start()
    return thread
