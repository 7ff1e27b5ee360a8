"""Indonesian phone numbers, written one way everywhere: ``08...`` digits.

People type the same number as ``0812-3450-0001``, ``+62 812 3450 0001``, ``62812.3450.0001``
or ``(0451) 421 234``. :func:`normal_phone` turns each of them into the digits a person
dials inside Indonesia (``+62``/``62`` become ``0``), so that a login, a customer or an
invitation compares phone numbers by what they are, not by how they were typed.
"""

from __future__ import annotations

import re

from niaga.errors import Invalid

_SEPARATORS = re.compile(r"[\s\-.()/]")


def normal_phone(text: str | None, field: str = "phone") -> str | None:
    """An Indonesian phone number as ``08...`` digits (``+62``/``62`` become ``0``), or
    ``None`` when empty; anything else than 9 to 14 digits is refused, naming ``field``."""
    if text is None or not text.strip():
        return None
    compact = _SEPARATORS.sub("", text.strip())
    if compact.startswith("+62"):
        compact = "0" + compact[3:]
    elif compact.startswith("62") and len(compact) >= 10:
        compact = "0" + compact[2:]
    if not compact.isdigit() or not compact.startswith("0") or not 9 <= len(compact) <= 14:
        raise Invalid(
            "{value} is not a phone number; write it like 0813 5551 2345",
            value=text.strip(),
            fields={field: ["not a phone number"]},
        )
    return compact


def phone_or_none(text: str | None) -> str | None:
    """:func:`normal_phone`, or ``None`` for what is not a phone number (an e-mail address,
    free text such as ``-``): for comparing, where a refusal is not wanted."""
    try:
        return normal_phone(text)
    except Invalid:
        return None


def login_key(login: str) -> str:
    """How a typed login name is compared and counted: a phone number in its normal form,
    anything else (an e-mail address) stripped and in lower case."""
    login = login.strip()
    if "@" in login:
        return login.lower()
    return phone_or_none(login) or login.lower()
