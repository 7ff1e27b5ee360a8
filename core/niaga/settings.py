"""Run-time settings, shared by every process through the database.

Keys are ``<plugin>.<field>`` (``core.<field>`` for core). Each plugin describes its
settings with a marshmallow schema (hook ``niaga_settings_schema``); values are validated
against it on write, and its ``load_default`` is the value until someone sets one.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga.errors import Invalid, NotFound
from niaga.models import Setting

MASK = "********"


def schemas() -> dict[str, type[ma.Schema]]:
    """Settings schema per enabled plugin (and core)."""
    from niaga.runtime import collect

    return dict(collect("niaga_settings_schema"))


def split_key(key: str) -> tuple[str, str]:
    plugin, _, field = key.partition(".")
    if not plugin or not field:
        raise Invalid("A setting key looks like plugin.name, for example core.shop_name")
    return plugin, field


def field_of(key: str) -> ma.fields.Field:
    plugin, name = split_key(key)
    schema = schemas().get(plugin)
    if schema is None:
        raise NotFound("No settings for {plugin} (unknown or disabled plugin)", plugin=plugin)
    field = schema().fields.get(name)
    if field is None:
        known = ", ".join(sorted(schema().fields))
        raise NotFound("Unknown setting {key}; known: {known}", key=key, known=known)
    return field


def get(session: Session, key: str) -> Any:
    """The value of ``key``: stored, else the schema default, else ``None``."""
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    field = field_of(key)
    default = field.load_default
    return None if default is ma.missing else (default() if callable(default) else default)


def get_stored(session: Session, key: str, default: Any = None) -> Any:
    """The stored value of ``key`` without consulting schemas (for core internals)."""
    row = session.get(Setting, key)
    return default if row is None else row.value


def put(session: Session, key: str, value: Any) -> Any:
    """Validate ``value`` against the schema and store it; returns the stored value."""
    plugin, name = split_key(key)
    schema = schemas().get(plugin)
    if schema is None:
        raise NotFound("No settings for {plugin} (unknown or disabled plugin)", plugin=plugin)
    field_of(key)
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
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def is_secret(field: ma.fields.Field) -> bool:
    return bool(field.metadata.get("secret"))


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
