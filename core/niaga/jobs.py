"""``niaga worker``: delivers the outbox and runs scheduled jobs.

Each round runs in a fresh app context, so a plugin enabled or disabled meanwhile is seen.
Several workers may run at once: outbox rows are claimed with ``SKIP LOCKED`` and a
scheduled job is claimed by a conditional update of its ``core_job_run`` row.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

import sqlalchemy as sa
from flask import current_app
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


def run_worker(once: bool = False, interval: float = 2.0) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    while True:
        with app.app_context():
            delivered, ran = run_round()
        if delivered or ran:
            log.info("worker: %s messages delivered, %s jobs run", delivered, ran)
        if once:
            return
        time.sleep(interval)
