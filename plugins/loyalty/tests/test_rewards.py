"""Vouchers at checkout through ``sales_adjustments``, gifts through inventory, and no
double spend under concurrent redemptions."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.db import session
from niaga.errors import Invalid, NiagaError, Refused
from niaga.runtime import hooks
from niaga_loyalty import ledger, rewards
from niaga_loyalty.models import Entry, Member, Redemption, Reward

pytestmark = pytest.mark.plugins("loyalty")


def member_with(db, points, customer=7):
    member = ledger.member_for_customer(db, customer, "Toko Sumber Rejeki")
    db.flush()
    if points:
        ledger.adjust(db, member, points, "Opening balance")
    db.commit()
    return member


def voucher(db, cost=800, amount="25000", percent=None, min_order="100000"):
    reward = Reward(
        name="Voucher",
        kind="voucher",
        points_cost=cost,
        discount_amount=Decimal(amount) if amount else None,
        discount_percent=Decimal(percent) if percent else None,
        min_order=Decimal(min_order),
    )
    db.add(reward)
    db.commit()
    return reward


def order(kit, ident=1, customer=7, net="300000", **data):
    return kit.document(
        kind="sales.order", ident=ident, customer=customer, lines=(kit.line(net, 1),), **data
    )


def adjustments_for(db, doc):
    return [
        adj
        for found in hooks().sales_adjustments(session=db, order=doc, customer_id=doc.party_id)
        for adj in found
    ]


def with_adjustments(kit, doc, adjustments):
    data = dict(doc.data)
    data["adjustments"] = [
        {"source": a.source, "reference": a.reference, "amount": str(a.amount)} for a in adjustments
    ]
    return kit.document(kind=doc.kind, ident=doc.id, customer=doc.party_id, lines=doc.lines, **data)


def test_voucher_discounts_the_next_order_and_is_used_once(db, kit, movements):
    member = member_with(db, 1000)
    reward = voucher(db)
    redemption = rewards.redeem(db, member, reward.id)
    db.commit()
    assert db.get(Member, member.id).balance == 200
    assert [(m.kind, m.redeemed_for) for m in movements][-1] == ("redeem", "discount")

    draft = order(kit, 1, voucher_code=redemption.code.lower())
    found = adjustments_for(db, draft)
    assert [(a.amount, a.source, a.reference) for a in found] == [
        (Decimal("-25000"), "loyalty", redemption.reference)
    ]
    confirmed = with_adjustments(kit, draft, found)
    hooks().sales_validate_order(session=db, order=confirmed, action="confirm")
    for _ in range(2):  # confirming again is harmless
        hooks().sales_order_confirmed(session=db, order=confirmed)
    db.commit()
    used = db.get(Redemption, redemption.id)
    assert (used.status, used.order_reference) == ("used", "sales.order:1")
    # repricing the same order keeps its discount
    assert adjustments_for(db, draft)[0].amount == Decimal("-25000")

    other = order(kit, 2, voucher_code=redemption.code)
    with pytest.raises(Refused):
        adjustments_for(db, other)
    with pytest.raises(Refused):
        hooks().sales_order_confirmed(session=db, order=with_adjustments(kit, other, found))
    db.rollback()

    hooks().sales_order_cancelled(session=db, order=confirmed)
    db.commit()
    db.expire_all()
    assert db.get(Redemption, redemption.id).status == "available"
    assert adjustments_for(db, other)[0].amount == Decimal("-25000")


def test_voucher_rules_minimum_order_percent_and_ownership(db, kit):
    member = member_with(db, 5000)
    member_with(db, 0, customer=8)
    percent = rewards.redeem(db, member, voucher(db, 500, None, "10", "200000").id)
    db.commit()
    with pytest.raises(Refused):
        adjustments_for(db, order(kit, 1, net="150000", voucher_code=percent.code))
    found = adjustments_for(db, order(kit, 2, net="333333", voucher_code=percent.code))
    assert found[0].amount == Decimal("-33333")
    with pytest.raises(Invalid):  # someone else's voucher
        adjustments_for(db, order(kit, 3, customer=8, voucher_code=percent.code))
    for wrong in ("LVNOPE", "LV\x00", "x" * 300):
        with pytest.raises(Invalid):
            adjustments_for(db, order(kit, 4, voucher_code=wrong))
    # no code, no automatic vouchers: nothing
    assert adjustments_for(db, order(kit, 5)) == []


def test_automatic_voucher_when_the_owner_says_so(db, kit):
    from niaga import settings

    member = member_with(db, 2000)
    big = rewards.redeem(db, member, voucher(db, 500, "50000", None, "1000000").id)
    small = rewards.redeem(db, member, voucher(db, 500, "10000", None, "0").id)
    settings.put(db, "loyalty.auto_apply_voucher", True)
    db.commit()
    found = adjustments_for(db, order(kit, 1, net="300000"))
    assert [a.reference for a in found] == [small.reference]
    assert big.status == "available"


def test_gift_is_refused_clearly_without_inventory(db, api):
    member = member_with(db, 1000)
    gift = Reward(name="Payung", kind="gift", points_cost=300, product_id=1)
    db.add(gift)
    db.commit()
    response = api.post(
        f"/api/loyalty/members/{member.id}/redemptions", json={"reward_id": gift.id}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "inventory_disabled"
    db.expire_all()
    assert db.get(Member, member.id).balance == 1000
    assert db.scalar(sa.select(sa.func.count()).select_from(Redemption)) == 0


def test_redeeming_more_than_the_balance_is_refused(db, api):
    member = member_with(db, 100)
    reward = voucher(db, 800)
    response = api.post(
        f"/api/loyalty/members/{member.id}/redemptions", json={"reward_id": reward.id}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "insufficient_points"


def test_twenty_concurrent_redemptions_spend_the_points_once(app, db):
    member = member_with(db, 1000)
    reward = voucher(db, 800)
    member_id, reward_id = member.id, reward.id
    db.commit()
    db.close()
    start = threading.Barrier(20)

    def attempt(_: int) -> str:
        with app.app_context():
            own = session()
            start.wait()
            try:
                rewards.redeem(own, own.get(Member, member_id), reward_id)
                own.commit()
                return "ok"
            except NiagaError as exc:
                own.rollback()
                return exc.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(attempt, range(20)))
    assert results.count("ok") == 1
    assert results.count("insufficient_points") == 19
    db.expire_all()
    assert db.get(Member, member_id).balance == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(Redemption)) == 1
    assert db.scalar(sa.select(sa.func.sum(Entry.points))) == 200
    assert ledger.problems(db) == []
