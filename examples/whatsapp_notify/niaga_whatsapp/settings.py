"""Settings of the WhatsApp plugin (Modules page, or ``niaga config set whatsapp.KEY``)."""

from __future__ import annotations

import marshmallow as ma

DEFAULT_TEMPLATE = "Pesanan {number} dari {customer} dikonfirmasi. Total {total}."
PLACEHOLDERS = {"number": "SO-1", "customer": "Toko", "total": "Rp 1"}


def check_template(text: str) -> None:
    """A template may use only the known placeholders (else sending would fail later)."""
    try:
        text.format(**PLACEHOLDERS)
    except (KeyError, IndexError, ValueError) as exc:
        raise ma.ValidationError(
            "Use only {number}, {customer} and {total} as placeholders"
        ) from exc


class Settings(ma.Schema):
    """Nothing is sent until ``endpoint`` and ``recipient`` are set."""

    endpoint = ma.fields.String(
        load_default="",
        validate=ma.validate.Regexp(r"^$|^https?://", error="Must start with http(s)://"),
        metadata={
            "description": "Messages URL of a WhatsApp Business API "
            "(e.g. https://graph.facebook.com/v21.0/PHONE_NUMBER_ID/messages)"
        },
    )
    token = ma.fields.String(load_default="", metadata={"secret": True})
    recipient = ma.fields.String(
        load_default="",
        validate=ma.validate.Regexp(r"^$|^\+?[0-9]{8,15}$", error="A phone number like 62812..."),
        metadata={"description": "WhatsApp number that receives the notifications"},
    )
    template = ma.fields.String(
        load_default=DEFAULT_TEMPLATE,
        validate=[ma.validate.Length(1, 1000), check_template],
        metadata={"description": "Message text; {number}, {customer} and {total} are filled in"},
    )
