"""Run-time settings, shared by every process through the database.

Keys are ``<plugin>.<field>`` (``core.<field>`` for core). Each plugin describes its
settings with a marshmallow schema (hook ``niaga_settings_schema``); values are validated
against it on write, and its ``load_default`` is the value until someone sets one.

Reads are cheap: the stored values are read in one statement the first time one is asked
for in a transaction and kept, by plugin, in its memo (:mod:`niaga.memo`); a default comes
from that one plugin's schema, asked for once per process.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import sealing
from niaga.errors import Invalid, NiagaError, NotFound
from niaga.models import Setting
from niaga.runtime import collect, is_enabled, niaga, stored_settings

MASK = "********"


def schemas() -> dict[str, type[ma.Schema]]:
    """Settings schema per enabled plugin (and core)."""
    return dict(collect("niaga_settings_schema"))


def schema_of(plugin: str) -> type[ma.Schema] | None:
    """The settings schema of ``plugin`` if it is core or enabled and has one."""
    if not is_enabled(plugin):
        return None
    app = niaga()
    key = ("niaga_settings_schema", plugin)
    if key not in app.derived:
        app.derived[key] = app.host.call_one("niaga_settings_schema", plugin)
    return app.derived[key]


@cache
def _fields(schema: type[ma.Schema]) -> dict[str, ma.fields.Field]:
    return dict(schema().fields)


def split_key(key: str) -> tuple[str, str]:
    plugin, _, field = key.partition(".")
    if not plugin or not field:
        raise Invalid("A setting key looks like plugin.name, for example core.shop_name")
    return plugin, field


def field_of(key: str) -> ma.fields.Field:
    plugin, name = split_key(key)
    schema = schema_of(plugin)
    if schema is None:
        raise NotFound("No settings for {plugin} (unknown or disabled plugin)", plugin=plugin)
    field = _fields(schema).get(name)
    if field is None:
        known = ", ".join(sorted(_fields(schema)))
        raise NotFound("Unknown setting {key}; known: {known}", key=key, known=known)
    return field


def get(session: Session, key: str) -> Any:
    """The value of ``key``: stored, else the schema default, else ``None``."""
    plugin, name = split_key(key)
    stored = _stored(session, plugin)
    if name in stored:
        return sealing.unseal(stored[name])
    default = field_of(key).load_default
    return None if default is ma.missing else (default() if callable(default) else default)


def get_stored(session: Session, key: str, default: Any = None) -> Any:
    """The stored value of ``key`` without consulting schemas (for core internals)."""
    plugin, name = split_key(key)
    stored = _stored(session, plugin)
    return sealing.unseal(stored[name]) if name in stored else default


def _stored(session: Session, plugin: str) -> dict[str, Any]:
    """The stored (secrets: sealed) values of ``plugin`` by field name. The table is small
    (a few keys per plugin), so all of it is read once per transaction, in the statement
    that reads the enabled plugins (:func:`niaga.runtime.stored_settings`)."""
    return stored_settings(session).setdefault(plugin, {})


def put(session: Session, key: str, value: Any) -> Any:
    """Validate ``value`` against the schema and store it; returns the stored value."""
    plugin, name = split_key(key)
    field_of(key)
    schema = schema_of(plugin)
    assert schema is not None  # field_of found it
    try:
        loaded = schema(only=(name,)).load({name: value})
    except ma.ValidationError as exc:
        messages = exc.messages_dict.get(name, exc.messages_dict)
        raise Invalid(
            "Invalid value for {key}: {problem}",
            key=key,
            problem=_flatten(messages),
            fields={key: messages},
        ) from None
    stored = json.loads(json.dumps(schema(only=(name,)).dump(loaded)))[name]
    put_stored(session, key, stored)
    return stored


def put_stored(session: Session, key: str, value: Any) -> None:
    """Store ``value`` for ``key`` as it is (core internals; :func:`put` validates)."""
    plugin, name = split_key(key)
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        session.add(row)
    else:
        row.value = value
    _stored(session, plugin)[name] = row.stored


def is_secret(field: ma.fields.Field) -> bool:
    return bool(field.metadata.get("secret"))


def secret_by_schema(key: str) -> bool:
    """Whether the schema of setting ``key`` marks it secret (an unknown key or a disabled
    plugin's: no, and its name decides in :mod:`niaga.sealing`)."""
    try:
        return is_secret(field_of(key))
    except NiagaError:
        return False


def parse_cli_value(text: str) -> Any:
    """A value typed on the command line: JSON if it parses, else the plain text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _flatten(messages: Any) -> str:
    if isinstance(messages, dict):
        return "; ".join(_flatten(v) for v in messages.values())
    if isinstance(messages, list):
        return "; ".join(_flatten(v) for v in messages)
    return str(messages)
