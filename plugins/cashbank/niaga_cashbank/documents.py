"""Cash/bank's own references as a person reads them: ``cashbank.voucher:4`` is "Voucher
BKK/2026/11/0004", linking to the voucher list."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from niaga.documents import DocumentLabel, split_reference
from niaga.i18n import gettext
from niaga_cashbank.models import Voucher


def document_label(session: Session, reference: str) -> Any:
    """The label of a ``cashbank.voucher:<id>`` reference; ``None`` for any other."""
    from flask import url_for

    parts = split_reference(reference)
    if parts is None or parts[:2] != ("cashbank", "voucher") or not parts[2].isdigit():
        return None
    voucher = session.get(Voucher, int(parts[2])) if len(parts[2]) < 19 else None
    if voucher is None:
        return None
    return DocumentLabel(
        gettext("Voucher {number}", number=voucher.number), url_for("cashbank_admin.index")
    )
