"""Each event reaches the retailer once, on the channel they chose, through the real sales
and loyalty plugins, the outbox and the worker's round, to the WhatsApp Cloud API stand-in
and a real SMTP server."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.jobs import run_round
from niaga.models import OutboxMessage
from niaga.runtime import hooks
from niaga_notifications import notify
from niaga_notifications.models import DueInvoice, Message, Preference

pytestmark = pytest.mark.plugins("notifications", "sales", "loyalty", "inventory")

ALL_EVENTS = {
    "order_confirmed",
    "out_for_delivery",
    "delivered",
    "invoice_issued",
    "invoice_due",
    "payment_received",
    "points_earned",
    "reward_ready",
}


def new_customer(api: Any, name: str = "Toko Sinar Palu", terms: int = 14) -> dict[str, Any]:
    response = api.post(
        "/api/sales/customers",
        json={"shop_name": name, "owner_name": "Pak Rahman", "payment_terms_days": terms},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def prefer(db: Any, customer_id: int, channel: str, **values: str) -> None:
    db.add(Preference(customer_id=customer_id, channel=channel, **values))
    db.commit()


def drain() -> int:
    total = 0
    while True:
        delivered, _ = run_round()
        if not delivered:
            return total
        total += delivered


def walk_every_event(
    api: Any, db: Any, customer: dict[str, Any], shop_clock: Any
) -> dict[str, Any]:
    """Order → confirm → deliver → invoice → due reminder → payment earning points that
    reach a reward; the delivery is packed (out for delivery) before it is delivered.
    The shop's clock stands at 10:00 today: due reminders go out in the daytime only."""
    from niaga.clock import shop_today

    shop_clock(dt.datetime.combine(shop_today(db), dt.time(3), tzinfo=dt.UTC))
    assert api.post("/api/loyalty/programs", json={"name": "Poin Mitra"}).status_code == 201
    reward = api.post(
        "/api/loyalty/rewards",
        json={
            "name": "Voucher 25rb",
            "kind": "voucher",
            "points_cost": 50,
            "discount_amount": "25000",
        },
    )
    assert reward.status_code == 201, reward.get_json()
    line = {"description": "Beras 5 kg", "quantity": "10", "unit_price": "70000"}
    order = api.post("/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]})
    order = order.get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    delivery = api.post(f"/api/sales/orders/{order['id']}/deliveries", json={})
    assert delivery.status_code == 201, delivery.get_json()
    delivery = delivery.get_json()
    for step in ("pack", "deliver"):  # out for delivery, then delivered
        moved = api.post(f"/api/sales/deliveries/{delivery['id']}/{step}")
        assert moved.status_code == 200, moved.get_json()
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    db.expire_all()
    assert db.scalar(sa.select(DueInvoice.reference)) == f"sales.invoice:{invoice['id']}"
    from niaga import settings

    settings.put(db, "notifications.due_reminder_days", 30)
    assert notify.remind_due(db) == 1
    db.commit()
    paid = api.post(
        f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": invoice["total"]}
    )
    assert paid.status_code == 201, paid.get_json()
    return {"order": order, "invoice": invoice, "delivery": delivery}


def test_every_event_reaches_the_retailer_once_on_whatsapp(api, db, channels, shop_clock):
    whatsapp, smtp = channels
    customer = new_customer(api)
    prefer(db, customer["id"], "whatsapp", phone="081234567890")
    done = walk_every_event(api, db, customer, shop_clock)
    assert whatsapp.requests == []  # events only queued; nothing leaves before the worker
    assert drain() == len(ALL_EVENTS)
    assert drain() == 0

    events = [m.event for m in db.scalars(sa.select(Message).order_by(Message.id))]
    assert sorted(events) == sorted(ALL_EVENTS)
    assert len(whatsapp.delivered) == len(ALL_EVENTS) == len(whatsapp.requests)
    assert {d["to"] for d in whatsapp.delivered} == {"6281234567890"}
    texts = {m.event: m.body for m in db.scalars(sa.select(Message))}
    number = done["order"]["number"]
    assert texts["order_confirmed"] == (
        f"Halo Toko Sinar Palu, pesanan {number} sebesar Rp 700.000 sudah kami konfirmasi "
        "dan sedang disiapkan. Terima kasih - Toko Saya"
    )
    assert (
        "70 poin" in texts["points_earned"]
        and "Saldo poin Anda sekarang 70" in texts["points_earned"]
    )
    assert "Voucher 25rb (50 poin)" in texts["reward_ready"]
    assert "Rp 700.000" in texts["payment_received"]
    assert {m.state for m in db.scalars(sa.select(Message))} == {"sent"}
    assert all(m.provider_id.startswith("wamid.") for m in db.scalars(sa.select(Message)))
    body = whatsapp.delivered[0]["body"]
    assert body["messaging_product"] == "whatsapp" and body["type"] == "text"
    assert body["biz_opaque_callback_data"].startswith("order_confirmed:sales.order:")
    assert smtp.messages == []

    # the same events raised again queue nothing new
    before = db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    order = api.get(f"/api/sales/orders/{done['order']['id']}").get_json()
    from niaga.contracts import Document

    again = Document(
        kind="sales.order",
        id=order["id"],
        number=order["number"],
        date=dt.date(2026, 12, 1),
        party_id=customer["id"],
        party_name="x",
        lines=(),
        subtotal=Decimal(0),
        tax=Decimal(0),
        total=Decimal(0),
    )
    hooks().sales_order_confirmed(session=db, order=again)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before
    assert drain() == 0 and len(whatsapp.delivered) == len(ALL_EVENTS)


def test_every_event_reaches_the_retailer_once_by_email_in_english(api, db, channels, shop_clock):
    whatsapp, smtp = channels
    customer = new_customer(api, "Toko Makmur")
    prefer(db, customer["id"], "email", email="makmur@toko.example", language="en")
    walk_every_event(api, db, customer, shop_clock)
    assert drain() == len(ALL_EVENTS)
    assert drain() == 0
    assert whatsapp.requests == []
    assert len(smtp.messages) == len(smtp.unique) == len(ALL_EVENTS)
    first = smtp.messages[0]
    assert first["To"] == "makmur@toko.example"
    assert first["Subject"].startswith("Order ") and first["Subject"].endswith(" confirmed")
    assert "toko@maju.example" in first["From"]
    assert "Hello Toko Makmur, we confirmed your order" in first.get_content()


def test_a_customer_who_chose_none_gets_nothing_and_a_rollback_sends_nothing(api, db, channels):
    whatsapp, smtp = channels
    quiet = new_customer(api, "Toko Sepi")
    prefer(db, quiet["id"], "none")
    line = {"description": "Gula 1 kg", "quantity": "2", "unit_price": "15000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": quiet["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert drain() == 0 and db.scalar(sa.select(sa.func.count()).select_from(Message)) == 0

    loud = new_customer(api, "Toko Ramai")
    prefer(db, loud["id"], "whatsapp", phone="081299998888")
    from niaga.contracts import Document

    hooks().sales_order_confirmed(
        session=db,
        order=Document(
            kind="sales.order",
            id=999,
            number="SO-X",
            date=dt.date(2026, 12, 1),
            party_id=loud["id"],
            party_name="Toko Ramai",
            lines=(),
            subtotal=Decimal(1),
            tax=Decimal(0),
            total=Decimal(1),
        ),
    )
    db.rollback()
    assert drain() == 0 and whatsapp.requests == [] and smtp.messages == []


def test_without_a_preference_the_retailer_login_phone_is_used(api, db, channels, make_user):
    whatsapp, _ = channels
    customer = new_customer(api, "Toko Login")
    user = make_user("retailer", phone="081355500001", name="Bu Sri")
    from niaga_sales.models import Customer

    db.get(Customer, customer["id"]).user_id = user.id
    db.commit()
    line = {"description": "Minyak 2 L", "quantity": "1", "unit_price": "38000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert drain() == 1
    assert [d["to"] for d in whatsapp.delivered] == ["6281355500001"]


def test_without_a_preference_or_login_the_shops_recorded_phone_is_used(api, db):
    from niaga_notifications import notify

    shop = api.post(
        "/api/sales/customers", json={"shop_name": "Toko Telepon", "phone": "0813 5551 2345"}
    ).get_json()
    channel, address, _, _ = notify.recipient(db, shop["id"])
    assert (channel, address) == ("whatsapp", "081355512345")


def test_a_provider_failure_is_retried_and_a_refusal_is_logged_not_retried(api, db, channels):
    whatsapp, _ = channels
    customer = new_customer(api, "Toko Coba")
    prefer(db, customer["id"], "whatsapp", phone="081234500000")
    whatsapp.failures_to_give = 1
    line = {"description": "Kopi", "quantity": "1", "unit_price": "10000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert drain() == 0
    message = db.scalar(sa.select(Message))
    db.refresh(message)
    assert (message.state, message.attempts) == ("queued", 1)
    assert "503" in message.error and whatsapp.token not in message.error
    outbox_row = db.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.topic == "notifications.send")
    )
    from niaga.db import utcnow

    outbox_row.available_at = utcnow()  # skip the back-off wait
    db.commit()
    assert drain() == 1
    db.refresh(message)
    assert (message.state, message.attempts) == ("sent", 2)
    assert len(whatsapp.delivered) == 1

    # a wrong phone number id: Meta answers 400, given up at once and shown in the log
    from niaga import settings

    settings.put(db, "notifications.whatsapp_phone_number_id", "99999")
    db.commit()
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert drain() == 1  # the outbox is done with it: retrying cannot help
    failed = db.scalar(sa.select(Message).where(Message.state == "failed"))
    assert failed is not None and "WhatsApp answered 400: 100" in failed.error


def test_a_merged_customer_keeps_its_channel_and_log_under_the_kept_one(api, db, channels):
    whatsapp, _ = channels
    kept = new_customer(api, "Toko Tetap")
    duplicate = new_customer(api, "Toko Tetap (dobel)")
    prefer(db, duplicate["id"], "whatsapp", phone="081277700000")
    line = {"description": "Kopi", "quantity": "1", "unit_price": "10000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": duplicate["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    hooks().sales_customers_merged(session=db, kept_id=kept["id"], merged_id=duplicate["id"])
    db.commit()
    moved = db.scalar(sa.select(Preference))
    assert (moved.customer_id, moved.phone) == (kept["id"], "081277700000")
    assert db.scalar(sa.select(Message.customer_id)) == kept["id"]


def test_the_due_reminder_goes_once_and_only_for_what_is_still_open(api, db, channels, shop_clock):
    whatsapp, _ = channels
    from niaga import settings

    settings.put(db, "notifications.due_reminder_days", 3)
    customer = new_customer(api, "Toko Tempo", terms=14)
    prefer(db, customer["id"], "whatsapp", phone="081200011122")
    invoices = []
    for price in ("10000", "20000"):
        line = {"description": "Teh", "quantity": "1", "unit_price": price}
        order = api.post(
            "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
        ).get_json()
        api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
        api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
        invoices.append(api.post(f"/api/sales/orders/{order['id']}/invoice").get_json())
    paid = invoices[0]
    assert (
        api.post(
            f"/api/sales/invoices/{paid['id']}/payments", json={"amount": paid["total"]}
        ).status_code
        == 201
    )
    db.expire_all()
    due = db.scalar(sa.select(DueInvoice.due_date))
    assert notify.remind_due(db) == 0  # 14 days ahead: too early
    night = dt.datetime.combine(due - dt.timedelta(days=3), dt.time(17), tzinfo=dt.UTC)
    shop_clock(night)  # 00:00 WIB: not at night
    assert notify.remind_due(db) == 0
    shop_clock(night + dt.timedelta(hours=10))  # 10:00 WIB
    assert notify.remind_due(db) == 1  # the open one; the paid one is settled
    assert notify.remind_due(db) == 0  # once
    db.commit()
    drain()
    reminders = [
        d for d in whatsapp.delivered if "jatuh tempo" in d["text"] and "Abaikan" in d["text"]
    ]
    assert len(reminders) == 1 and invoices[1]["number"] in reminders[0]["text"]
    assert "Rp 20.000" in reminders[0]["text"]


def test_a_customer_without_any_address_is_shown_as_skipped(api, db, channels):
    whatsapp, smtp = channels
    customer = new_customer(api, "Toko Tanpa Nomor")
    line = {"description": "Kopi", "quantity": "1", "unit_price": "10000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert drain() == 0 and whatsapp.requests == [] and smtp.messages == []
    skipped = db.scalar(sa.select(Message))
    assert (skipped.state, skipped.error) == ("skipped", "No address known for this customer")
