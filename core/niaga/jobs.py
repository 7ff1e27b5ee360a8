"""``niaga worker``: delivers the outbox and runs scheduled jobs.

Each round runs in a fresh app context, so a plugin enabled or disabled meanwhile is seen.
Several workers may run at once: outbox rows are claimed with ``SKIP LOCKED`` and a
scheduled job is claimed by a conditional update of its ``core_job_run`` row.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

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


def _claim(db: Session, job: ScheduledJob) -> bool:
    """Take the job for this worker if it is due; False when another worker has it."""
    now = utcnow()
    due_before = now - dt.timedelta(seconds=job.every_seconds)
    if db.get(JobRun, job.name) is None:
        db.add(JobRun(name=job.name))
        db.flush()
    claimed = db.execute(
        sa.update(JobRun)
        .where(
            JobRun.name == job.name,
            sa.or_(JobRun.last_started_at.is_(None), JobRun.last_started_at <= due_before),
        )
        .values(last_started_at=now)
    ).rowcount
    db.commit()
    return bool(claimed)


def run_due_jobs(db: Session) -> int:
    """Run every scheduled job of the enabled plugins that is due; returns how many ran."""
    ran = 0
    for plugin, jobs in collect("niaga_scheduled_jobs"):
        for job in jobs:
            if not _claim(db, job):
                continue
            error = None
            try:
                with acting_as(f"job:{plugin}.{job.name}"):
                    job.run(db)
                db.commit()
                ran += 1
            except Exception as exc:
                db.rollback()
                error = f"{type(exc).__name__}: {exc}"
                log.exception("job %s failed", job.name)
            record = db.get(JobRun, job.name)
            assert record is not None
            record.last_finished_at, record.last_error = utcnow(), error
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
