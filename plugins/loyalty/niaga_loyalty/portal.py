"""Retailer portal pages under ``/portal/loyalty/``: balance, tier, history, what expires
when, vouchers, and the reward catalogue with redemption."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for

from niaga.auth import check, require
from niaga.db import session, transaction
from niaga.errors import NiagaError
from niaga.i18n import gettext
from niaga_loyalty import ledger, members, rewards
from niaga_loyalty.models import Member
from niaga_loyalty.schemas import LoyaltyRedeemSchema

bp = Blueprint("loyalty_portal", __name__, template_folder="templates")


def _me() -> Member:
    who = check("loyalty.redeem")
    with transaction() as db:
        return members.for_user(db, who.user.id)


@bp.get("/")
@require("loyalty.redeem")
def index() -> Any:
    db = session()
    member = _me()
    return render_template(
        "loyalty/portal_index.html",
        overview=members.overview(db, member),
        entries=db.scalars(ledger.history(db, member).limit(100)).all(),
        redemptions=db.scalars(rewards.redemptions(db, member).limit(50)).all(),
    )


@bp.get("/catalogue")
@require("loyalty.redeem")
def catalogue() -> Any:
    member = _me()
    rows = session().scalars(rewards.catalogue(session())).all()
    return render_template("loyalty/portal_catalogue.html", member=member, rewards=rows)


@bp.post("/redeem")
@require("loyalty.redeem")
def redeem() -> Any:
    member = _me()
    try:
        data = LoyaltyRedeemSchema().load({"reward_id": request.form.get("reward_id", "")})
        with transaction() as db:
            redemption = rewards.redeem(db, db.get(Member, member.id), data["reward_id"])
    except ma.ValidationError:
        flash(gettext("Choose a reward from the catalogue"), "error")
        return redirect(url_for(".catalogue")), 303
    except NiagaError as exc:
        flash(exc.message(), "error")
        return redirect(url_for(".catalogue")), 303
    flash(
        gettext(
            "Redeemed {reward}; your code is {code}",
            reward=redemption.reward.name,
            code=redemption.code,
        ),
        "ok",
    )
    return redirect(url_for(".index")), 303
