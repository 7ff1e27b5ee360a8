"""An example third-party plugin: a WhatsApp message for every confirmed sales order.

It uses only public hooks. The event listener runs inside the sales transaction and only
queues the message (:func:`niaga.outbox.enqueue`); the outbox handler sends it after the
order committed, from ``niaga worker``, and is retried when the endpoint fails.
"""

from __future__ import annotations

from typing import Any

from niaga import PluginMeta, hookimpl

PLUGIN = PluginMeta(
    name="whatsapp",
    label={"id": "Notifikasi WhatsApp", "en": "WhatsApp notifications"},
    description={
        "id": "Kirim pesan WhatsApp untuk setiap pesanan yang dikonfirmasi.",
        "en": "Send a WhatsApp message for every confirmed order.",
    },
    core_requires=">=0.1,<0.2",
    optional_depends=("sales",),
)


@hookimpl
def niaga_settings_schema() -> Any:
    from niaga_whatsapp.settings import Settings

    return Settings


@hookimpl
def sales_order_confirmed(session: Any, order: Any) -> None:
    from niaga_whatsapp import notify

    notify.queue_order_confirmed(session, order)


@hookimpl
def niaga_outbox_handlers() -> dict[str, Any]:
    from niaga_whatsapp import notify

    return {notify.TOPIC: notify.send}
