"""Static QRIS: the shop's printed QR code shown on screen; the customer scans it, types the
amount and pays; staff confirm the money arrived.

The payload is EMVCo merchant-presented QR: ``tag(2) length(2) value`` fields, ending with
tag 63, a CRC-16/CCITT-FALSE over everything before it (including ``6304``). It is either
pasted from the acquirer's QR (checked) or built from the merchant's NMID.
"""

from __future__ import annotations

from typing import ClassVar

import marshmallow as ma

from niaga.errors import Invalid
from niaga_payments.adapters import GatewayContext, PaymentRef
from niaga_payments.gateways.manual import ManualAdapter

QRIS_GUID = "ID.CO.QRIS.WWW"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    """One EMVCo field."""
    if len(value) > 99:
        raise Invalid("QRIS field {tag} is longer than 99 characters", tag=tag)
    return f"{tag}{len(value):02d}{value}"


def parse(payload: str) -> list[tuple[str, str]]:
    """Split a payload into ``(tag, value)`` pairs."""
    fields, position = [], 0
    while position < len(payload):
        tag, size = payload[position : position + 2], payload[position + 2 : position + 4]
        if not size.isdigit():
            raise Invalid("This is not a QRIS payload (bad field at {pos})", pos=position)
        value = payload[position + 4 : position + 4 + int(size)]
        if len(value) != int(size):
            raise Invalid("This QRIS payload is cut short")
        fields.append((tag, value))
        position += 4 + int(size)
    return fields


def with_crc(body_without_crc: str) -> str:
    """Append tag 63 with the checksum."""
    unsigned = body_without_crc + "6304"
    return unsigned + f"{crc16_ccitt_false(unsigned.encode()):04X}"


def encode(fields: list[tuple[str, str]]) -> str:
    """Build a payload from fields (tag 63 is computed, whatever was given for it)."""
    return with_crc("".join(tlv(tag, value) for tag, value in fields if tag != "63"))


def is_valid(payload: str) -> bool:
    """Whether ``payload`` parses and its checksum is right."""
    try:
        fields = parse(payload)
    except Invalid:
        return False
    return bool(fields) and fields[-1][0] == "63" and with_crc(payload[:-8]) == payload


def static_payload(
    nmid: str,
    merchant_name: str,
    city: str,
    postal_code: str = "",
    mcc: str = "5411",
    criteria: str = "UMI",
    merchant_account: str = "",
) -> str:
    """A static (amount typed by the customer) QRIS payload for the merchant's NMID.
    ``merchant_account`` is the acquirer's tag-26 value, when the acquirer gave one."""
    fields = [("00", "01"), ("01", "11")]
    if merchant_account:
        fields.append(("26", merchant_account))
    fields.append(("51", tlv("00", QRIS_GUID) + tlv("02", nmid) + tlv("03", criteria)))
    fields += [("52", mcc), ("53", "360"), ("58", "ID")]
    fields += [("59", merchant_name[:25]), ("60", city[:15])]
    if postal_code:
        fields.append(("61", postal_code))
    return encode(fields)


class StaticQris(ManualAdapter):
    name = "qris"
    label: ClassVar[dict[str, str]] = {"id": "QRIS statis", "en": "Static QRIS"}
    methods = ("qris",)

    def settings_fields(self) -> dict[str, ma.fields.Field]:
        text = ma.fields.String
        return {
            "payload": text(
                load_default="",
                validate=lambda v: v == "" or is_valid(v),
                metadata={"description": "The payload of your printed QRIS, if you have it"},
            ),
            "nmid": text(load_default="", validate=ma.validate.Regexp(r"^(ID[0-9]{10,13})?$")),
            "merchant_name": text(load_default="", validate=ma.validate.Length(0, 25)),
            "merchant_city": text(load_default="", validate=ma.validate.Length(0, 15)),
            "postal_code": text(load_default="", validate=ma.validate.Regexp(r"^([0-9]{5})?$")),
            "mcc": text(load_default="5411", validate=ma.validate.Regexp(r"^[0-9]{4}$")),
            "criteria": text(
                load_default="UMI", validate=ma.validate.OneOf(["UMI", "UKE", "UME", "UBE"])
            ),
            "merchant_account": text(load_default="", validate=ma.validate.Length(0, 99)),
        }

    def instructions(self, ctx: GatewayContext, payment: PaymentRef) -> dict[str, str]:
        return {"amount": str(payment.amount), "qris": self.payload(ctx)}

    def payload(self, ctx: GatewayContext) -> str:
        """The shop's static QRIS payload, pasted or built from its NMID."""
        s = ctx.settings
        if s.get("payload"):
            return str(s["payload"])
        if not (s.get("nmid") and s.get("merchant_name") and s.get("merchant_city")):
            raise Invalid("Set the QRIS NMID, merchant name and city in the payment settings")
        return static_payload(
            s["nmid"],
            s["merchant_name"],
            s["merchant_city"],
            s.get("postal_code", ""),
            s.get("mcc", "5411"),
            s.get("criteria", "UMI"),
            s.get("merchant_account", ""),
        )
