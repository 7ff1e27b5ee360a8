"""Background work: on a Redis queue (rq) when ``NIAGA_REDIS_URL`` is set, otherwise in a
thread of the current process, so a single shop needs nothing extra.

Jobs are named by dotted path (``"niaga.jobs.deliver_message"``) and take JSON-friendly
arguments; each runs in a fresh app context with its own database session, so it sees the
plugins enabled at that moment. ``niaga worker`` executes the Redis queue.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)

QUEUE_NAME = "niaga"


def redis_connection(url: str) -> Any:
    from redis import Redis

    return Redis.from_url(url)


def rq_queue(app: Flask) -> Any | None:
    """The rq queue of ``app``, or ``None`` when no Redis is configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    from rq import Queue

    name = app.config.get("QUEUE_NAME") or QUEUE_NAME
    return Queue(name, connection=redis_connection(url))


def submit(job: str, *args: Any) -> None:
    """Run ``job(*args)`` in the background (Redis queue, else a thread here)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = rq_queue(app)
    if queue is not None:
        queue.enqueue(execute, job, *args)
        return
    threading.Thread(target=_run_in_thread, args=(app, job, args), daemon=True).start()


def execute(job: str, *args: Any) -> Any:
    """Entry point of every queued job: resolve ``job`` and call it in a fresh app context."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        return resolve(job)(*args)


def resolve(job: str) -> Any:
    module, _, name = job.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _run_in_thread(app: Flask, job: str, args: tuple[Any, ...]) -> None:
    try:
        with app.app_context():
            resolve(job)(*args)
    except Exception:
        log.exception("background job %s failed", job)
