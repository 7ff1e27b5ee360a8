"""Loyalty's own references as a person reads them: a redemption is "Penukaran poin
<code>" with a link to the member, points given or taken by hand "Penyesuaian poin", an
expired lot "Poin kedaluwarsa"."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from niaga.documents import DocumentKind, label_owned
from niaga_loyalty.models import Redemption

KINDS = {
    "redemption": DocumentKind(
        Redemption, "Points redemption {code}", "loyalty_admin.member", {"member_id": "member_id"}
    )
}
#: references without a page of their own, by kind (English, translated when shown)
WORDS = {"adjust": "Points adjustment", "lot": "Points expired", "merge": "Customers merged"}


def document_label(session: Session, reference: str) -> Any:
    """The label of a ``loyalty.<kind>:<key>`` reference; ``None`` for any other."""
    return label_owned(session, reference, "loyalty", KINDS, WORDS)
