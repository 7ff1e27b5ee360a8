"""Loyalty's own references as a person reads them: a redemption is "Penukaran poin
<code>" with a link to the member, points given or taken by hand "Penyesuaian poin", an
expired lot "Poin kedaluwarsa"."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from niaga.documents import DocumentLabel, split_reference
from niaga.i18n import gettext
from niaga_loyalty.models import Redemption

#: references without a page of their own, by kind (English, translated when shown)
WORDS = {"adjust": "Points adjustment", "lot": "Points expired"}


def document_label(session: Session, reference: str) -> Any:
    """The label of a ``loyalty.<kind>:<key>`` reference; ``None`` for any other."""
    from flask import url_for

    parts = split_reference(reference)
    if parts is None or parts[0] != "loyalty":
        return None
    _, kind, key = parts
    if kind == "redemption" and key.isdigit() and len(key) < 19:
        redemption = session.get(Redemption, int(key))
        if redemption is None:
            return None
        url = url_for("loyalty_admin.member", member_id=redemption.member_id)
        return DocumentLabel(gettext("Points redemption {code}", code=redemption.code), url)
    if kind in WORDS:
        return DocumentLabel(gettext(WORDS[kind]))
    return None
