"""The channels a message leaves by: an adapter per channel with one job, ``send``.

* ``email``: SMTP with :mod:`smtplib` (STARTTLS, SSL or plain, optional login). The
  ``Message-ID`` is derived from the message's key, so a message sent again after a worker
  was killed mid-send carries the same id and mail systems that drop repeats by id drop it.
* ``whatsapp``: the WhatsApp Cloud API (Meta):
  ``POST {base}/{version}/{phone-number-id}/messages`` with ``Authorization: Bearer``
  and the documented text-message body; the answer's ``messages[0].id`` (a ``wamid``) is
  kept. The key goes along as ``Idempotency-Key`` and ``biz_opaque_callback_data``; Meta
  does not document dropping repeats by it (our stand-in and gateways that front the API
  do), see the README's "Sent once" section.

A :class:`Temporary` error is retried by the outbox with back-off; a :class:`Permanent`
one (a refused address, a bad token) is recorded and not retried. Secrets never appear in
an error's text.
"""

from __future__ import annotations

import hashlib
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any, Protocol

from sqlalchemy.orm import Session

from niaga import settings

TIMEOUT_SECONDS = 15


class DeliveryError(Exception):
    """A channel could not deliver; the text is safe to show and store."""


class Temporary(DeliveryError):
    """Worth trying again later (the provider is down, busy, or not set up yet)."""


class Permanent(DeliveryError):
    """Trying again will not help (the provider refused this message)."""


class Channel(Protocol):
    name: str

    def account(self, session: Session) -> dict[str, Any]:
        """The settings ``send`` needs, read before the call: no database transaction (and
        on SQLite no write lock) stays open while the provider is talked to."""
        ...

    def send(self, account: dict[str, Any], *, key: str, to: str, subject: str, body: str) -> str:
        """Hand the message to the provider; return the provider's id for it."""
        ...


def _setting(session: Session, name: str) -> Any:
    return settings.get(session, f"notifications.{name}")


def _read(session: Session, *names: str) -> dict[str, Any]:
    return {name: _setting(session, name) for name in names}


class EmailChannel:
    name = "email"

    def account(self, session: Session) -> dict[str, Any]:
        return {
            **_read(
                session,
                "smtp_host",
                "smtp_port",
                "smtp_security",
                "smtp_user",
                "smtp_password",
                "sender",
            ),
            "shop": _shop_name(session),
        }

    def send(self, account: dict[str, Any], *, key: str, to: str, subject: str, body: str) -> str:
        host = account["smtp_host"]
        sender = account["sender"]
        if not host or not sender:
            raise Temporary("E-mail is not set up: SMTP server and sender address are needed")
        message = EmailMessage()
        message["From"] = formataddr((account["shop"], sender))
        message["To"] = to
        message["Subject"] = subject
        domain = sender.rsplit("@", 1)[-1]
        message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
        message["Message-ID"] = message_id
        message.set_content(body)
        port = int(account["smtp_port"])
        security = account["smtp_security"]
        try:
            if security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
            with client:
                if security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if account["smtp_user"]:
                    client.login(account["smtp_user"], account["smtp_password"])
                refused = client.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise Permanent(f"The SMTP server refused the address {to}") from None
        except smtplib.SMTPAuthenticationError:
            raise Temporary("The SMTP server refused the user name or password") from None
        except smtplib.SMTPResponseException as exc:
            kind = Permanent if 500 <= exc.smtp_code < 600 else Temporary
            raise kind(f"The SMTP server answered {exc.smtp_code}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Temporary(
                f"SMTP server {host}:{port} not reachable: {type(exc).__name__}"
            ) from None
        if refused:
            raise Permanent(f"The SMTP server refused the address {to}")
        return message_id


def whatsapp_number(phone: str) -> str:
    """Digits in international form without ``+`` (``0812…`` → ``62812…``), as the Cloud
    API's ``to`` wants them."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


class WhatsAppCloudChannel:
    name = "whatsapp"

    def account(self, session: Session) -> dict[str, Any]:
        return _read(
            session,
            "whatsapp_base_url",
            "whatsapp_api_version",
            "whatsapp_phone_number_id",
            "whatsapp_token",
        )

    def send(self, account: dict[str, Any], *, key: str, to: str, subject: str, body: str) -> str:
        number_id = account["whatsapp_phone_number_id"]
        token = account["whatsapp_token"]
        if not number_id or not token:
            raise Temporary("WhatsApp is not set up: phone number ID and access token are needed")
        base = str(account["whatsapp_base_url"]).rstrip("/")
        url = f"{base}/{account['whatsapp_api_version']}/{number_id}/messages"
        request = urllib.request.Request(
            url,
            data=json.dumps(
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": whatsapp_number(to),
                    "type": "text",
                    "text": {"preview_url": False, "body": body},
                    "biz_opaque_callback_data": key,
                }
            ).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = _meta_error(exc)
            if exc.code == 429 or exc.code >= 500:
                raise Temporary(f"WhatsApp answered {exc.code}{detail}") from None
            if exc.code == 401:  # an expired token: the owner renews it, then it goes out
                raise Temporary(f"WhatsApp refused the access token (401){detail}") from None
            raise Permanent(f"WhatsApp answered {exc.code}{detail}") from None
        except (OSError, ValueError) as exc:
            raise Temporary(f"WhatsApp not reachable: {type(exc).__name__}") from None
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise Temporary("WhatsApp answered without a message id") from None


def _meta_error(exc: urllib.error.HTTPError) -> str:
    """``: <code> <message>`` from Meta's error body, when it has one."""
    try:
        error = json.loads(exc.read())["error"]
        return f": {error.get('code')} {str(error.get('message', ''))[:200]}"
    except Exception:
        return ""


def _shop_name(session: Session) -> str:
    try:
        return str(settings.get(session, "core.shop_name") or "Niaga")
    except Exception:
        return "Niaga"


CHANNELS: dict[str, Channel] = {"email": EmailChannel(), "whatsapp": WhatsAppCloudChannel()}
