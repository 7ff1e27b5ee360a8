"""Files people upload (proofs of transfer, pictures): what they are is read from their
first bytes, never from the type or name the sender declared, and they are sent back as
downloads under a name Niaga makes.

``accept(content, filename, max_bytes=...)`` checks an upload and answers an
:class:`Upload` (the type found in the content, its extension, the sender's name cleaned
for display) or raises :class:`~niaga.errors.Invalid` with a message in the reader's
language. Only JPEG, PNG, WebP and PDF are known: HTML, SVG or a script sent as
``image/png`` is refused, as is an empty or too large file.

``attachment(download_name, original)`` is the ``Content-Disposition`` header for
sending a stored file back: ``attachment`` (never shown inline, so a file cannot run as a
page of the shop), an ASCII name Niaga generated, and the sender's name, in any script,
percent-encoded as ``filename*`` (RFC 6266), so no name can break the header.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from niaga.errors import Invalid

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"

#: Types and the extension a download of each gets.
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
IMAGES = (JPEG, PNG, WEBP)
IMAGES_AND_PDF = (*IMAGES, PDF)

_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", PDF: "PDF"}


@dataclass(frozen=True)
class Upload:
    content: bytes
    content_type: str
    extension: str
    #: the sender's file name, without folders or control characters, for display only
    filename: str


def sniff(content: bytes) -> str | None:
    """The type ``content`` really is (by its magic bytes), or ``None`` when not known."""
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content.startswith(b"%PDF-"):
        return PDF
    return None


def accept(
    content: bytes,
    filename: str,
    *,
    max_bytes: int,
    allowed: tuple[str, ...] = IMAGES_AND_PDF,
    field: str = "file",
) -> Upload:
    """``content`` checked: not empty, at most ``max_bytes``, of an ``allowed`` type."""
    if not content:
        raise Invalid("The file is empty", fields={field: ["Empty"]})
    if len(content) > max_bytes:
        raise Invalid(
            "The file is larger than {size}", fields={field: ["Too large"]}, size=size(max_bytes)
        )
    found = sniff(content)
    if found not in allowed:
        raise Invalid(
            "Only {kinds} files are accepted; this file is none of them",
            fields={field: ["Unsupported type"]},
            kinds=", ".join(_NAMES[kind] for kind in allowed),
        )
    return Upload(content, found, EXTENSIONS[found], clean_name(filename))


def clean_name(filename: str, limit: int = 200) -> str:
    """The last part of ``filename`` (no folders), without control characters, at most
    ``limit`` characters; may be empty."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[-limit:]


def attachment(download_name: str, original: str = "") -> str:
    """A ``Content-Disposition`` value: an attachment named ``download_name`` (ASCII, made
    by Niaga) and, when given, the sender's ``original`` name as ``filename*``."""
    safe = "".join(c for c in download_name if c.isascii() and (c.isalnum() or c in "._-"))
    header = f'attachment; filename="{safe or "download"}"'
    if original := clean_name(original):
        header += f"; filename*=UTF-8''{quote(original, safe='')}"
    return header


def size(count: int) -> str:
    """``count`` bytes for people: ``5 MB``, ``300 KB``."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    return f"{max(1, count // 1024)} KB"
