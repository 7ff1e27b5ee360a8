"""``niaga loyalty ...``: the expiry run, listings (``--json``) and reports."""

from __future__ import annotations

import json
from typing import Any

import click
import marshmallow as ma

from niaga.clock import shop_date
from niaga.db import committed, session
from niaga.l10n import format_day, format_money
from niaga_loyalty import expiry, ledger, members, programs, reports, rewards
from niaga_loyalty.schemas import (
    LoyaltyEntrySchema,
    LoyaltyMemberSchema,
    LoyaltyRewardSchema,
    LoyaltySummarySchema,
    LoyaltyTopMemberSchema,
)

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _echo(rows: list[dict[str, Any]], as_json: bool, columns: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    for row in rows:
        click.echo("  ".join(str(row.get(column, "")) for column in columns))


def _dump(schema: ma.Schema, rows: Any) -> list[dict[str, Any]]:
    return schema.dump(rows, many=True)


@click.group("loyalty")
def loyalty() -> None:
    """Loyalty points: expiry, members, rewards, reports."""


@loyalty.command("expire")
@JSON_OPTION
def expire(as_json: bool) -> None:
    """Expire points past their date (oldest first) and refresh tiers."""
    result = committed(expiry.run(session()))
    if as_json:
        click.echo(json.dumps(result))
    else:
        click.echo(
            f"{result['expired_points']} points expired in {result['expired_rows']} rows; "
            f"{result['tier_changes']} tier changes"
        )


@loyalty.command("members")
@click.option("--search", default="", help="Part of the name.")
@JSON_OPTION
def members_command(search: str, as_json: bool) -> None:
    """List members, largest balance first."""
    rows = session().scalars(members.listing(session(), search)).all()
    _echo(
        _dump(LoyaltyMemberSchema(), rows),
        as_json,
        ["id", "customer_id", "name", "tier", "balance"],
    )


@loyalty.command("ledger")
@click.argument("member_id", type=int)
@JSON_OPTION
def ledger_command(member_id: int, as_json: bool) -> None:
    """Show a member's points ledger, newest first."""
    member = ledger.get_member(session(), member_id)
    rows = session().scalars(ledger.history(session(), member)).all()
    columns = ["occurred_at", "kind", "points", "reference", "reason"]
    dumped = _dump(LoyaltyEntrySchema(), rows)
    if not as_json:  # people read the shop's business day, not a UTC timestamp
        for row, entry in zip(dumped, rows, strict=True):
            row["occurred_at"] = format_day(shop_date(entry.occurred_at, session()))
    _echo(dumped, as_json, columns)


@loyalty.command("rewards")
@JSON_OPTION
def rewards_command(as_json: bool) -> None:
    """List the reward catalogue."""
    rows = session().scalars(programs.listing(programs.KINDS["reward"])).all()
    _echo(
        _dump(LoyaltyRewardSchema(), rows), as_json, ["id", "kind", "points_cost", "name", "active"]
    )


@loyalty.command("redemptions")
@JSON_OPTION
def redemptions_command(as_json: bool) -> None:
    """List redemptions, newest first."""
    rows = session().scalars(rewards.redemptions(session()).limit(500)).all()
    _echo(
        [
            {
                "id": r.id,
                "member_id": r.member_id,
                "reward": r.reward.name,
                "code": r.code,
                "points": r.points,
                "status": r.status,
                "order": r.order_reference,
            }
            for r in rows
        ],
        as_json,
        ["id", "member_id", "reward", "code", "points", "status", "order"],
    )


@loyalty.command("report")
@JSON_OPTION
def report(as_json: bool) -> None:
    """Points issued, redeemed, expired, outstanding; top retailers."""
    figures = LoyaltySummarySchema().dump(reports.summary(session()))
    top = _dump(LoyaltyTopMemberSchema(), reports.top_members(session()))
    if as_json:
        click.echo(json.dumps({"summary": figures, "top": top}, indent=2, ensure_ascii=False))
        return
    for name, points in figures["points"].items():
        click.echo(f"{name}: {points} points ({format_money(figures['value'][name])})")
    click.echo("top retailers:")
    for row in top:
        row["spend"] = format_money(row["spend"])
    _echo(top, False, ["member_id", "name", "points", "spend"])
