"""REST API under ``/api/loyalty/``: set-up (programs, tiers, campaigns, rewards), members
and their ledger, redemptions (staff on behalf of a member, or a retailer for themselves
under ``/me``), the expiry run and reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.views import MethodView

from niaga.api import Blueprint, Page
from niaga.auth import check, require
from niaga.clock import shop_tz
from niaga.db import committed, session
from niaga.errors import Conflict
from niaga_loyalty import expiry, ledger, members, programs, reports, rewards
from niaga_loyalty.models import Member
from niaga_loyalty.schemas import (
    LoyaltyAdjustSchema,
    LoyaltyCampaignSchema,
    LoyaltyEntrySchema,
    LoyaltyExpireResultSchema,
    LoyaltyMemberDetailSchema,
    LoyaltyMemberLinkSchema,
    LoyaltyMemberSchema,
    LoyaltyPeriodSchema,
    LoyaltyProgramSchema,
    LoyaltyRedeemSchema,
    LoyaltyRedemptionSchema,
    LoyaltyRewardSchema,
    LoyaltySearchSchema,
    LoyaltySummarySchema,
    LoyaltyTierSchema,
    LoyaltyTopMemberSchema,
)

bp = Blueprint("loyalty", __name__, description="Loyalty points, rewards and reports")


def _setup_resource(path: str, kind: str, schema: type[Any]) -> None:
    """List/create at ``/<path>`` and read/change/delete at ``/<path>/<id>`` for one kind
    of set-up record."""
    model = programs.KINDS[kind]
    # Its own class, so the OpenAPI document names the partial (PATCH) schema apart.
    patch_schema = type(schema.__name__.replace("Schema", "PatchSchema"), (schema,), {})

    class Collection(MethodView):
        @bp.response(200, schema(many=True))
        @bp.paginate(Page)
        @require("loyalty.view")
        def get(self) -> Any:
            return programs.listing(model)

        @bp.arguments(schema)
        @bp.response(201, schema)
        @require("loyalty.manage")
        def post(self, data: dict[str, Any]) -> Any:
            return committed(programs.save(session(), model(), data))

    class Item(MethodView):
        @bp.response(200, schema)
        @require("loyalty.view")
        def get(self, ident: int) -> Any:
            return programs.get(session(), model, ident)

        @bp.arguments(patch_schema(partial=True))
        @bp.response(200, schema)
        @require("loyalty.manage")
        def patch(self, data: dict[str, Any], ident: int) -> Any:
            return committed(programs.save(session(), programs.get(session(), model, ident), data))

        @bp.response(204)
        @require("loyalty.manage")
        def delete(self, ident: int) -> None:
            record = programs.get(session(), model, ident)
            if kind != "tier":
                raise Conflict("Switch it off (active: false) instead; history refers to it")
            committed(programs.delete_tier(session(), record))

    bp.route(f"/{path}", endpoint=f"{kind}s")(Collection)
    bp.route(f"/{path}/<int:ident>", endpoint=kind)(Item)


_setup_resource("programs", "program", LoyaltyProgramSchema)
_setup_resource("tiers", "tier", LoyaltyTierSchema)
_setup_resource("campaigns", "campaign", LoyaltyCampaignSchema)
_setup_resource("rewards", "reward", LoyaltyRewardSchema)


@bp.route("/members")
class Members(MethodView):
    @bp.arguments(LoyaltySearchSchema, location="query")
    @bp.response(200, LoyaltyMemberSchema(many=True))
    @bp.paginate(Page)
    @require("loyalty.view")
    def get(self, query: dict[str, Any]) -> Any:
        return members.listing(session(), query["q"])

    @bp.arguments(LoyaltyMemberSchema)
    @bp.response(201, LoyaltyMemberSchema)
    @require("loyalty.manage")
    def post(self, data: dict[str, Any]) -> Any:
        db = session()
        if db.query(Member.id).filter_by(customer_id=data["customer_id"]).first():
            raise Conflict("Customer {id} is already a member", id=data["customer_id"])
        member = ledger.member_for_customer(db, data["customer_id"], data["name"])
        return committed(members.link_user(db, member, data["user_id"]))


@bp.route("/members/<int:member_id>")
class MemberDetail(MethodView):
    @bp.response(200, LoyaltyMemberDetailSchema)
    @require("loyalty.view")
    def get(self, member_id: int) -> Any:
        return members.overview(session(), ledger.get_member(session(), member_id))

    @bp.arguments(LoyaltyMemberLinkSchema)
    @bp.response(200, LoyaltyMemberSchema)
    @require("loyalty.manage")
    def patch(self, data: dict[str, Any], member_id: int) -> Any:
        return committed(
            members.link_user(session(), ledger.get_member(session(), member_id), data["user_id"])
        )


@bp.route("/members/<int:member_id>/ledger")
class MemberLedger(MethodView):
    @bp.response(200, LoyaltyEntrySchema(many=True))
    @bp.paginate(Page)
    @require("loyalty.view")
    def get(self, member_id: int) -> Any:
        return ledger.history(session(), ledger.get_member(session(), member_id))


@bp.route("/members/<int:member_id>/adjust")
class MemberAdjust(MethodView):
    @bp.arguments(LoyaltyAdjustSchema)
    @bp.response(201, LoyaltyEntrySchema)
    @require("loyalty.adjust")
    def post(self, data: dict[str, Any], member_id: int) -> Any:
        db = session()
        member = ledger.get_member(db, member_id)
        return committed(ledger.adjust(db, member, data["points"], data["reason"]))


@bp.route("/members/<int:member_id>/redemptions")
class MemberRedemptions(MethodView):
    @bp.response(200, LoyaltyRedemptionSchema(many=True))
    @bp.paginate(Page)
    @require("loyalty.view")
    def get(self, member_id: int) -> Any:
        return rewards.redemptions(session(), ledger.get_member(session(), member_id))

    @bp.arguments(LoyaltyRedeemSchema)
    @bp.response(201, LoyaltyRedemptionSchema)
    @require("loyalty.manage")
    def post(self, data: dict[str, Any], member_id: int) -> Any:
        return committed(
            rewards.redeem(session(), ledger.get_member(session(), member_id), data["reward_id"])
        )


def _me() -> Member:
    who = check("loyalty.redeem")
    return members.for_user(session(), who.user.id)


@bp.route("/me")
class Me(MethodView):
    @bp.response(200, LoyaltyMemberDetailSchema)
    @require("loyalty.redeem")
    def get(self) -> Any:
        return committed(members.overview(session(), _me()))


@bp.route("/me/ledger")
class MyLedger(MethodView):
    @bp.response(200, LoyaltyEntrySchema(many=True))
    @bp.paginate(Page)
    @require("loyalty.redeem")
    def get(self) -> Any:
        return ledger.history(session(), _me())


@bp.route("/me/catalogue")
class MyCatalogue(MethodView):
    @bp.response(200, LoyaltyRewardSchema(many=True))
    @bp.paginate(Page)
    @require("loyalty.redeem")
    def get(self) -> Any:
        return rewards.catalogue(session())


@bp.route("/me/redemptions")
class MyRedemptions(MethodView):
    @bp.response(200, LoyaltyRedemptionSchema(many=True))
    @bp.paginate(Page)
    @require("loyalty.redeem")
    def get(self) -> Any:
        return rewards.redemptions(session(), _me())

    @bp.arguments(LoyaltyRedeemSchema)
    @bp.response(201, LoyaltyRedemptionSchema)
    @require("loyalty.redeem")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(rewards.redeem(session(), _me(), data["reward_id"]))


@bp.route("/expire")
class Expire(MethodView):
    @bp.response(200, LoyaltyExpireResultSchema)
    @require("loyalty.manage")
    def post(self) -> Any:
        return committed(expiry.run(session()))


def _moment(day: dt.date | None) -> dt.datetime | None:
    """The start of business day ``day`` where the shop is (00:00 WIB), as an instant."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=shop_tz(session()))


def _end(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else _moment(day + dt.timedelta(days=1))


@bp.route("/reports/summary")
class Summary(MethodView):
    @bp.arguments(LoyaltyPeriodSchema, location="query")
    @bp.response(200, LoyaltySummarySchema)
    @require("loyalty.view")
    def get(self, query: dict[str, Any]) -> Any:
        return reports.summary(session(), _moment(query["start"]), _end(query["end"]))


@bp.route("/reports/top")
class Top(MethodView):
    @bp.arguments(LoyaltyPeriodSchema, location="query")
    @bp.response(200, LoyaltyTopMemberSchema(many=True))
    @require("loyalty.view")
    def get(self, query: dict[str, Any]) -> Any:
        return reports.top_members(
            session(), query["limit"], _moment(query["start"]), _end(query["end"])
        )
