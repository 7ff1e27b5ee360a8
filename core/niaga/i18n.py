"""Translations: English message ids, gettext ``.po`` catalogues per package, read without
compiling.

Core and every plugin ship ``<package>/translations/<lang>/LC_MESSAGES/<package>.po`` (the
gettext domain is the package name). English is the source language, so there is no ``en``
catalogue. The ``.po`` files are read at start-up with Babel; nothing is compiled to ``.mo``,
so an install needs no build step and a translator uses the ordinary gettext tools.

All loaded domains answer one lookup keyed by ``(context, msgid)``: the same English word
with two meanings ("Change" on the Users page, "Change" handed back at the till) is told
apart with :func:`pgettext`. A second domain that translates a key differently is warned
about and ignored (a test forbids it). A missing entry falls back to English. Bahasa
Indonesia is the default language of a new shop.

:func:`extract` lists the texts a package shows (Python and Jinja templates), and
``niaga i18n update PACKAGE_DIR`` brings its catalogue up to date from them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from string import Formatter
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
SOURCE_LANGUAGE = "en"

Key = tuple[str | None, str]
_USER_LANGUAGE = "niaga.user_language"

_catalogues: dict[str, dict[Key, str]] = {lang: {} for lang in LANGUAGES}
_origins: dict[str, dict[Key, str]] = {lang: {} for lang in LANGUAGES}
_loaded_packages: set[str] = set()
_patterns: dict[str, list[tuple[re.Pattern[str], str]]] = {}


# --- catalogues -----------------------------------------------------------------------------


def catalogue_path(package_dir: Path, language: str = DEFAULT_LANGUAGE) -> Path:
    """Where the package in ``package_dir`` keeps its ``language`` catalogue."""
    domain = package_dir.name
    return package_dir / "translations" / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(path: Path | Any, language: str, domain: str) -> Catalog:
    """Read one ``.po`` file (a path or an importlib resource) into a Babel catalogue."""
    with path.open("rb") as stream:
        return read_po(stream, locale=language, domain=domain)


def translations(catalogue: Catalog) -> dict[Key, str]:
    """The usable entries of ``catalogue``: translated, not fuzzy, not plural."""
    found: dict[Key, str] = {}
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or message.fuzzy:
            continue
        if isinstance(message.string, str) and message.string and isinstance(message.id, str):
            found[(message.context, message.id)] = message.string
    return found


def load_package_catalogues(package: str) -> None:
    """Add ``<package>``'s catalogues to the lookup (once per package). The first domain
    to translate a ``(context, msgid)`` keeps it; core is loaded first."""
    if package in _loaded_packages:
        return
    _loaded_packages.add(package)
    try:
        folder = resources.files(package) / "translations"
    except ModuleNotFoundError:
        return
    for lang in LANGUAGES:
        path = folder / lang / "LC_MESSAGES" / f"{package}.po"
        if not path.is_file():
            continue
        catalogue, origins = _catalogues[lang], _origins[lang]
        for key, text in translations(read_catalogue(path, lang, package)).items():
            if key in catalogue and catalogue[key] != text:
                log.warning(
                    "translation of %r (context %r) in %s differs from %s's; keeping %s's",
                    key[1], key[0], package, origins[key], origins[key],
                )  # fmt: skip
                continue
            catalogue.setdefault(key, text)
            origins.setdefault(key, package)
        _patterns.pop(lang, None)


# --- lookup -------------------------------------------------------------------------------


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


def select_user_language(app: Flask, selector: Callable[[], str | None]) -> None:
    """Tell ``app`` how to find the logged-in user's language (auth knows the user; this
    module sits below it and asks through ``selector``, as Flask-Babel's locale selector)."""
    app.extensions[_USER_LANGUAGE] = selector


def _caller_language() -> str | None:
    from flask import current_app

    selector = current_app.extensions.get(_USER_LANGUAGE)
    try:
        language = selector() if selector is not None else None
    except Exception:  # no database yet (before `niaga init`): fall back to the header
        return None
    return language if language in LANGUAGES else None


