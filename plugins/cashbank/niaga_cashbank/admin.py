"""Admin pages under ``/admin/cashbank/``: cash & bank overview, vouchers, accounts, journal,
posting rules, bank reconciliation and the financial reports (printable, CSV)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from niaga.actions import run_action
from niaga.auth import require
from niaga.clock import shop_today
from niaga.db import committed, session
from niaga.inputs import FormReader
from niaga_cashbank import (
    chart,
    export,
    journal,
    ledger,
    reconcile,
    reports,
    vouchers,
    wording,
)
from niaga_cashbank.chart import ensure_books
from niaga_cashbank.models import JournalEntry, PostingRule, Voucher, VoucherCategory
from niaga_cashbank.notes import notes
from niaga_cashbank.reports import Period, month_period

bp = Blueprint("cashbank_admin", __name__, template_folder="templates")


@bp.context_processor
def helpers() -> dict[str, Any]:
    # journal descriptions with codes in words and references by name (issue 21)
    return {"readable": wording.readable}


def _period() -> Period:
    """The period asked for (``?from=&to=``, ISO dates from the date pickers); by default
    the shop's current month."""
    default = month_period(shop_today(session()))
    query = FormReader(request.args)
    start = query.date("from", default=default.start)
    end = query.date("to", default=default.end)
    query.check()
    return Period(start or default.start, end or default.end)


@bp.get("/")
@require("cashbank.view")
def index():
    db = session()
    committed(ensure_books(db))
    sums = ledger.net(db)
    cash = [
        (a, ledger.natural(a, sums.get(a.id, Decimal(0))))
        for a in ledger.accounts(db, False)
        if a.cash_kind
    ]
    categories = db.scalars(
        sa.select(VoucherCategory)
        .where(VoucherCategory.archived.is_(False))
        .order_by(VoucherCategory.name)
    )
    recent = db.scalars(sa.select(Voucher).order_by(Voucher.id.desc()).limit(20))
    return render_template(
        "cashbank/index.html",
        cash=cash,
        categories=list(categories),
        vouchers=list(recent),
        today=shop_today(db),
    )


@bp.post("/vouchers")
@require("cashbank.post")
def voucher_create():
    form = FormReader(request.form)

    def work(db: Session) -> Voucher:
        values: dict[str, Any] = {
            "kind": form.text("kind", required=True, max_length=10),
            "date": form.date("date", default=shop_today(db)),
            "account_id": form.integer("account_id", required=True),
            "amount": form.money("amount", required=True, positive=True),
            "description": form.text("description", max_length=255),
            "category_id": form.integer("category_id"),
            "to_account_id": form.integer("to_account_id"),
        }
        form.check()
        return vouchers.create_voucher(db, **values)

    return run_action(work, success="Saved", then=url_for("cashbank_admin.index"))


@bp.get("/accounts")
@require("cashbank.view")
def accounts():
    db = session()
    committed(ensure_books(db))
    sums = ledger.net(db)
    rows = [(a, ledger.natural(a, sums.get(a.id, Decimal(0)))) for a in ledger.accounts(db)]
    return render_template("cashbank/accounts.html", rows=rows)


@bp.post("/accounts")
@require("cashbank.settings")
def account_save():
    form = FormReader(request.form)

    def work(db: Session) -> None:
        account_id = form.integer("id")
        data: dict[str, Any] = {
            "code": form.text("code", required=True, max_length=20),
            "name": form.text("name", required=True, max_length=120),
            "type": form.text("type", max_length=12),
            "cash_kind": form.text("cash_kind", max_length=12) or None,
            "cash_flow": form.text("cash_flow", max_length=12) or "operating",
            "archived": form.flag("archived"),
        }
        form.check()
        if account_id:
            chart.update_account(db, chart.get_account(db, account_id), **data)
        else:
            chart.create_account(db, **data)

    return run_action(work, success="Saved", then=url_for("cashbank_admin.accounts"))


@bp.get("/journal")
@require("cashbank.view")
def journal_list():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    entries = session().scalars(
        sa.select(JournalEntry)
        .order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
        .offset((page - 1) * 50)
        .limit(50)
    )
    return render_template("cashbank/journal.html", entries=list(entries), page=page)


@bp.post("/journal/<int:entry_id>/reverse")
@require("cashbank.post")
def journal_reverse(entry_id: int):
    form = FormReader(request.form)

    def work(db: Session) -> None:
        reason = form.text("reason", max_length=120)
        form.check()
        journal.reverse(db, journal.get_entry(db, entry_id), None, reason)

    return run_action(work, success="Reversed", then=url_for("cashbank_admin.journal_list"))


