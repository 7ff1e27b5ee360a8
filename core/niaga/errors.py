"""Errors a shop owner can act on, and the one JSON envelope they are sent in.

Raise a :class:`NiagaError` subclass from any layer. Its message is an English text with
``{placeholders}``; it is translated when rendered, for the language of the request. The
API answers with::

    {"error": {"code": "insufficient_stock", "message": "...", "fields": {...}}}
"""

from __future__ import annotations

from typing import Any

from niaga.i18n import gettext, translate_field_messages


class NiagaError(Exception):
    """Base class: a stable ``code``, an HTTP ``status`` and a translatable message."""

    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, Any] | None = None,
        code: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message.format(**params) if params else message)
        self.template = message
        self.params = params
        self.fields = fields or {}
        if code:
            self.code = code

    def message(self, language: str | None = None) -> str:
        """The message translated to ``language`` (default: the current request's)."""
        return gettext(self.template, language, **self.params)

    def field_messages(self, language: str | None = None) -> dict[str, Any]:
        """The per-field messages (marshmallow's English included) translated."""
        return translate_field_messages(self.fields, language)

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message(language)}
        if self.fields:
            body["fields"] = self.field_messages(language)
        return {"error": body}


class Invalid(NiagaError):
    """The input is wrong (HTTP 422)."""

    code = "invalid"
    status = 422


class NotFound(NiagaError):
    """The thing asked for does not exist, or its plugin is disabled (HTTP 404)."""

    code = "not_found"
    status = 404


class Conflict(NiagaError):
    """The request clashes with the current state (HTTP 409)."""

    code = "conflict"
    status = 409


class Refused(NiagaError):
    """A business rule refuses the operation (HTTP 422)."""

    code = "refused"
    status = 422


class InsufficientStock(Refused):
    """Not enough stock is available."""

    code = "insufficient_stock"
    status = 409


class Forbidden(NiagaError):
    """The caller lacks the permission (HTTP 403)."""

    code = "forbidden"
    status = 403


class PluginError(NiagaError):
    """A plugin cannot be enabled, disabled or loaded (CLI exit code 1)."""

    code = "plugin_error"
    status = 409