def _lookup(context: str | None, message: str, language: str | None) -> str:
    lang = language or current_language()
    return _catalogues.get(lang, {}).get((context, message), message)


def gettext(message: str, language: str | None = None, **params: Any) -> str:
    """Translate ``message`` to ``language`` and fill in ``params``."""
    text = _lookup(None, message, language)
    return text.format(**params) if params else text


_ = gettext


def pgettext(context: str, message: str, language: str | None = None, **params: Any) -> str:
    """Translate ``message`` in ``context`` (an English word with more than one meaning:
    ``pgettext("money handed back", "Change")``) and fill in ``params``."""
    text = _lookup(context, message, language)
    return text.format(**params) if params else text


def pick(texts: dict[str, str], language: str | None = None) -> str:
    """Choose from a ``{"id": ..., "en": ...}`` dictionary (labels in plugin metadata)."""
    lang = language or current_language()
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


# --- field errors -------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)(![rsa])?(:[^{}]*)?\}(?!\})")


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a ``str.format`` template fills in (``{{escaped}}`` is not one)."""
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return set()


def _pattern(template: str) -> re.Pattern[str] | None:
    """A regex matching ``template`` with each ``{name}`` filled in, or None when the
    template has no placeholder or too little fixed text to be recognised safely."""
    try:
        parts = list(Formatter().parse(template))
    except ValueError:
        return None
    names = [name for _, name, _, _ in parts if name is not None]
    if not names or not all(name.isidentifier() for name in names):
        return None
    if sum(len(text.strip(" .:,'\"")) for text, _, _, _ in parts) < 6:
        return None
    regex, seen = "", set()
    for text, name, _, _ in parts:
        regex += re.escape(text)
        if name is not None:
            regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
    return re.compile(regex + r"\Z", re.DOTALL)


def _field_patterns(lang: str) -> list[tuple[re.Pattern[str], str]]:
    if lang not in _patterns:
        found = []
        for (context, msgid), text in _catalogues.get(lang, {}).items():
            pattern = _pattern(msgid) if context is None and "{" in msgid else None
            if pattern is not None:
                fixed = len(_PLACEHOLDER.sub("", msgid))
                found.append((fixed, pattern, _PLACEHOLDER.sub(r"{\1}", text)))
        # the most fixed text first, so a specific template wins over a general one
        found.sort(key=lambda item: -item[0])
        _patterns[lang] = [(pattern, text) for _, pattern, text in found]
    return _patterns[lang]


def translate_message(message: str, language: str | None = None) -> str:
    """Translate one message that may already have its placeholders filled in
    (``Must be one of: a, b.`` becomes ``Harus salah satu dari: a, b.``)."""
    lang = language or current_language()
    catalogue = _catalogues.get(lang, {})
    if (None, message) in catalogue:
        return catalogue[(None, message)]
    for pattern, text in _field_patterns(lang):
        match = pattern.match(message)
        if match:
            try:
                return text.format(**match.groupdict())
            except (KeyError, IndexError, ValueError):  # a translation with a stray brace
                return message
    return message


def translate_field_messages(messages: Any, language: str | None = None) -> Any:
    """Translate every message of a nested field-error structure (marshmallow's
    ``{"field": ["message", ...], "lines": {"0": {...}}}``); keys stay as they are."""
    lang = language or current_language()
    if isinstance(messages, dict):
        return {key: translate_field_messages(value, lang) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_field_messages(value, lang) for value in messages]
    return translate_message(messages, lang) if isinstance(messages, str) else messages


# --- extraction ---------------------------------------------------------------------------

#: Error classes whose first argument is an English message template.
ERROR_CLASSES = (
    "NiagaError", "Invalid", "NotFound", "Conflict", "Refused", "InsufficientStock",
    "Forbidden", "PluginError", "Unauthorized", "TooManyAttempts",
)  # fmt: skip

METHODS = [
    ("**/scaffold_template/**", "ignore"),
    ("**/migrations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
]


def _error_classes(package_dir: Path) -> set[str]:
    """Core's error classes plus the package's own subclasses of them (to a fixpoint)."""
    known = set(ERROR_CLASSES)
    sources = [path.read_text(encoding="utf-8") for path in package_dir.rglob("*.py")]
    while True:
        bases = "|".join(sorted(known))
        pattern = re.compile(rf"^class (\w+)\((?:\w+\.)?(?:{bases})\)", re.MULTILINE)
        found = {name for text in sources for name in pattern.findall(text)} - known
        if not found:
            return known
        known |= found


def keywords(package_dir: Path) -> dict[str, Any]:
    """Babel keyword specs: the gettext functions, ``flash``, every error class and the
    name of a ``DocumentKind``."""
    specs: dict[str, Any] = {"_": None, "gettext": None, "pgettext": ((1, "c"), 2)}
    specs["flash"] = (1,)
    specs["DocumentKind"] = (2,)  # the name of a kind of document (niaga.documents)
    specs["_fail"] = (2,)  # a form field's problem (niaga.inputs.FormReader)
    specs.update({name: (1,) for name in _error_classes(package_dir)})
    return specs


def extract(package_dir: Path | str) -> Catalog:
    """The texts shown by the package in ``package_dir`` (its ``.py`` files and
    ``templates/**.html``), as a catalogue template with empty translations."""
    from babel.messages.extract import extract_from_dir

    package_dir = Path(package_dir)
    template = Catalog(domain=package_dir.name, project=package_dir.name, fuzzy=False)
    found = extract_from_dir(
        str(package_dir),
        method_map=METHODS,
        options_map={"**/templates/**.html": {"silent": "false"}},
        keywords=keywords(package_dir),
    )
    for filename, lineno, message, comments, context in found:
        if not message or not isinstance(message, str) or not message.strip():
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def update_catalogue(package_dir: Path | str, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Bring ``package_dir``'s ``language`` catalogue up to date with its sources: new
    texts are added untranslated, existing translations are kept, including those of texts
    no longer found (they may be shown through a variable); returns what changed."""
    package_dir = Path(package_dir)
    path = catalogue_path(package_dir, language)
    template = extract(package_dir)
    if path.is_file():
        catalogue = read_catalogue(path, language, package_dir.name)
    else:
        catalogue = new_catalogue(package_dir.name, language)
    before = {(m.context, m.id) for m in catalogue if m.id}
    catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
    kept = []
    for message in catalogue.obsolete.values():
        catalogue.add(message.id, message.string, context=message.context, flags=message.flags)
        kept.append(message.id)
    catalogue.obsolete.clear()
    write_catalogue(catalogue, path)
    after = [m for m in catalogue if m.id]
    return {
        "path": str(path),
        "added": sorted(m.id for m in after if (m.context, m.id) not in before),
        "untranslated": sorted(m.id for m in after if not m.string),
        "not_in_sources": sorted(kept),
    }


def new_catalogue(domain: str, language: str = DEFAULT_LANGUAGE) -> Catalog:
    """An empty catalogue for ``domain`` with a header that says how it is maintained."""
    return Catalog(
        locale=language,
        domain=domain,
        project=domain,
        header_comment=(
            f"# {domain}: translations from English (the msgid).\n"
            f"# Update with `niaga i18n update {domain}`; read as is at start-up (no .mo)."
        ),
        msgid_bugs_address="",
        last_translator="Niaga contributors",
        language_team=language,
        fuzzy=False,
    )


def write_catalogue(catalogue: Catalog, path: Path) -> None:
    """Write ``catalogue`` sorted and without source locations, so diffs stay small."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        write_po(stream, catalogue, no_location=True, sort_output=True, width=96)


def untranslated(template: Catalog, known: Iterable[dict[Key, str]]) -> list[Key]:
    """The ``(context, msgid)`` of ``template`` that none of ``known`` translates."""
    tables = list(known)
    keys = {(m.context, m.id) for m in template if isinstance(m.id, str) and m.id}
    missing = [key for key in keys if not any(table.get(key) for table in tables)]
    return sorted(missing, key=lambda key: (key[0] or "", key[1]))