@bp.get("/rules")
@require("cashbank.view")
def rules():
    committed(ensure_books(session()))
    rows = session().scalars(sa.select(PostingRule).order_by(PostingRule.event, PostingRule.slot))
    return render_template(
        "cashbank/rules.html", rules=list(rows), accounts=ledger.accounts(session(), False)
    )


@bp.post("/rules")
@require("cashbank.settings")
def rule_save():
    form = FormReader(request.form)

    def work(db: Session) -> None:
        event, slot = form.text("event", required=True), form.text("slot", required=True)
        code = form.text("account_code", required=True, max_length=20)
        form.check()
        journal.set_rule(db, event, slot, code)

    return run_action(work, success="Saved", then=url_for("cashbank_admin.rules"))


@bp.route("/reconcile/<int:account_id>", methods=["GET", "POST"])
@require("cashbank.view")
def reconciliation(account_id: int):
    db = session()
    account = vouchers.cash_account(db, account_id)
    if request.method == "POST":
        from niaga.auth import check

        check("cashbank.post")
        return _reconcile_action(account.id)
    return render_template(
        "cashbank/reconcile.html",
        account=account,
        mapping=reconcile.get_mapping(db, account),
        statement=reconcile.unmatched_statement_lines(db, account),
        books=reconcile.unmatched_journal_lines(db, account),
    )


def _reconcile_action(account_id: int) -> Any:
    form = FormReader(request.form)
    action = form.raw("action")
    here = url_for("cashbank_admin.reconciliation", account_id=account_id)
    if action == "mapping":

        def save(db: Session) -> None:
            keys = [k for k in reconcile.DEFAULT_MAPPING if k != "decimal_comma"]
            mapping: dict[str, Any] = {k: form.text(k, max_length=60) for k in keys}
            mapping["decimal_comma"] = form.flag("decimal_comma")
            form.check()
            reconcile.save_mapping(db, vouchers.cash_account(db, account_id), mapping)

        return run_action(save, success="Saved", then=here)
    if action == "import":
        upload = request.files.get("file")

        def load(db: Session) -> list[Any]:
            text = reconcile.decode_upload(upload.read()) if upload else form.raw("csv")
            return reconcile.import_statement(db, account_id, text)

        return run_action(load, success="Imported", then=here)
    if action == "auto":
        return run_action(
            lambda db: reconcile.auto_match(db, account_id), success="Matched", then=here
        )
    if action == "match":

        def pair(db: Session) -> None:
            statement_line = form.integer("statement_line_id", required=True)
            journal_line = form.integer("journal_line_id", required=True)
            form.check()
            reconcile.match(db, statement_line or 0, journal_line or 0)

        return run_action(pair, success="Matched", then=here)
    return redirect(here)


@bp.get("/reports")
@require("cashbank.reports")
def reports_index():
    period = _period()
    return render_template(
        "cashbank/reports.html",
        period=period,
        names=reports.REPORTS,
        accounts=ledger.accounts(session()),
    )


@bp.get("/reports/<name>")
@require("cashbank.reports")
def report(name: str):
    period = _period()
    result = reports.build(session(), name, period, request.args.get("compare", "1") != "0")
    return _render_report(result, period)


@bp.get("/ledger/<int:account_id>")
@require("cashbank.reports")
def general_ledger(account_id: int):
    period = _period()
    result = reports.general_ledger(session(), chart.get_account(session(), account_id), period)
    return _render_report(result, period)


def _render_report(result: reports.Report, period: Period) -> Any:
    if request.args.get("format") == "csv":
        return Response(
            export.report_csv(result),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{result.key}.csv"'},
        )
    return render_template("cashbank/report.html", report=result, period=period, npwp=_shop_npwp())


def _shop_npwp() -> str:
    """The shop's NPWP as people write it, for the statements' heading ("" when none)."""
    from niaga import settings
    from niaga.tax_ids import format_npwp

    return format_npwp(settings.get_stored(session(), "core.npwp", "") or None)


@bp.get("/notes")
@require("cashbank.reports")
def notes_page():
    period = _period()
    return render_template("cashbank/notes.html", sections=notes(session(), period), period=period)


@bp.get("/export")
@require("cashbank.reports")
def export_journal():
    fmt = request.args.get("format", "beancount")
    if fmt == "csv":
        return Response(
            export.journal_csv(session()),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="jurnal.csv"'},
        )
    return Response(
        export.beancount(session()),
        mimetype="text/plain",
        headers={"Content-Disposition": 'attachment; filename="jurnal.beancount"'},
    )
