"""The tax settings (``tax.<name>``)."""

from __future__ import annotations

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import settings

INDIVIDUAL = "individual"
COMPANY = "company"


class TaxSettings(ma.Schema):
    """Who the shop is for the income tax."""

    taxpayer_kind = ma.fields.String(
        load_default=INDIVIDUAL,
        validate=ma.validate.OneOf([INDIVIDUAL, COMPANY]),
        metadata={
            "description": "individual (orang pribadi: the first Rp 500 juta of turnover "
            "a year is free of PPh final) or company (badan: CV, firma, PT, koperasi)"
        },
    )


def taxpayer_kind(session: Session) -> str:
    return str(settings.get(session, "tax.taxpayer_kind") or INDIVIDUAL)
