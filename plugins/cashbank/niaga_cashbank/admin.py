"""Admin pages under ``/admin/cashbank/``: cash & bank overview, vouchers, accounts, journal,
posting rules, bank reconciliation and the financial reports (printable, CSV)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from niaga.auth import require
from niaga.db import session
from niaga.errors import Invalid, NiagaError
from niaga.i18n import gettext
from niaga_cashbank import chart, export, journal, ledger, reconcile, reports, vouchers
from niaga_cashbank.chart import ensure_books
from niaga_cashbank.models import JournalEntry, PostingRule, Voucher, VoucherCategory
from niaga_cashbank.notes import notes
from niaga_cashbank.reports import Period, month_period

bp = Blueprint("cashbank_admin", __name__, template_folder="templates")


def _date(name: str, default: dt.date) -> dt.date:
    text = request.values.get(name, "")
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        raise Invalid("{value} is not a date (YYYY-MM-DD)", value=text) from None


def _period() -> Period:
    default = month_period(dt.date.today())
    return Period(_date("from", default.start), _date("to", default.end))


def _amount(name: str) -> Decimal:
    try:
        return Decimal(request.form.get(name, "").replace(".", "").replace(",", "."))
    except InvalidOperation:
        raise Invalid("Enter the amount as a number") from None


def _int(name: str) -> int | None:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() else None


def _attempt(action: Any, success: str) -> None:
    """Run a form's action; commit and flash success, or roll back and flash the error."""
    try:
        action()
        session().commit()
        flash(gettext(success), "success")
    except NiagaError as exc:
        session().rollback()
        flash(exc.message(), "error")


@bp.get("/")
@require("cashbank.view")
def index():  # noqa: ANN201
    db = session()
    ensure_books(db)
    db.commit()
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
        today=dt.date.today(),
    )


@bp.post("/vouchers")
@require("cashbank.post")
def voucher_create():  # noqa: ANN201
    def action() -> None:
        vouchers.create_voucher(
            session(),
            kind=request.form.get("kind", ""),
            date=_date("date", dt.date.today()),
            account_id=_int("account_id") or 0,
            amount=_amount("amount"),
            description=request.form.get("description", "")[:255],
            category_id=_int("category_id"),
            to_account_id=_int("to_account_id"),
        )

    _attempt(action, "Saved")
    return redirect(url_for("cashbank_admin.index"))


@bp.get("/accounts")
@require("cashbank.view")
def accounts():  # noqa: ANN201
    db = session()
    ensure_books(db)
    db.commit()
    sums = ledger.net(db)
    rows = [(a, ledger.natural(a, sums.get(a.id, Decimal(0)))) for a in ledger.accounts(db)]
    return render_template("cashbank/accounts.html", rows=rows)


@bp.post("/accounts")
@require("cashbank.settings")
def account_save():  # noqa: ANN201
    form = request.form
    account_id = _int("id")

    def action() -> None:
        data: dict[str, Any] = {
            "code": form.get("code", "").strip(),
            "name": form.get("name", "").strip(),
            "type": form.get("type", ""),
            "cash_kind": form.get("cash_kind") or None,
            "cash_flow": form.get("cash_flow", "operating"),
            "archived": bool(form.get("archived")),
        }
        if not data["code"] or not data["name"]:
            raise Invalid("Code and name are required")
        if account_id:
            chart.update_account(session(), chart.get_account(session(), account_id), **data)
        else:
            chart.create_account(session(), **data)

    _attempt(action, "Saved")
    return redirect(url_for("cashbank_admin.accounts"))


@bp.get("/journal")
@require("cashbank.view")
def journal_list():  # noqa: ANN201
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
def journal_reverse(entry_id: int):  # noqa: ANN201
    _attempt(
        lambda: journal.reverse(
            session(), journal.get_entry(session(), entry_id), None, request.form.get("reason", "")
        ),
        "Reversed",
    )
    return redirect(url_for("cashbank_admin.journal_list"))


@bp.get("/rules")
@require("cashbank.view")
def rules():  # noqa: ANN201
    ensure_books(session())
    session().commit()
    rows = session().scalars(sa.select(PostingRule).order_by(PostingRule.event, PostingRule.slot))
    return render_template(
        "cashbank/rules.html", rules=list(rows), accounts=ledger.accounts(session(), False)
    )


@bp.post("/rules")
@require("cashbank.settings")
def rule_save():  # noqa: ANN201
    form = request.form
    _attempt(
        lambda: journal.set_rule(
            session(), form.get("event", ""), form.get("slot", ""), form.get("account_code", "")
        ),
        "Saved",
    )
    return redirect(url_for("cashbank_admin.rules"))


@bp.route("/reconcile/<int:account_id>", methods=["GET", "POST"])
@require("cashbank.view")
def reconciliation(account_id: int):  # noqa: ANN201
    db = session()
    account = vouchers.cash_account(db, account_id)
    if request.method == "POST":
        from niaga.auth import check

        check("cashbank.post")
        action = request.form.get("action")
        if action == "mapping":
            keys = [k for k in reconcile.DEFAULT_MAPPING if k != "decimal_comma"]
            mapping: dict[str, Any] = {k: request.form.get(k, "") for k in keys}
            mapping["decimal_comma"] = bool(request.form.get("decimal_comma"))
            _attempt(lambda: reconcile.save_mapping(db, account, mapping), "Saved")
        elif action == "import":
            upload = request.files.get("file")
            text = upload.read().decode("utf-8-sig") if upload else request.form.get("csv", "")
            _attempt(lambda: reconcile.import_statement(db, account.id, text), "Imported")
        elif action == "auto":
            _attempt(lambda: reconcile.auto_match(db, account.id), "Matched")
        elif action == "match":
            _attempt(
                lambda: reconcile.match(
                    db, _int("statement_line_id") or 0, _int("journal_line_id") or 0
                ),
                "Matched",
            )
        return redirect(url_for("cashbank_admin.reconciliation", account_id=account.id))
    return render_template(
        "cashbank/reconcile.html",
        account=account,
        mapping=reconcile.get_mapping(db, account),
        statement=reconcile.unmatched_statement_lines(db, account),
        books=reconcile.unmatched_journal_lines(db, account),
    )


@bp.get("/reports")
@require("cashbank.reports")
def reports_index():  # noqa: ANN201
    period = _period()
    return render_template(
        "cashbank/reports.html",
        period=period,
        names=reports.REPORTS,
        accounts=ledger.accounts(session()),
    )


@bp.get("/reports/<name>")
@require("cashbank.reports")
def report(name: str):  # noqa: ANN201
    period = _period()
    result = reports.build(session(), name, period, request.args.get("compare", "1") != "0")
    return _render_report(result, period)


@bp.get("/ledger/<int:account_id>")
@require("cashbank.reports")
def general_ledger(account_id: int):  # noqa: ANN201
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
    return render_template("cashbank/report.html", report=result, period=period)


@bp.get("/notes")
@require("cashbank.reports")
def notes_page():  # noqa: ANN201
    period = _period()
    return render_template("cashbank/notes.html", sections=notes(session(), period), period=period)


@bp.get("/export")
@require("cashbank.reports")
def export_journal():  # noqa: ANN201
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
