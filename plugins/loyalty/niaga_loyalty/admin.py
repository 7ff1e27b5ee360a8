"""Admin pages under ``/admin/loyalty/``: overview and reports, the set-up records
(programs, tiers, campaigns, catalogue) and each member's ledger with adjustments.

Forms are validated by the same marshmallow schemas as the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from niaga import l10n
from niaga.auth import check, require
from niaga.db import session, transaction
from niaga.errors import NiagaError
from niaga.i18n import gettext, translate_field_messages
from niaga.inputs import FormReader
from niaga_loyalty import expiry, ledger, members, programs, reports, rewards
from niaga_loyalty.schemas import (
    LoyaltyAdjustSchema,
    LoyaltyCampaignSchema,
    LoyaltyProgramSchema,
    LoyaltyRewardSchema,
    LoyaltyTierSchema,
)

bp = Blueprint("loyalty_admin", __name__, template_folder="templates")


@dataclass(frozen=True)
class Field:
    """A form field: ``kind`` is text, number, date, checkbox, select or pairs (one
    ``key=value`` per line). A number (and each value of pairs) keeps ``places``
    decimals: 2 for rupiah, 4 for factors, 0 for points and ids; it is typed and shown
    the way the page's language writes numbers (``10.000`` in Indonesian)."""

    name: str
    label: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    places: int = 0
    money: bool = False


def _money(name: str, label: str) -> Field:
    return Field(name, label, "number", places=2, money=True)


def _factor(name: str, label: str, kind: str = "number") -> Field:
    return Field(name, label, kind, places=4)


@dataclass(frozen=True)
class SetupPage:
    title: str
    schema: type[ma.Schema]
    fields: tuple[Field, ...]
    columns: tuple[str, ...]


PAGES = {
    "program": SetupPage(
        "Programs",
        LoyaltyProgramSchema,
        (
            Field("name", "Name"),
            _money("amount_per_step", "Rupiah spent per step"),
            Field("points_per_step", "Points per step", "number"),
            _money("min_order", "Minimum order"),
            _factor("product_multipliers", "Product multipliers (product id=factor)", "pairs"),
            _factor("category_multipliers", "Category multipliers (category=factor)", "pairs"),
            Field("active", "Active", "checkbox"),
        ),
        ("name", "amount_per_step", "points_per_step", "min_order", "active"),
    ),
    "tier": SetupPage(
        "Tiers",
        LoyaltyTierSchema,
        (
            Field("name", "Name"),
            _money("min_spend", "Minimum rolling spend"),
            _factor("multiplier", "Earn multiplier"),
        ),
        ("name", "min_spend", "multiplier"),
    ),
    "campaign": SetupPage(
        "Campaigns",
        LoyaltyCampaignSchema,
        (
            Field("name", "Name"),
            Field("starts_on", "Starts on", "date"),
            Field("ends_on", "Ends on", "date"),
            _factor("multiplier", "Points multiplier"),
            Field("bonus_points", "Bonus points per order", "number"),
            Field("scope", "For", "select", ("everyone", "product", "category", "group")),
            Field("target", "Product id, category or group"),
            Field("active", "Active", "checkbox"),
        ),
        ("name", "starts_on", "ends_on", "multiplier", "bonus_points", "scope", "target"),
    ),
    "reward": SetupPage(
        "Reward catalogue",
        LoyaltyRewardSchema,
        (
            Field("name", "Name"),
            Field("kind", "Kind", "select", ("voucher", "gift")),
            Field("points_cost", "Points", "number"),
            _money("discount_amount", "Discount (Rp)"),
            _factor("discount_percent", "Discount (%)"),
            _money("min_order", "Minimum order"),
            Field("product_id", "Gift product id", "number"),
            _factor("quantity", "Gift quantity"),
            Field("active", "Active", "checkbox"),
        ),
        ("name", "kind", "points_cost", "discount_amount", "discount_percent", "min_order"),
    ),
}


def _page(kind: str) -> SetupPage:
    if kind not in PAGES:
        abort(404)
    return PAGES[kind]


def _typed(text: str, places: int) -> str:
    """A number typed in the page's language as the schema reads it (``10000``)."""
    value = l10n.parse_number(text, places=places)
    return "" if value is None else str(value)


