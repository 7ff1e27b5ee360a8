"""How a person reads a reference to a document: "Faktur INV/2026/11/0026", never
"sales.invoice:26".

Plugins point at each other's documents with ``<plugin>.<kind>:<id>`` references (stable
and free of language); the plugin that owns the kind answers the ``niaga_document_label``
hook with the document's own name and number and, where it has one, its admin page.
Screens show :func:`document_link` (the ``|document`` template filter); a reference no
enabled plugin claims is shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request
from markupsafe import Markup, escape

from niaga.db import session
from niaga.runtime import hooks


@dataclass(frozen=True)
class DocumentLabel:
    """A document as a person names it (``Faktur INV/2026/11/0026``) and its page, if any."""

    text: str
    url: str | None = None


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
