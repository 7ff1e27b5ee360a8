"""Backups and restores of the whole database.

* SQLite: SQLite's online backup API copies a consistent snapshot while the app keeps
  running (a plain file copy could catch a half-written WAL).
* PostgreSQL: ``pg_dump --format=custom``; restore with ``pg_restore --clean``.
* Backups are written with mode 0600: they hold customers' data (secret settings are
  sealed in them, see :mod:`niaga.sealing`).
* Optionally encrypted with a passphrase (``niaga backup --encrypt``): the copy is
  written privately, encrypted in 1 MiB records (Fernet, each record numbered and the last
  one marked, so a file cut short or reordered is refused) with a key derived by scrypt,
  and the plain copy removed. ``restore`` recognises such a file and asks for the
  passphrase.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy.engine import make_url

from niaga.errors import Invalid

#: The first bytes of an encrypted backup.
MAGIC = b"NIAGA-BACKUP-ENC1\n"
RECORD = 1024 * 1024


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


def backup_encrypted(database_url: str, target: Path, passphrase: str) -> Path:
    """:func:`backup`, encrypted with ``passphrase``; no plain copy is left behind."""
    if len(passphrase) < 10:
        raise Invalid("The backup passphrase needs at least 10 characters")
    plain = target.with_name(target.name + ".partial")
    try:
        backup(database_url, plain)
        encrypt_file(plain, target, passphrase)
    finally:
        plain.unlink(missing_ok=True)
    return target


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    salt = os.urandom(16)
    fernet = _fernet(passphrase, salt)
    _create_private(target)
    with source.open("rb") as reading, target.open("wb") as writing:
        writing.write(MAGIC + salt)
        number, chunk = 0, reading.read(RECORD)
        while True:
            following = reading.read(RECORD)
            last = not following
            token = fernet.encrypt(struct.pack(">Q?", number, last) + chunk)
            writing.write(struct.pack(">I", len(token)) + token)
            if last:
                return
            number, chunk = number + 1, following


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """Write the plain backup of ``source`` to ``target`` (0600); a wrong passphrase or a
    damaged, cut or reordered file is :class:`Invalid`."""
    _create_private(target)
    with source.open("rb") as reading, target.open("wb") as writing:
        header = reading.read(len(MAGIC) + 16)
        if header[: len(MAGIC)] != MAGIC:
            raise Invalid("{path} is not an encrypted Niaga backup", path=str(source))
        fernet = _fernet(passphrase, header[len(MAGIC) :])
        expected, last = 0, False
        while not last:
            size = reading.read(4)
            if len(size) < 4:
                raise Invalid("{path} is cut short", path=str(source))
            try:
                record = fernet.decrypt(reading.read(struct.unpack(">I", size)[0]))
            except InvalidToken:
                raise Invalid("Wrong passphrase, or {path} is damaged", path=str(source)) from None
            number, last = struct.unpack(">Q?", record[:9])
            if number != expected:
                raise Invalid("{path} is damaged", path=str(source))
            writing.write(record[9:])
            expected += 1


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _create_private(target: Path) -> None:
    """Create ``target`` empty with mode 0600 (its folder 0700 if new) before anything is
    written to it, so the copy is never readable by others, not even for a moment."""
    if not target.parent.exists():
        target.parent.mkdir(mode=0o700, parents=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    target.chmod(0o600)  # an existing file keeps its old mode through os.open


def restore(database_url: str, source: Path, passphrase: str | None = None) -> None:
    """Replace the database's content with the backup at ``source`` (decrypted with
    ``passphrase`` first when it is an encrypted one)."""
    if not source.is_file():
        raise Invalid("No backup file at {path}", path=str(source))
    if is_encrypted(source):
        if not passphrase:
            raise Invalid("{path} is encrypted; give its passphrase", path=str(source))
        plain = source.with_name(source.name + ".plain")
        try:
            decrypt_file(source, plain, passphrase)
            restore(database_url, plain)
        finally:
            plain.unlink(missing_ok=True)
        return
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
