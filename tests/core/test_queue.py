"""Background jobs on a real Redis queue, and in process without Redis."""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa

from niaga import outbox, queue
from niaga.jobs import run_worker
from niaga.models import OutboxMessage, Setting


def remember(key: str, value: str) -> None:
    """A job: store a setting (proves the job ran with its own session)."""
    from niaga.db import session

    session().add(Setting(key=key, value=value))
    session().commit()


def stored(db, key: str):
    db.expire_all()
    row = db.get(Setting, key)
    db.rollback()
    return None if row is None else row.value


@pytest.fixture
def redis_app(app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", QUEUE_NAME=f"t-{uuid.uuid4().hex}")
    yield app
    queue.rq_queue(app).delete(delete_jobs=True)


def test_a_job_runs_on_the_redis_queue_through_the_worker(redis_app, db):
    job = f"{__name__}.remember"
    queue.submit(job, "test.redis", "dari antrean")
    assert queue.rq_queue(redis_app).count == 1
    assert stored(db, "test.redis") is None  # nothing runs until a worker takes it
    run_worker(once=True)
    assert stored(db, "test.redis") == "dari antrean"
    assert queue.rq_queue(redis_app).count == 0


def test_committed_outbox_messages_are_pushed_to_redis(redis_app, db):
    outbox.enqueue(db, "core.log", {"hello": 1})
    db.rollback()
    assert queue.rq_queue(redis_app).count == 0  # rolled back: nothing pushed
    message = outbox.enqueue(db, "core.log", {"hello": 2})
    db.commit()
    assert queue.rq_queue(redis_app).count == 1
    run_worker(once=True)
    db.expire_all()
    assert db.get(OutboxMessage, message.id).done_at is not None


def test_without_redis_a_job_runs_in_a_thread(app, db):
    queue.submit(f"{__name__}.remember", "test.thread", "di proses ini")
    deadline = time.monotonic() + 20
    while stored(db, "test.thread") is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stored(db, "test.thread") == "di proses ini"
    assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