def _form_data(page: SetupPage, form: MultiDict[str, str]) -> dict[str, Any]:
    """The submitted form as the schema expects it (empty optional fields left out);
    numbers are read with :func:`niaga.l10n.parse_number`, and any that cannot be read
    without guessing raise one :class:`ma.ValidationError` naming their fields."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in page.fields:
        raw = form.get(field.name, "").strip()
        try:
            if field.kind == "checkbox":
                data[field.name] = field.name in form
            elif field.kind == "pairs":
                pairs = [line.split("=", 1) for line in raw.splitlines() if line.strip()]
                data[field.name] = {
                    pair[0].strip(): _typed(pair[1], field.places) if len(pair) > 1 else ""
                    for pair in pairs
                }
            elif raw and field.kind == "number":
                data[field.name] = _typed(raw, field.places)
            elif raw:
                data[field.name] = raw
        except NiagaError as exc:
            errors.setdefault(field.name, []).append(exc.message())
    if errors:
        raise ma.ValidationError(errors)
    return data


def _form_values(page: SetupPage, record: Any) -> dict[str, Any]:
    """What the form shows for ``record``: numbers as the language writes them, so that
    saving the form unchanged stores the same values."""
    dumped = page.schema().dump(record) if record is not None else {}
    values = {}
    for field in page.fields:
        value = dumped.get(field.name)
        if field.kind == "pairs":
            value = "\n".join(
                f"{k}={l10n.number_for_input(v, field.places)}" for k, v in (value or {}).items()
            )
        elif field.kind == "checkbox":
            value = True if record is None else bool(value)
        elif field.kind == "number" and value is not None:
            value = l10n.number_for_input(value, field.places)
        values[field.name] = "" if value is None else value
    return values


def _shown(page: SetupPage, row: dict[str, Any]) -> dict[str, Any]:
    """A listed record with its numbers and dates as people read them."""
    shown = dict(row)
    for field in page.fields:
        value = row.get(field.name)
        if value is None or value == "":
            continue
        if field.money:
            shown[field.name] = l10n.format_money(value)
        elif field.kind == "number":
            shown[field.name] = l10n.format_quantity(value)
        elif field.kind == "date":
            shown[field.name] = l10n.format_day(dt.date.fromisoformat(str(value)))
    return shown


def _render_setup(kind: str, record: Any, values: dict[str, Any], errors: Any, status: int) -> Any:
    page = _page(kind)
    rows = session().scalars(programs.listing(programs.KINDS[kind])).all()
    return (
        render_template(
            "loyalty/setup.html",
            kind=kind,
            page=page,
            rows=[_shown(page, page.schema().dump(r)) for r in rows],
            record=record,
            values=values,
            errors=errors or {},
        ),
        status,
    )


@bp.get("/")
@require("loyalty.view")
def index() -> Any:
    db = session()
    return render_template(
        "loyalty/index.html",
        summary=reports.summary(db),
        top=reports.top_members(db),
        pages=PAGES,
    )


@bp.post("/expire")
@require("loyalty.manage")
def expire() -> Any:
    with transaction() as db:
        result = expiry.run(db)
    flash(gettext("{points} points expired", points=result["expired_points"]), "ok")
    return redirect(url_for(".index"))


@bp.route("/setup/<kind>", methods=["GET", "POST"])
@bp.route("/setup/<kind>/<int:ident>", methods=["GET", "POST"])
@require("loyalty.view")
def setup(kind: str, ident: int | None = None) -> Any:
    page = _page(kind)
    model = programs.KINDS[kind]
    record = programs.get(session(), model, ident) if ident else None
    if request.method == "GET":
        return _render_setup(kind, record, _form_values(page, record), None, 200)
    check("loyalty.manage")
    try:
        loaded = page.schema().load(_form_data(page, request.form))
        with transaction() as db:
            programs.save(db, record or model(), loaded)
    except ma.ValidationError as exc:
        errors = translate_field_messages(exc.messages)
        return _render_setup(kind, record, request.form.to_dict(), errors, 422)
    except NiagaError as exc:
        flash(exc.message(), "error")
        errors = exc.field_messages()
        return _render_setup(kind, record, request.form.to_dict(), errors, exc.status)
    flash(gettext("Saved"), "ok")
    return redirect(url_for(".setup", kind=kind))


@bp.get("/members")
@require("loyalty.view")
def member_list() -> Any:
    query = request.args.get("q", "")[:100]
    rows = session().scalars(members.listing(session(), query).limit(200)).all()
    return render_template("loyalty/members.html", members=rows, q=query)


def _render_member(member_id: int, status: int = 200, errors: Any = None) -> Any:
    db = session()
    member = ledger.get_member(db, member_id)
    return (
        render_template(
            "loyalty/member.html",
            overview=members.overview(db, member),
            entries=db.scalars(ledger.history(db, member).limit(200)).all(),
            redemptions=db.scalars(rewards.redemptions(db, member).limit(50)).all(),
            errors=errors or {},
        ),
        status,
    )


@bp.get("/members/<int:member_id>")
@require("loyalty.view")
def member(member_id: int) -> Any:
    return _render_member(member_id)


@bp.post("/members/<int:member_id>/adjust")
@require("loyalty.adjust")
def adjust(member_id: int) -> Any:
    form = FormReader(request.form)
    points = form.integer("points", required=True)
    try:
        form.check()
        data = LoyaltyAdjustSchema().load({"points": points, "reason": form.raw("reason")})
        with transaction() as db:
            ledger.adjust(db, ledger.get_member(db, member_id), data["points"], data["reason"])
    except ma.ValidationError as exc:
        return _render_member(member_id, 422, translate_field_messages(exc.messages))
    except NiagaError as exc:
        errors = translate_field_messages(exc.fields) or {"points": [exc.message()]}
        return _render_member(member_id, exc.status, errors)
    flash(gettext("Points adjusted"), "ok")
    return redirect(url_for(".member", member_id=member_id))
