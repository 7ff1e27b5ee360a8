"""``niaga serve``: Waitress sized from the thread count, and how long a request queued.

Waitress queues a connection with a request to serve until one of its threads is free. A
request that waited longer than ``SERVE_QUEUE_SECONDS`` is answered 503 with
``Retry-After`` at once (:mod:`niaga.health`) instead of being worked on after its client
gave up. The sizes that belong together (see docs/operations.md):

* ``threads`` requests run at once, each with its own pooled database connection
  (:func:`niaga.db.create_engine`);
* ``SERVE_CONNECTION_LIMIT`` open connections (idle keep-alive ones included) before
  Waitress stops accepting and new clients wait in the kernel's ``SERVE_BACKLOG``;
* ``SERVE_CHANNEL_TIMEOUT`` seconds before an idle connection is closed, so idle
  keep-alive connections do not hold the limit for long;
* ``MAX_CONTENT_LENGTH`` bytes of request body (Flask answers 413 in the envelope; Waitress
  refuses a body much larger before reading it).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask
from waitress.task import ThreadedTaskDispatcher

from niaga.db import create_engine

_current = threading.local()


def queued_seconds() -> float:
    """How long the request this thread serves waited for the thread (0 outside Waitress)."""
    queued_at = getattr(_current, "queued_at", None)
    return 0.0 if queued_at is None else time.monotonic() - queued_at


class _Queued:
    """A Waitress task (a connection with requests to serve) and when it was queued."""

    __slots__ = ("queued_at", "task")

    def __init__(self, task: Any) -> None:
        self.task = task
        self.queued_at = time.monotonic()

    def service(self) -> None:
        _current.queued_at = self.queued_at
        try:
            self.task.service()
        finally:
            _current.queued_at = None

    def cancel(self) -> None:
        self.task.cancel()

    def __repr__(self) -> str:
        return repr(self.task)


class _TimedDispatcher(ThreadedTaskDispatcher):
    """Waitress's thread pool, noting when each task was queued."""

    def add_task(self, task: Any) -> None:
        super().add_task(_Queued(task))


def waitress_options(app: Flask, threads: int) -> dict[str, Any]:
    """Waitress adjustments for ``threads`` from the app's configuration."""
    config = app.config
    return {
        "threads": threads,
        "connection_limit": config["SERVE_CONNECTION_LIMIT"],
        "channel_timeout": config["SERVE_CHANNEL_TIMEOUT"],
        "backlog": config["SERVE_BACKLOG"],
        # Flask answers a declared length over MAX_CONTENT_LENGTH with the 413 envelope;
        # Waitress stops a body twice that size without reading it.
        "max_request_body_size": 2 * config["MAX_CONTENT_LENGTH"],
        "ident": "niaga",
    }


def size_pool(app: Flask, threads: int) -> None:
    """Give ``app`` a connection pool for ``threads`` serving threads."""
    engine = create_engine(
        app.config["DATABASE_URL"],
        threads=threads,
        pool_timeout=app.config["DATABASE_POOL_TIMEOUT"],
    )
    app.extensions["niaga"].use_engine(engine)


def serve(app: Flask, host: str, port: int, threads: int) -> None:
    """Serve ``app`` with Waitress on ``threads`` threads until interrupted (size its pool
    first with :func:`size_pool`)."""
    import waitress

    dispatcher = _TimedDispatcher()
    dispatcher.set_thread_count(threads)
    waitress.serve(
        app, host=host, port=port, _dispatcher=dispatcher, **waitress_options(app, threads)
    )
