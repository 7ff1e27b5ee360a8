"""``testorders``: a tiny plugin for tests, standing in for the plugin that owns the
documents being paid (sales, in a real shop).

It answers ``payments_amount_due`` for ``test.order:<id>`` (the order's total minus what was
paid on it) and ``payments_may_pay`` (an order's owner, a user id, may pay it), and records
every ``payments_paid``, ``payments_refunded`` and ``payments_status_changed`` it hears in
the table ``testorders_call``, inside the payment's transaction, so a test can count them.
Register it with :func:`install`.
"""

from __future__ import annotations

from decimal import Decimal
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from flask import Flask

from niaga import PluginMeta, hookimpl
from niaga.db import Money

PLUGIN = PluginMeta(
    name="testorders",
    label={"id": "Pesanan uji", "en": "Test orders"},
    description={"id": "Dokumen uji untuk pembayaran", "en": "Documents to pay, for tests"},
    core_requires=">=0.1",
    optional_depends=("payments",),
)

PREFIX = "test.order:"

# Kept outside Niaga's metadata on purpose: a test helper must not add a table that the
# schema-versus-migrations check would then look for.
metadata = sa.MetaData()
orders = sa.Table(
    "testorders_order",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("total", Money, nullable=False),
    sa.Column("owner_id", sa.Integer, nullable=True),
)
calls = sa.Table(
    "testorders_call",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("hook", sa.String(60), nullable=False),
    sa.Column("payment_id", sa.Integer, nullable=False),
    sa.Column("target", sa.String(80), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("amount", Money, nullable=False),
    sa.Column("fee", Money, nullable=False),
    sa.Column("method", sa.String(30), nullable=False),
)


def install(app: Flask) -> None:
    """Register and enable the plugin in ``app``, with empty tables."""
    from niaga import lifecycle
    from niaga.db import session
    from niaga.runtime import forget_enabled_plugins

    niaga = app.extensions["niaga"]
    if "testorders" not in niaga.host.installed:
        niaga.host.add(plugin_module())
    metadata.create_all(niaga.engine, checkfirst=True)
    with niaga.engine.begin() as connection:
        connection.execute(calls.delete())
        connection.execute(orders.delete())
    with app.app_context():
        db = session()
        lifecycle.enable(db, niaga.host, "testorders")
        db.commit()
        forget_enabled_plugins()


def add_order(connection: Any, order_id: int, total: Decimal, owner_id: int | None = None) -> str:
    """Create order ``order_id`` owing ``total`` (of the user ``owner_id``, if any); returns
    its reference."""
    connection.execute(orders.insert().values(id=order_id, total=total, owner_id=owner_id))
    return f"{PREFIX}{order_id}"


def recorded(connection: Any, hook: str | None = None) -> list[Any]:
    """The hook calls recorded so far (optionally only ``hook``)."""
    statement = sa.select(calls).order_by(calls.c.id)
    if hook is not None:
        statement = statement.where(calls.c.hook == hook)
    return list(connection.execute(statement))


def _record(session: Any, hook: str, payment: Any, amount: Decimal | None = None) -> None:
    session.execute(
        calls.insert().values(
            hook=hook,
            payment_id=payment.id,
            target=payment.target,
            status=payment.status,
            amount=payment.amount if amount is None else amount,
            fee=payment.fee,
            method=payment.method,
        )
    )


@hookimpl
def payments_amount_due(session: Any, reference: str) -> Any:
    if not reference.startswith(PREFIX):
        return None
    order_id = int(reference.removeprefix(PREFIX))
    total = session.scalar(sa.select(orders.c.total).where(orders.c.id == order_id))
    if total is None:
        return None
    paid = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(calls.c.amount), 0)).where(
            calls.c.target == reference, calls.c.hook == "paid"
        )
    )
    return Decimal(total) - Decimal(paid)


@hookimpl
def payments_may_pay(session: Any, reference: str, user: Any) -> Any:
    if not reference.startswith(PREFIX):
        return None
    order_id = int(reference.removeprefix(PREFIX))
    owner = session.scalar(sa.select(orders.c.owner_id).where(orders.c.id == order_id))
    return owner is not None and owner == user.id


@hookimpl
def payments_paid(session: Any, payment: Any) -> None:
    _record(session, "paid", payment)


@hookimpl
def payments_refunded(session: Any, payment: Any, amount: Any) -> None:
    _record(session, "refunded", payment, amount)


@hookimpl
def payments_status_changed(session: Any, payment: Any, previous: str) -> None:
    _record(session, f"status:{previous}>{payment.status}", payment)


HOOKS = (
    "payments_amount_due",
    "payments_may_pay",
    "payments_paid",
    "payments_refunded",
    "payments_status_changed",
)


def plugin_module() -> ModuleType:
    """This plugin as a module with a top-level name of its own: Niaga's loader checks a
    plugin's tables by its top-level package, and this file lives inside niaga_payments."""
    module = ModuleType("niaga_testorders")
    module.PLUGIN = PLUGIN  # type: ignore[attr-defined]
    for name in HOOKS:
        setattr(module, name, globals()[name])
    return module
