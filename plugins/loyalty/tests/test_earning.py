"""Earning on payment or delivery, exactly once; reversal on returns; tiers; campaigns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.runtime import hooks
from niaga.testing import another_process, see_config_version, shop_today
from niaga_loyalty import earning, ledger
from niaga_loyalty.models import Campaign, Entry, Member, Tier, TierChange

pytestmark = pytest.mark.plugins("loyalty")


def member_of(db, customer=7):
    db.expire_all()
    return db.scalars(sa.select(Member).where(Member.customer_id == customer)).one()


def test_paid_invoice_earns_once_however_often_the_event_fires(db, kit, movements):
    kit.make_program(db)
    invoice = kit.document(ident=1, subtotal="250000")
    for _ in range(3):
        kit.pay(db, invoice)
        db.commit()
    member = member_of(db)
    assert member.balance == 25
    assert member.name == "Toko Sumber Rejeki"
    entries = db.scalars(sa.select(Entry)).all()
    assert [(e.kind, e.points, e.reference) for e in entries] == [("earn", 25, "sales.invoice:1")]
    assert len(movements) == 1
    assert movements[0].kind == "earn"
    assert movements[0].points == Decimal(25)
    assert movements[0].value == Decimal("2500")  # default point value Rp 100
    assert ledger.problems(db) == []


def test_no_program_or_no_customer_earns_nothing(db, kit):
    kit.pay(db, kit.document(ident=1))
    kit.make_program(db)
    kit.pay(db, kit.document(ident=2, customer=None))
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(Entry)) == 0


def test_minimum_order_and_product_and_category_multipliers(db, kit):
    kit.make_program(db, min_order=Decimal("100000"), product_multipliers={"5": "2"})
    kit.pay(db, kit.document(ident=1, subtotal="90000"))
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(Entry)) == 0
    # 100.000 of product 5 at x2 + 100.000 of product 6 = 300.000 weighted -> 30 points
    lines = (kit.line("100000", product_id=5), kit.line("100000", product_id=6))
    kit.pay(db, kit.document(ident=2, lines=lines))
    db.commit()
    assert member_of(db).balance == 30


def test_order_discount_scales_the_lines(db, kit):
    kit.make_program(db)
    # lines worth 200.000 but a 50.000 voucher leaves a subtotal of 150.000 -> 15 points
    lines = (kit.line("200000", product_id=1),)
    kit.pay(db, kit.document(ident=1, lines=lines, subtotal="150000"))
    db.commit()
    assert member_of(db).balance == 15


def test_campaign_multiplier_and_bonus_only_while_it_runs(db, kit):
    kit.make_program(db)
    today = shop_today(db)
    db.add_all(
        [
            Campaign(
                name="Festival Ramadan",
                starts_on=today - dt.timedelta(days=1),
                ends_on=today + dt.timedelta(days=1),
                multiplier=Decimal("2"),
                bonus_points=5,
                scope="everyone",
            ),
            Campaign(
                name="Grosir",
                starts_on=today,
                ends_on=today,
                multiplier=Decimal("3"),
                scope="group",
                target="grosir",
            ),
        ]
    )
    db.commit()
    kit.pay(db, kit.document(ident=1, subtotal="100000"))  # 10 x2 + 5
    kit.pay(db, kit.document(ident=2, subtotal="100000", customer_group="grosir"))  # 10 x6 + 5
    old = today - dt.timedelta(days=10)
    kit.pay(db, kit.document(ident=3, subtotal="100000", day=old))  # 10
    db.commit()
    points = dict(db.execute(sa.select(Entry.reference, Entry.points)).all())
    assert points == {"sales.invoice:1": 25, "sales.invoice:2": 65, "sales.invoice:3": 10}
    assert "Festival Ramadan" in db.scalar(
        sa.select(Entry.reason).where(Entry.reference == "sales.invoice:1")
    )


def test_tier_follows_rolling_spend_and_multiplies_points(db, kit, api):
    kit.make_program(db)
    db.add_all(
        [
            Tier(name="Silver", min_spend=Decimal("0"), multiplier=Decimal("1")),
            Tier(name="Gold", min_spend=Decimal("1000000"), multiplier=Decimal("1.5")),
        ]
    )
    db.commit()
    kit.pay(db, kit.document(ident=1, subtotal="1000000"))  # 100 points, then Gold
    db.commit()
    member = member_of(db)
    assert member.tier.name == "Gold"
    kit.pay(db, kit.document(ident=2, subtotal="100000"))  # 10 x 1.5
    db.commit()
    assert member_of(db).balance == 115
    changes = db.scalars(sa.select(TierChange).order_by(TierChange.id)).all()
    assert [(c.from_tier, c.to_tier) for c in changes] == [("", "Gold")]
    body = api.get(f"/api/loyalty/members/{member.id}").get_json()
    assert body["member"]["tier"] == "Gold"
    assert body["tier_changes"][0]["to_tier"] == "Gold"
    # a full return of the big order drops the member back to Silver
    credit = kit.document(
        kind="sales.credit_note", ident=1, subtotal="1000000", related="sales.invoice:1"
    )
    hooks().sales_return_posted(session=db, credit_note=credit)
    db.commit()
    assert member_of(db).tier.name == "Silver"
    assert db.scalars(sa.select(TierChange.to_tier).order_by(TierChange.id)).all() == [
        "Gold",
        "Silver",
    ]


def test_return_reverses_points_proportionally_and_never_twice(db, kit, movements):
    kit.make_program(db)
    invoice = kit.document(ident=1, subtotal="250000", order="sales.order:9")
    kit.pay(db, invoice)
    db.commit()
    first = kit.document(
        kind="sales.credit_note",
        ident=1,
        subtotal="100000",
        related=invoice.reference,
        order="sales.order:9",
    )
    for _ in range(2):
        hooks().sales_return_posted(session=db, credit_note=first)
        db.commit()
    assert member_of(db).balance == 15
    # a credit note without the order still finds the earn through its invoice
    second = kit.document(
        kind="sales.credit_note", ident=2, subtotal="200000", related=invoice.reference
    )
    hooks().sales_return_posted(session=db, credit_note=second)
    db.commit()
    assert member_of(db).balance == 0
    kinds = [(m.kind, int(m.points)) for m in movements]
    assert kinds == [("earn", 25), ("reverse", -10), ("reverse", -15)]
    assert ledger.problems(db) == []


def test_points_spent_before_a_return_are_owed(db, kit, api):
    kit.make_program(db)
    kit.pay(db, kit.document(ident=1, subtotal="1000000"))
    db.commit()
    member = member_of(db)
    ledger.adjust(db, member, -80, "Manual redemption at the counter")
    db.commit()
    credit = kit.document(
        kind="sales.credit_note", ident=1, subtotal="1000000", related="sales.invoice:1"
    )
    hooks().sales_return_posted(session=db, credit_note=credit)
    db.commit()
    assert member_of(db).balance == -80
    kit.pay(db, kit.document(ident=2, subtotal="1000000"))
    db.commit()
    assert member_of(db).balance == 20
    assert ledger.expiring(db, member_of(db))[0].points == 20
    assert ledger.problems(db) == []


def test_cancelled_order_takes_its_points_back(db, kit):
    kit.make_program(db)
    kit.pay(db, kit.document(ident=1, subtotal="300000", order="sales.order:4"))
    db.commit()
    hooks().sales_order_cancelled(session=db, order=kit.document(kind="sales.order", ident=4))
    db.commit()
    assert member_of(db).balance == 0


def test_earn_on_delivery_when_the_owner_chooses_it(db, kit):
    kit.make_program(db)
    settings.put(db, "loyalty.earn_on", "delivery")
    db.commit()
    order = kit.document(
        kind="sales.order", ident=3, lines=(kit.line("300000", product_id=2, quantity="3"),)
    )
    kit.pay(db, kit.document(ident=1, subtotal="300000", order=order.reference))
    # a delivery document without prices: valued at the order's price, 2 of 3 delivered
    delivery = kit.document(
        kind="sales.delivery",
        ident=8,
        customer=None,
        lines=(kit.line("0", product_id=2, quantity="2"),),
        subtotal="0",
    )
    for _ in range(2):
        hooks().sales_order_delivered(session=db, order=order, delivery=delivery)
    db.commit()
    entries = db.scalars(sa.select(Entry)).all()
    assert [(e.reference, e.points, e.order_reference) for e in entries] == [
        ("sales.delivery:8", 20, "sales.order:3")
    ]


def test_points_changed_rows_carry_the_point_value_setting(db, kit, movements):
    settings.put(db, "loyalty.point_value", "250")
    kit.make_program(db)
    kit.pay(db, kit.document(ident=1, subtotal="100000"))
    db.commit()
    assert movements[0].value == Decimal("2500")
    assert db.scalar(sa.select(Entry.value)) == Decimal("2500")


def test_the_walk_in_customer_of_the_counter_earns_nothing(db, kit):
    from niaga_sales.customers import walk_in

    kit.make_program(db)
    counter = walk_in(db)
    db.commit()
    kit.pay(db, kit.document(ident=1, customer=counter.id, subtotal="500000"))
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(Member)) == 0


def test_earn_rules_changed_by_another_process_count_from_the_next_transaction(app, db, kit):
    """The program and campaigns are kept per process (earning.active_program), and read
    again once another server, the CLI or an SQL console changes them."""

    kit.make_program(db)
    invoice = kit.document(ident=1, subtotal="250000")

    def points() -> int:
        see_config_version(db)
        found = earning.quote(db, None, invoice).points
        db.commit()
        return found

    assert points() == 25
    assert points() == 25  # from the process's copy
    with another_process(app) as connection:
        connection.execute(sa.text("UPDATE loyalty_program SET points_per_step = 2"))
    assert points() == 50
    with another_process(app) as connection:
        connection.execute(
            sa.text(
                "INSERT INTO loyalty_campaign (name, starts_on, ends_on, multiplier,"
                " bonus_points, scope, target, active, created_at, updated_at)"
                " VALUES ('Gajian', :day, :day, 1, 7, 'everyone', '', :yes,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"day": invoice.date, "yes": True},
        )
    assert points() == 57
