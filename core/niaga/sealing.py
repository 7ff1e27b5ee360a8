"""Secret settings sealed at rest, and masked wherever they would otherwise be shown.

A setting is secret when its schema field says so (``metadata={"secret": True}``) or, for
settings whose schema is not at hand (a disabled plugin, an old audit row), when its name
says so (``secret``, ``password``, ``token``, ``..._key``). Secret values are stored as
``{"$sealed": "<Fernet token>"}``; the key comes from the instance configuration:
``SEAL_KEYS`` (newest first, every one still opens what it sealed) or else ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

SEALED = "$sealed"
MASK = "********"
_SECRET_WORDS = ("secret", "password", "token", "passphrase")
_SCHEMA_RULE = "niaga.secret_settings"


def is_secret_setting(key: str) -> bool:
    """Whether setting ``key`` holds a secret (by its schema, else by its name)."""
    name = key.partition(".")[2].lower()
    if any(word in name for word in _SECRET_WORDS) or name == "key" or name.endswith("_key"):
        return True
    return _schema_says_secret(key)


def recognise_secrets(app: Flask, by_schema: Callable[[str], bool]) -> None:
    """Let ``app`` tell secret settings by their schema too (settings owns the schemas and
    sits above this module, so it hands the rule down)."""
    app.extensions[_SCHEMA_RULE] = by_schema


def _schema_says_secret(key: str) -> bool:
    if not has_app_context():
        return False
    rule = current_app.extensions.get(_SCHEMA_RULE)
    return rule is not None and rule(key)


def seal(value: Any) -> dict[str, str]:
    """``value`` (anything JSON) encrypted with the newest key."""
    token = _fernet(_key_material()).encrypt(json.dumps(value).encode())
    return {SEALED: token.decode()}


def is_sealed(stored: Any) -> bool:
    return isinstance(stored, dict) and set(stored) == {SEALED}


def unseal(stored: Any) -> Any:
    """The value behind ``stored``; plain (older, unsealed) values come back as they are.
    A value sealed with a key no longer configured reads as ``None`` (and is logged)."""
    if not is_sealed(stored):
        return stored
    try:
        return json.loads(_fernet(_key_material()).decrypt(stored[SEALED].encode()))
    except InvalidToken:
        log.error("a sealed setting cannot be opened with the configured SEAL_KEYS/SECRET_KEY")
        return None


def reseal(stored: Any) -> dict[str, str]:
    """``stored`` sealed with the newest key (``niaga config reseal``, after a key was put
    first in ``SEAL_KEYS``); a plain value is sealed. Raises
    :class:`cryptography.fernet.InvalidToken` when no configured key opens it."""
    if not is_sealed(stored):
        return seal(stored)
    return {SEALED: _fernet(_key_material()).rotate(stored[SEALED].encode()).decode()}


def _key_material() -> tuple[str, ...]:
    keys = current_app.config.get("SEAL_KEYS") or [current_app.config["SECRET_KEY"]]
    return tuple(str(k) for k in keys)


@functools.lru_cache(maxsize=8)
def _fernet(material: tuple[str, ...]) -> MultiFernet:
    # Any passphrase becomes a Fernet key; SHA-256 suffices as the inputs are long secrets.
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(hashlib.sha256(m.encode()).digest())) for m in material]
    )


def mask_setting_change(key: str, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """An audit snapshot of setting ``key`` (a new row's snapshot names its own key): the
    value under ``value`` (the column attribute is ``stored``), masked when secret."""
    if values is None:
        return None
    shown = dict(values)
    if "stored" in shown:
        shown["value"] = shown.pop("stored")
    if "value" in shown and is_secret_setting(shown.get("key") or key):
        shown["value"] = MASK
    return shown
