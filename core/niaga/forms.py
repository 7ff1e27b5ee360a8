"""HTML forms generated from a plugin's marshmallow settings schema.

Each field becomes an input of a fitting kind (checkbox, choice, number, text, secret).
Secrets (``metadata={"secret": True}``) are never sent back to the browser: their input
is empty, and left empty on save it keeps the stored value.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import l10n, settings
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext, pick


def _kind(field: ma.fields.Field) -> str:
    if settings.is_secret(field):
        return "secret"
    if isinstance(field, ma.fields.Boolean):
        return "checkbox"
    if _choices(field):
        return "select"
    if isinstance(field, ma.fields.Integer | ma.fields.Decimal | ma.fields.Float):
        return "number"
    if isinstance(field, ma.fields.List):
        return "list"
    return "text"


def _choices(field: ma.fields.Field) -> list[str]:
    validators = field.validators if isinstance(field.validators, list) else []
    for validator in validators:
        if isinstance(validator, ma.validate.OneOf):
            return [str(c) for c in validator.choices]
    return []


def _label(name: str, field: ma.fields.Field) -> str:
    label = field.metadata.get("label")
    if isinstance(label, dict):
        return pick(label)
    return gettext(label or name.replace("_", " ").capitalize())


def form_fields(db: Session, plugin: str, schema: type[ma.Schema]) -> list[dict[str, Any]]:
    """What the template needs to draw one input per setting, with its current value."""
    rows = []
    for name, field in schema().fields.items():
        kind = _kind(field)
        value = settings.get(db, f"{plugin}.{name}")
        rows.append(
            {
                "name": name,
                "label": _label(name, field),
                "kind": kind,
                "choices": _choices(field),
                "description": gettext(field.metadata.get("description", "")),
                "value": "" if kind == "secret" else _shown(value, field),
                "checked": bool(value) if kind == "checkbox" else False,
                "has_secret": kind == "secret" and bool(value),
            }
        )
    return rows


def _places(field: ma.fields.Field) -> int | None:
    """How many decimals a number field keeps (``None``: as many as typed)."""
    if isinstance(field, ma.fields.Integer):
        return 0
    quantum = getattr(field, "places", None)
    return -int(quantum.as_tuple().exponent) if quantum is not None else None


def _shown(value: Any, field: ma.fields.Field) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if _kind(field) == "number":
        return l10n.number_for_input(value, _places(field) or 4)
    return str(value)


def _typed_number(text: str, field: ma.fields.Field) -> str | None:
    """A number typed in the shop's way, handed to the schema in machine form."""
    value = l10n.parse_number(text, places=_places(field))
    return None if value is None else str(value)


def save(db: Session, plugin: str, schema: type[ma.Schema], form: Any) -> None:
    """Validate every submitted setting together, then store them (the caller commits).
    Raises :class:`Invalid` with per-field messages and stores nothing if one is wrong."""
    values: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, field in schema().fields.items():
        kind = _kind(field)
        if kind == "number" and name in form:
            try:
                values[name] = _typed_number(form[name], field)
            except NiagaError as exc:
                problems[name] = [exc.message()]
        elif kind == "checkbox":
            values[name] = name in form
        elif kind == "secret":
            if form.get(name):
                values[name] = form[name]
        elif kind == "list":
            values[name] = [v.strip() for v in form.get(name, "").split(",") if v.strip()]
        elif name in form:
            values[name] = form[name]
    if problems:
        raise Invalid("Some fields are not valid", fields=problems)
    try:
        schema(only=tuple(values)).load(values)
    except ma.ValidationError as exc:
        raise Invalid("Some fields are not valid", fields=exc.messages_dict) from None
    for name, value in values.items():
        settings.put(db, f"{plugin}.{name}", value)
