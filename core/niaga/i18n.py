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
    """The language of the current request or user, else the default."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = getattr(g, "language", None)
    if chosen:
        return chosen
    best = request.accept_languages.best_match(LANGUAGES)
    return best or DEFAULT_LANGUAGE


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
