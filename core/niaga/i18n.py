"""Translations: English message ids, Indonesian (and other) catalogues as JSON.

Each package (core and every plugin) may ship ``translations/<lang>.json`` mapping the
English text to its translation. Catalogues are merged at start-up; a missing entry falls
back to English. Bahasa Indonesia is the default language of a new shop.

We chose flat JSON catalogues over gettext ``.po``/``.mo`` files: they need no compile
step in the install, and a plugin author can edit them with any editor.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

_catalogues: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
_loaded_packages: set[str] = set()


def load_package_catalogues(package: str) -> None:
    """Merge ``<package>/translations/<lang>.json`` into the catalogues (once per package)."""
    if package in _loaded_packages:
        return
    _loaded_packages.add(package)
    try:
        folder = resources.files(package) / "translations"
    except ModuleNotFoundError:
        return
    for lang in LANGUAGES:
        path = folder / f"{lang}.json"
        if path.is_file():
            _catalogues[lang].update(json.loads(path.read_text(encoding="utf-8")))


def current_language() -> str:
    """The language of this request: chosen explicitly (``g.language``), else for the API
    the ``Accept-Language`` header, else the logged-in user's, else the header, else the
    shop's default."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = getattr(g, "language", None)
    if chosen:
        return chosen
    asked = request.accept_languages.best_match(LANGUAGES)
    if asked and request.path.startswith("/api/"):
        return asked
    user_language = _caller_language()
    return user_language or asked or DEFAULT_LANGUAGE


def _caller_language() -> str | None:
    try:
        from niaga.auth import caller

        who = caller()
    except Exception:  # no database yet (before `niaga init`): fall back to the header
        return None
    language = who.user.language if who is not None else None
    return language if language in LANGUAGES else None


def gettext(message: str, language: str | None = None, **params: Any) -> str:
    """Translate ``message`` to ``language`` and fill in ``params``."""
    lang = language or current_language()
    text = _catalogues.get(lang, {}).get(message, message)
    return text.format(**params) if params else text


_ = gettext


def pick(texts: dict[str, str], language: str | None = None) -> str:
    """Choose from a ``{"id": ..., "en": ...}`` dictionary (labels in plugin metadata)."""
    lang = language or current_language()
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")
