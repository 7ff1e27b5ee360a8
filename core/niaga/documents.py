"""How a person reads a reference to a document: "Faktur INV/2026/11/0026", never
"sales.invoice:26".

Plugins point at each other's documents with ``<plugin>.<kind>:<id>`` references (stable
and free of language); the plugin that owns the kind answers the ``niaga_document_label``
hook with the document's own name and number and, where it has one, its admin page.
Screens show :func:`document_link` (the ``|document`` template filter); a reference no
enabled plugin claims is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

from flask import has_request_context, request, url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from niaga.db import session
from niaga.i18n import gettext
from niaga.runtime import hooks


@dataclass(frozen=True)
class DocumentLabel:
    """A document as a person names it (``Faktur INV/2026/11/0026``) and its page, if any."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document a plugin owns, for :func:`label_owned`: the row is ``model`` with
    the reference's id; ``name`` (English, translated when shown) is filled from the row's
    attributes (``"Purchase order {number}"``); ``page`` is its admin endpoint, called with
    ``arguments`` (endpoint argument: row attribute)."""

    model: Any
    name: str
    page: str | None = None
    arguments: Mapping[str, str] = field(default_factory=dict)

    def label(self, row: Any) -> DocumentLabel:
        wanted = {name for _, name, _, _ in Formatter().parse(self.name) if name}
        text = gettext(self.name, **{name: getattr(row, name) for name in wanted})
        url = None
        if self.page:
            url = url_for(
                self.page, **{arg: getattr(row, attr) for arg, attr in self.arguments.items()}
            )
        return DocumentLabel(text, url)


def label_owned(
    db: Session,
    reference: str,
    plugin: str,
    kinds: Mapping[str, DocumentKind],
    words: Mapping[str, str] | None = None,
) -> DocumentLabel | None:
    """How ``plugin`` answers ``niaga_document_label``: a reference to one of its ``kinds``
    names the row it points at; one of its ``words`` (kinds without a page, such as stock
    changed by hand) reads as the word; anything else, or a row that is gone, is ``None``."""
    parts = split_reference(reference)
    if parts is None or parts[0] != plugin:
        return None
    _, kind, key = parts
    if kind in kinds and key.isdigit() and len(key) < 19:
        row = db.get(kinds[kind].model, int(key))
        return None if row is None else kinds[kind].label(row)
    if words and kind in words:
        return DocumentLabel(gettext(words[kind]))
    return None


def split_reference(reference: str) -> tuple[str, str, str] | None:
    """``("sales", "invoice", "26")`` for ``sales.invoice:26``; ``None`` for other text."""
    kind_part, colon, key = reference.partition(":")
    plugin, dot, kind = kind_part.partition(".")
    if not (colon and dot and plugin and kind and key):
        return None
    return plugin, kind, key


def document_label(reference: str | None) -> DocumentLabel:
    """The label of ``reference`` from the plugin that owns it; the reference itself when
    no enabled plugin knows it."""
    text = (reference or "").strip()
    if split_reference(text) is None:
        return DocumentLabel(text)
    answer = hooks().niaga_document_label(session=session(), reference=text)
    return answer if isinstance(answer, DocumentLabel) else DocumentLabel(text)


def document_link(reference: str | None, link: bool = True) -> Markup:
    """The label as HTML, a link to the document's admin page when it has one, ``link`` and
    the page showing it is an admin page (a retailer in the portal reads the name only)."""
    label = document_label(reference)
    if link and label.url and has_request_context() and request.path.startswith("/admin"):
        return Markup('<a href="{url}">{text}</a>').format(url=label.url, text=label.text)
    return escape(label.text)
