"""The notifications settings (``notifications.<name>``): the channels' accounts, the
default channel, the due reminder and the principal's webhook. Secrets (the WhatsApp
token, the SMTP password, the webhook secret) are masked everywhere and never copied into
an outbox payload or an error."""

from __future__ import annotations

import marshmallow as ma

CHANNELS = ("whatsapp", "email", "none")

#: what the principal receives, field by field (shown on the settings screen and in the guide)
SELL_OUT_FIELDS = (
    ("distributor", "the distributor code set below"),
    ("event", "sell_out for an invoice, sell_out_return for a return (negative figures)"),
    ("invoice", "invoice number (of the credit note, for a return)"),
    ("corrects", "for a return: the number of the invoice it corrects; empty otherwise"),
    ("date", "invoice date (the shop's business day)"),
    ("retailer", "the retailer's code at the distributor (a number, no name, phone or address)"),
    ("source", "order (an ordered sale) or counter (a sale at the counter)"),
    ("lines[].product_id", "product id"),
    ("lines[].description", "product name"),
    ("lines[].quantity", "quantity (negative for a return)"),
    ("lines[].unit", "unit"),
    ("lines[].net", "line value without PPN, rupiah"),
    ("subtotal", "invoice value without PPN, rupiah"),
)
KPI_FIELDS = (
    ("event", "activity"),
    ("distributor", "the distributor code set below"),
    ("date", "the day the figures are for"),
    ("sell_out", "value of the day's invoices less returns, without PPN, rupiah"),
    ("invoices", "number of the day's invoices"),
    ("buying_retailers", "retailers with an invoice that day"),
    ("active_retailers_30d", "retailers with an invoice in the last 30 days"),
)


def _url(value: str) -> None:
    if value and not value.startswith(("http://", "https://")):
        raise ma.ValidationError("Must start with http:// or https://")


_email = ma.validate.Regexp(r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$", error="Not a valid e-mail address")


class NotificationSettings(ma.Schema):
    """Nothing is sent on a channel until its account is set; nothing is shared with the
    principal until ``principal_enabled`` is switched on."""

    default_channel = ma.fields.String(
        load_default="whatsapp",
        validate=ma.validate.OneOf(CHANNELS),
        metadata={
            "label": "Default channel",
            "description": "whatsapp, email or none: for customers who chose nothing yet",
        },
    )
    due_reminder_days = ma.fields.Integer(
        load_default=3,
        validate=ma.validate.Range(0, 60),
        metadata={
            "label": "Due reminder (days before)",
            "description": "The invoice-due message goes out this many days before the due date",
        },
    )
    whatsapp_base_url = ma.fields.String(
        load_default="https://graph.facebook.com",
        validate=_url,
        metadata={"label": "WhatsApp Cloud API address"},
    )
    whatsapp_api_version = ma.fields.String(
        load_default="v21.0",
        validate=ma.validate.Regexp(r"^v\d+\.\d+$", error="Like v21.0"),
        metadata={"label": "WhatsApp Cloud API version"},
    )
    whatsapp_phone_number_id = ma.fields.String(
        load_default="",
        validate=ma.validate.Regexp(
            r"^$|^\d{5,20}$", error="Digits only, from Meta's WhatsApp Manager"
        ),
        metadata={"label": "WhatsApp phone number ID"},
    )
    whatsapp_token = ma.fields.String(
        load_default="", metadata={"secret": True, "label": "WhatsApp access token"}
    )
    smtp_host = ma.fields.String(
        load_default="",
        validate=ma.validate.Regexp(
            r"^$|^[A-Za-z0-9.-]+$", error="A host name such as smtp.example.com"
        ),
        metadata={"label": "SMTP server"},
    )
    smtp_port = ma.fields.Integer(
        load_default=587, validate=ma.validate.Range(1, 65535), metadata={"label": "SMTP port"}
    )
    smtp_security = ma.fields.String(
        load_default="starttls",
        validate=ma.validate.OneOf(["starttls", "ssl", "none"]),
        metadata={"label": "SMTP security", "description": "starttls, ssl or none"},
    )
    smtp_user = ma.fields.String(load_default="", metadata={"label": "SMTP user"})
    smtp_password = ma.fields.String(
        load_default="", metadata={"secret": True, "label": "SMTP password"}
    )
    sender = ma.fields.String(
        load_default="", validate=_email, metadata={"label": "Sender e-mail address"}
    )
    principal_enabled = ma.fields.Boolean(
        load_default=False,
        metadata={
            "label": "Share with the principal",
            "description": "Off until the owner switches it on: sell-out and activity KPIs",
        },
    )
    principal_url = ma.fields.String(
        load_default="", validate=_url, metadata={"label": "Principal's webhook address"}
    )
    principal_secret = ma.fields.String(
        load_default="",
        metadata={"secret": True, "label": "Principal's signing secret"},
    )
    principal_distributor_code = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(0, 40),
        metadata={"label": "Distributor code at the principal"},
    )
