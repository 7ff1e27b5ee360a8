"""Backups and restores of the whole database.

* SQLite: SQLite's online backup API copies a consistent snapshot while the app keeps
  running (a plain file copy could catch a half-written WAL).
* PostgreSQL: ``pg_dump --format=custom``; restore with ``pg_restore --clean``.
* Backups are written with mode 0600: they hold customers' data (secret settings are
  sealed in them, see :mod:`niaga.sealing`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from niaga.errors import Invalid


def default_path(folder: Path, database_url: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "db" if database_url.startswith("sqlite") else "dump"
    return folder / "backups" / f"niaga-{stamp}.{suffix}"


def backup(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target``, readable by its owner
    only (mode 0600); returns the path."""
    _create_private(target)
    if database_url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(database_url))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        return target
    _run_pg(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)], database_url)
    return target


def _create_private(target: Path) -> None:
    """Create ``target`` empty with mode 0600 (its folder 0700 if new) before anything is
    written to it, so the copy is never readable by others, not even for a moment."""
    if not target.parent.exists():
        target.parent.mkdir(mode=0o700, parents=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    target.chmod(0o600)  # an existing file keeps its old mode through os.open


def restore(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup at ``source``."""
    if not source.is_file():
        raise Invalid("No backup file at {path}", path=str(source))
    if database_url.startswith("sqlite"):
        path = _sqlite_path(database_url)
        with sqlite3.connect(source) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise Invalid("{path} is not a sound SQLite backup", path=str(source))
        for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(source, path)
        return
    _run_pg(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
        database_url,
    )


def _sqlite_path(database_url: str) -> str:
    path = make_url(database_url).database
    if not path or path == ":memory:":
        raise Invalid("An in-memory database cannot be backed up")
    return path


def _run_pg(command: list[str], database_url: str) -> None:
    url = make_url(database_url)
    args = [
        *command,
        "--dbname",
        url.database or "",
        "--host",
        url.host or "127.0.0.1",
        "--port",
        str(url.port or 5432),
        "--username",
        url.username or "postgres",
    ]
    env = {"PGPASSWORD": url.password} if url.password else {}
    result = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **env})
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["unknown error"])[0]
        raise Invalid("{tool} failed: {reason}", tool=command[0], reason=first)
