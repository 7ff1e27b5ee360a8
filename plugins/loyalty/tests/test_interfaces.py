"""The API (set-up, members, adjust, retailer self-service, reports), permissions, bad
input, admin and portal pages, and the disabled plugin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga.testing import csrf_token, login
from niaga_loyalty import ledger
from niaga_loyalty.models import Member

pytestmark = pytest.mark.plugins("loyalty")

VOUCHER = {
    "name": "Voucher Rp 25.000",
    "kind": "voucher",
    "points_cost": 250,
    "discount_amount": "25000",
    "min_order": "200000",
}


def test_setup_through_the_api(api):
    program = api.post(
        "/api/loyalty/programs",
        json={"name": "Poin Mitra", "amount_per_step": "10000", "product_multipliers": {"5": 2}},
    )
    assert program.status_code == 201, program.get_json()
    assert program.get_json()["product_multipliers"] == {"5": "2.0000"}
    second = api.post("/api/loyalty/programs", json={"name": "Baru"}).get_json()
    programs = api.get("/api/loyalty/programs").get_json()
    assert [p["active"] for p in programs] == [False, True]  # one active program
    patched = api.patch(f"/api/loyalty/programs/{second['id']}", json={"active": False})
    assert patched.status_code == 200
    assert patched.get_json()["name"] == "Baru"
    gold = api.post("/api/loyalty/tiers", json={"name": "Gold", "min_spend": "1000000"})
    assert gold.status_code == 201
    duplicate = api.post("/api/loyalty/tiers", json={"name": "Gold", "min_spend": "5"})
    assert duplicate.status_code == 409
    campaign = api.post(
        "/api/loyalty/campaigns",
        json={
            "name": "Ramadan",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-30",
            "multiplier": "2",
        },
    )
    assert campaign.status_code == 201
    reward = api.post("/api/loyalty/rewards", json=VOUCHER)
    assert reward.status_code == 201
    assert api.get("/api/loyalty/rewards").get_json()[0]["name"] == "Voucher Rp 25.000"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/loyalty/programs", {"name": ""}),
        ("/api/loyalty/programs", {"name": "X", "amount_per_step": "0"}),
        ("/api/loyalty/programs", {"name": "X", "amount_per_step": "abc"}),
        ("/api/loyalty/programs", {"name": "X", "product_multipliers": {"beras": "2"}}),
        ("/api/loyalty/programs", {"name": "X", "unknown": 1}),
        ("/api/loyalty/tiers", {"name": "Gold", "min_spend": "-1"}),
        (
            "/api/loyalty/campaigns",
            {"name": "C", "starts_on": "2026-03-30", "ends_on": "2026-03-01"},
        ),
        (
            "/api/loyalty/campaigns",
            {"name": "C", "starts_on": "2026-03-01", "ends_on": "2026-03-02", "scope": "product"},
        ),
        ("/api/loyalty/rewards", {**VOUCHER, "discount_percent": "5"}),
        ("/api/loyalty/rewards", {**VOUCHER, "points_cost": 0}),
        ("/api/loyalty/rewards", {"name": "Gift", "kind": "gift", "points_cost": 5}),
        ("/api/loyalty/rewards", {**VOUCHER, "kind": "cash"}),
        ("/api/loyalty/members", {"customer_id": "x"}),
        ("/api/loyalty/members", {"customer_id": 2**40}),
        ("/api/loyalty/members", {"customer_id": 5, "name": "Toko\x00"}),
        ("/api/loyalty/tiers", {"name": "Nul\x00", "min_spend": "1"}),
        ("/api/loyalty/tiers", {"name": "Huge", "min_spend": "1e30"}),
        ("/api/loyalty/tiers", {"name": "NaN", "min_spend": "NaN"}),
        ("/api/loyalty/rewards", {**VOUCHER, "discount_amount": "1e20"}),
        ("/api/loyalty/rewards", {**VOUCHER, "kind": "gift", "product_id": 2**40}),
        ("/api/loyalty/programs", {"name": ["list"]}),
        ("/api/loyalty/programs", {"name": "X", "product_multipliers": {"5": "1e9"}}),
    ],
)
def test_bad_input_is_422_with_the_envelope(api, url, body):
    response = api.post(url, json=body)
    assert response.status_code == 422, response.get_json()
    has_nul = any("\x00" in str(value) for value in body.values())
    assert response.get_json()["error"]["code"] == ("control_character" if has_nul else "invalid")


def test_unknown_records_and_odd_queries(api):
    assert api.get("/api/loyalty/rewards/999").status_code == 404
    assert api.patch("/api/loyalty/tiers/999", json={"name": "X"}).status_code == 404
    assert api.get("/api/loyalty/members/99999999999").status_code == 404
    assert api.get("/api/loyalty/members?q=%00").status_code == 422
    assert api.get("/api/loyalty/reports/top?limit=1000").status_code == 422
    not_json = api.post("/api/loyalty/programs", data="not json")
    assert not_json.status_code == 400
    assert not_json.get_json()["error"]["code"] == "invalid_json"


def test_member_ledger_and_adjust(api, db, owner):
    member = api.post("/api/loyalty/members", json={"customer_id": 7, "name": "Toko A"})
    assert member.status_code == 201
    member_id = member.get_json()["id"]
    assert api.post("/api/loyalty/members", json={"customer_id": 7}).status_code == 409
    adjusted = api.post(
        f"/api/loyalty/members/{member_id}/adjust", json={"points": 300, "reason": "Bonus"}
    )
    assert adjusted.status_code == 201
    assert adjusted.get_json()["actor"].endswith("owner@toko.id")
    for body in ({"points": 0, "reason": "x"}, {"points": 5}, {"points": 5, "reason": ""}):
        assert api.post(f"/api/loyalty/members/{member_id}/adjust", json=body).status_code == 422
    assert (
        api.post("/api/loyalty/members/999/adjust", json={"points": 1, "reason": "x"}).status_code
        == 404
    )
    detail = api.get(f"/api/loyalty/members/{member_id}").get_json()
    assert detail["member"]["balance"] == 300
    assert detail["expiring"][0]["points"] == 300
    ledger_rows = api.get(f"/api/loyalty/members/{member_id}/ledger")
    assert ledger_rows.get_json()[0]["reason"] == "Bonus"
    assert "X-Pagination" in ledger_rows.headers
    summary = api.get("/api/loyalty/reports/summary").get_json()
    assert summary["points"]["issued"] == 300
    assert summary["value"]["outstanding"] == "30000.00"
    assert api.get("/api/loyalty/reports/top").get_json() == []  # adjustments are not earnings
    assert api.get("/api/loyalty/reports/summary?start=nope").status_code == 422


def test_permissions(app, db, make_user, api_as):
    cashier = api_as(make_user("cashier"))
    retailer = api_as(make_user("retailer", phone="0811"))
    assert cashier.get("/api/loyalty/members").status_code == 200
    assert cashier.post("/api/loyalty/programs", json={"name": "X"}).status_code == 403
    assert (
        cashier.post("/api/loyalty/members/1/adjust", json={"points": 1, "reason": "x"}).status_code
        == 403
    )
    assert retailer.get("/api/loyalty/members").status_code == 403
    assert retailer.get("/api/loyalty/me").status_code == 404  # not a member yet
    anonymous = app.test_client()
    assert anonymous.get("/api/loyalty/members").status_code == 401


def test_retailer_redeems_for_themselves(app, db, make_user, api_as, api):
    user = make_user("retailer", phone="0812")
    member = ledger.member_for_customer(db, 9, "Toko B")
    member.user_id = user.id
    ledger.adjust(db, member, 1000, "Opening")
    db.commit()
    reward_id = api.post("/api/loyalty/rewards", json=VOUCHER).get_json()["id"]
    retailer = api_as(user)
    assert retailer.get("/api/loyalty/me").get_json()["member"]["balance"] == 1000
    assert retailer.get("/api/loyalty/me/catalogue").get_json()[0]["id"] == reward_id
    redeemed = retailer.post("/api/loyalty/me/redemptions", json={"reward_id": reward_id})
    assert redeemed.status_code == 201
    assert redeemed.get_json()["code"].startswith("LV")
    assert retailer.post("/api/loyalty/me/redemptions", json={"reward_id": 999}).status_code == 404
    assert retailer.post("/api/loyalty/me/redemptions", json={}).status_code == 422
    mine = retailer.get("/api/loyalty/me/redemptions").get_json()
    assert [r["status"] for r in mine] == ["available"]
    assert retailer.get("/api/loyalty/me/ledger").get_json()[0]["kind"] == "redeem"


def test_admin_pages(logged_in, db):
    member = ledger.member_for_customer(db, 7, "Toko Sumber Rejeki")
    ledger.adjust(db, member, 120, "Opening")
    db.commit()
    assert "Rp 12.000" in logged_in.get("/admin/loyalty/").get_data(as_text=True)
    for kind in ("program", "tier", "campaign", "reward"):
        assert logged_in.get(f"/admin/loyalty/setup/{kind}").status_code == 200
    assert logged_in.get("/admin/loyalty/setup/nope").status_code == 404
    token = csrf_token(logged_in, "/admin/loyalty/setup/tier")
    saved = logged_in.post(
        "/admin/loyalty/setup/tier",
        data={"csrf_token": token, "name": "Gold", "min_spend": "1.000.000", "multiplier": "1,5"},
    )
    assert saved.status_code == 302
    bad = logged_in.post(
        "/admin/loyalty/setup/program",
        data={"csrf_token": token, "name": "X", "amount_per_step": "-5"},
    )
    assert bad.status_code == 422
    page = logged_in.get(f"/admin/loyalty/members/{member.id}").get_data(as_text=True)
    assert "Opening" in page
    adjusted = logged_in.post(
        f"/admin/loyalty/members/{member.id}/adjust",
        data={"csrf_token": token, "points": "-20", "reason": "Correction"},
    )
    assert adjusted.status_code == 302
    refused = logged_in.post(
        f"/admin/loyalty/members/{member.id}/adjust",
        data={"csrf_token": token, "points": "abc", "reason": ""},
    )
    assert refused.status_code == 422
    db.expire_all()
    assert db.get(Member, member.id).balance == 100
    assert "Toko" in logged_in.get("/admin/loyalty/members?q=toko").get_data(as_text=True)


def test_portal_pages(app, db, make_user, api):
    user = make_user("retailer", phone="0813")
    member = ledger.member_for_customer(db, 9, "Toko B")
    member.user_id = user.id
    ledger.adjust(db, member, 300, "Opening")
    db.commit()
    reward_id = api.post("/api/loyalty/rewards", json=VOUCHER).get_json()["id"]
    client = app.test_client()
    login(client, user)
    home = client.get("/portal/loyalty/")
    assert home.status_code == 200
    assert "300" in home.get_data(as_text=True)
    catalogue = client.get("/portal/loyalty/catalogue").get_data(as_text=True)
    assert "Voucher Rp 25.000" in catalogue
    token = csrf_token(client, "/portal/loyalty/catalogue")
    done = client.post("/portal/loyalty/redeem", data={"csrf_token": token, "reward_id": reward_id})
    assert done.status_code == 303
    assert "LV" in client.get("/portal/loyalty/").get_data(as_text=True)
    again = client.post(
        "/portal/loyalty/redeem", data={"csrf_token": token, "reward_id": reward_id}
    )
    assert again.status_code == 303  # refused with a message: 50 points left
    db.expire_all()
    assert db.scalars(sa.select(Member.balance)).one() == 50


def test_disabled_plugin_answers_404(api, db):
    from niaga import lifecycle
    from niaga.runtime import forget_enabled_plugins, niaga

    lifecycle.disable(db, niaga().host, "loyalty")
    db.commit()
    forget_enabled_plugins()
    assert api.get("/api/loyalty/members").status_code == 404


def test_a_retried_redemption_is_recorded_once(api, db):
    member = ledger.member_for_customer(db, 7, "Toko A")
    ledger.adjust(db, member, 1000, "Opening")
    db.commit()
    reward_id = api.post("/api/loyalty/rewards", json=VOUCHER).get_json()["id"]
    url = f"/api/loyalty/members/{member.id}/redemptions"
    headers = {"Idempotency-Key": "redeem-1"}
    first = api.post(url, json={"reward_id": reward_id}, headers=headers)
    again = api.post(url, json={"reward_id": reward_id}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["code"] == again.get_json()["code"]
    db.expire_all()
    assert db.get(Member, member.id).balance == 750


def test_check_finds_a_balance_that_disagrees_with_the_ledger(db):
    member = ledger.member_for_customer(db, 7, "Toko A")
    ledger.adjust(db, member, 100, "Opening")
    db.commit()
    assert ledger.problems(db) == []
    db.execute(sa.update(Member).values(balance=150))
    db.commit()
    found = ledger.problems(db)
    assert any("balance 150 but ledger says 100" in problem for problem in found)


def test_demo_data_loads_once(db):
    from niaga_loyalty import demo
    from niaga_loyalty.models import Program, Reward, Tier

    for _ in range(2):
        demo.load(db)
        db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(Program)) == 1
    assert db.scalars(sa.select(Tier.name).order_by(Tier.min_spend)).all() == [
        "Silver",
        "Gold",
        "Platinum",
    ]
    assert db.scalar(sa.select(sa.func.count()).select_from(Reward)) >= 2
