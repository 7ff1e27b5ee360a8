"""Application configuration: defaults, then the instance file, then ``NIAGA_*`` variables.

The instance folder (``NIAGA_HOME``, default ``./instance``) holds ``niaga.toml``, the
SQLite database and uploads. Settings that every process must share and that the owner
changes at run time (shop name, plugin settings) live in the database instead; see
:mod:`niaga.settings`.
"""

from __future__ import annotations

import logging
import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

CONFIG_FILE = "niaga.toml"

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: SQLite file in the instance folder
    "REDIS_URL": None,  # no Redis: background jobs run in process
    "QUEUE_NAME": "niaga",
    "EMBEDDED_WORKER": True,  # without Redis, `niaga serve` sweeps outbox and jobs itself
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set true behind HTTPS
    "LOGIN_RATE_LIMIT": 5,  # failed attempts per account and address ...
    "LOGIN_RATE_WINDOW": 300,  # ... per this many seconds
    "LOGIN_ADDRESS_LIMIT": 30,  # failed attempts per address over all accounts, same window
    "TRUSTED_PROXIES": [],  # addresses/networks whose X-Forwarded-For(-Proto) is believed
    "SEAL_KEYS": [],  # keys sealing secret settings, newest first; empty: SECRET_KEY
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,  # seconds a login lasts at most
    "SESSION_IDLE_MINUTES": 120,  # a login unused this long ends
    "IDEMPOTENCY_TTL_HOURS": 24,
    "IDEMPOTENCY_WAIT_SECONDS": 3,  # a retry waits this long for the first request's commit
    "JOB_LEASE_SECONDS": 120,  # a scheduled run killed mid-way is taken over after this
    "OUTBOX_LEASE_SECONDS": 120,  # an outbox delivery cut off is retried after this
    "WTF_CSRF_TIME_LIMIT": None,
    # Serving (sized together, see docs/operations.md "Serving")
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,  # bytes of request body; more is answered 413
    "DATABASE_POOL_TIMEOUT": 10,  # seconds a request waits for a connection, then 503
    "SERVE_QUEUE_SECONDS": 20,  # a request queued longer for a thread is answered 503
    "SERVE_CONNECTION_LIMIT": 1000,  # open connections, idle keep-alive ones included
    "SERVE_CHANNEL_TIMEOUT": 30,  # seconds before an idle connection is closed
    "SERVE_BACKLOG": 2048,  # connections the kernel queues while the limit is reached
    "TESTING": False,
}


def home_folder() -> Path:
    return Path(os.environ.get("NIAGA_HOME", "instance")).resolve()


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the instance file, the environment, ``overrides``."""
    app.config.update(DEFAULTS)
    path = Path(app.instance_path) / CONFIG_FILE
    if path.is_file():
        with path.open("rb") as handle:
            from_file = {k.upper(): v for k, v in tomllib.load(handle).items()}
        app.config.update(from_file)
        _warn_unknown(from_file, str(path))
    app.config.from_prefixed_env("NIAGA", loads=_loads)
    app.config.update(overrides or {})
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'niaga.db'}"
    if not app.config["SECRET_KEY"]:
        # Without an instance file sessions last only as long as the process.
        app.config["SECRET_KEY"] = secrets.token_hex(32)


def _loads(value: str) -> Any:
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value


def _warn_unknown(values: dict[str, Any], source: str) -> None:
    for key in values:
        if key not in DEFAULTS:
            log.warning("unknown configuration key %s in %s", key, source)


def write_instance_file(instance: Path) -> Path:
    """Create ``niaga.toml`` with a fresh secret key, unless it exists."""
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "uploads").mkdir(exist_ok=True)
    path = instance / CONFIG_FILE
    if not path.exists():
        path.write_text(
            "# Niaga instance configuration. NIAGA_* environment variables override it.\n"
            f'secret_key = "{secrets.token_hex(32)}"\n'
            '# database_url = "postgresql://user@host/dbname"\n'
            '# redis_url = "redis://127.0.0.1:6379/0"\n',
            encoding="utf-8",
        )
        path.chmod(0o600)
    return path
