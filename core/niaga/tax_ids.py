"""Indonesian tax identities, checked the same way everywhere: NPWP, NIK and NITKU.

* **NPWP**: 16 digits since 2024 (a person's NIK, or ``0`` and the old 15-digit number of
  an entity); the old 15-digit form (``01.234.567.8-901.000``) is still accepted and read
  as its 16-digit equivalent by :func:`npwp16`.
* **NIK** (Nomor Induk Kependudukan, on the KTP): 16 digits — province (11 to 94), regency,
  district, date of birth as DDMMYY (a woman's day plus 40) and a serial number that is
  never 0000.
* **NITKU** (Nomor Identitas Tempat Kegiatan Usaha, Coretax): the 16-digit NPWP followed by
  a 6-digit place-of-business number (``000000`` for the head office).

Every ``parse_*`` takes what a person typed (dots, dashes and spaces allowed) and returns
the digits, ``None`` when empty, or raises :class:`niaga.errors.Invalid` with a message the
shop owner can act on, naming ``field``.
"""

from __future__ import annotations

import re

from niaga.errors import Invalid

_TYPED = re.compile(r"^[0-9 .\-]+$")
HEAD_OFFICE = "000000"


def _digits(text: str | None, field: str, what: str, example: str) -> str | None:
    if text is None or not text.strip():
        return None
    if not _TYPED.match(text.strip()):
        raise Invalid(
            "{what} {value} may hold only digits, dots and dashes, e.g. {example}",
            what=what,
            value=text,
            example=example,
            fields={field: ["digits only"]},
        )
    return re.sub(r"\D", "", text)


def parse_npwp(text: str | None, field: str = "npwp") -> str | None:
    """The digits of an NPWP (15 or 16 of them), or ``None`` when empty."""
    digits = _digits(text, field, "NPWP", "0012.3456.7890.1000")
    if digits is None:
        return None
    if len(digits) not in (15, 16):
        raise Invalid(
            "NPWP {value} has {count} digits; it has 16 (or 15 in the old form)",
            value=text,
            count=len(digits),
            fields={field: ["16 digits"]},
        )
    if set(digits) == {"0"}:
        raise Invalid(
            "NPWP {value} is all zeros; leave it empty when there is none",
            value=text,
            fields={field: ["not all zeros"]},
        )
    return digits


def npwp16(digits: str) -> str:
    """An NPWP in the 16-digit form Coretax uses (``0`` before an old 15-digit number)."""
    return digits if len(digits) == 16 else "0" + digits


def parse_nik(text: str | None, field: str = "nik") -> str | None:
    """The 16 digits of a NIK, or ``None`` when empty."""
    digits = _digits(text, field, "NIK", "7271011203900001")
    if digits is None:
        return None
    if len(digits) != 16:
        raise Invalid(
            "NIK {value} has {count} digits; a NIK has 16",
            value=text,
            count=len(digits),
            fields={field: ["16 digits"]},
        )
    province, day, month = int(digits[:2]), int(digits[6:8]), int(digits[8:10])
    born_ok = (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12
    if not 11 <= province <= 94 or not born_ok or digits[12:] == "0000":
        raise Invalid(
            "NIK {value} is not a NIK: check it against the KTP",
            value=text,
            fields={field: ["not a NIK"]},
        )
    return digits


def parse_nitku(text: str | None, field: str = "nitku") -> str | None:
    """The 22 digits of a NITKU, or ``None`` when empty."""
    digits = _digits(text, field, "NITKU", "0012345678901000000000")
    if digits is None:
        return None
    if len(digits) != 22:
        raise Invalid(
            "NITKU {value} has {count} digits; it has 22 (the NPWP and 6 more)",
            value=text,
            count=len(digits),
            fields={field: ["22 digits"]},
        )
    parse_npwp(digits[:16], field)
    return digits


def nitku_of(npwp: str, place: str = HEAD_OFFICE) -> str:
    """The NITKU of a place of business of ``npwp`` (the head office by default)."""
    return npwp16(npwp) + place


def format_npwp(digits: str | None) -> str:
    """An NPWP as people write it: ``01.234.567.8-901.000`` for the old 15 digits,
    ``0012 3456 7890 1000`` for 16."""
    if not digits:
        return ""
    if len(digits) == 15:
        d = digits
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
