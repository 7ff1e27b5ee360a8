"""REST API under ``/api/cashbank/``: accounts, journal, posting rules, vouchers, bank
reconciliation, reports and exports."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import Response
from flask.views import MethodView

from niaga.api import Blueprint, Page, Schema, file_download
from niaga.auth import require
from niaga.clock import shop_today
from niaga.db import committed, session
from niaga.errors import Invalid
from niaga.fields import Date as DateField
from niaga.fields import Decimal as DecimalField
from niaga_cashbank import chart, export, journal, reconcile, reports, vouchers
from niaga_cashbank.chart import ensure_books
from niaga_cashbank.models import (
    ACCOUNT_TYPES,
    CASH_FLOW_CLASSES,
    CASH_KINDS,
    VOUCHER_KINDS,
    Account,
    JournalEntry,
    PostingRule,
    Voucher,
    VoucherCategory,
)
from niaga_cashbank.reports import Period, month_period

#: The documented answer of a report: JSON, or CSV with ``format=csv``.
REPORT_ANSWER = {
    "200": {
        "description": "The report as JSON, or as CSV with `format=csv`",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            **file_download("text/csv")["content"],
        },
    }
}

bp = Blueprint("cashbank", __name__, description="Cash & bank: books and financial statements")

Amount = DecimalField(places=2, as_string=True, required=True)


class CashbankAccountSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9A-Za-z.-]{1,20}$"))
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(ACCOUNT_TYPES))
    cash_kind = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(CASH_KINDS))
    cash_flow = ma.fields.String(validate=ma.validate.OneOf(CASH_FLOW_CLASSES))
    description = ma.fields.String(validate=ma.validate.Length(0, 255))
    archived = ma.fields.Boolean()


class CashbankAccountUpdateSchema(CashbankAccountSchema):
    code = ma.fields.String(validate=ma.validate.Regexp(r"^[0-9A-Za-z.-]{1,20}$"))
    name = ma.fields.String(validate=ma.validate.Length(1, 120))
    type = ma.fields.String(validate=ma.validate.OneOf(ACCOUNT_TYPES))


class CashbankLineSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    account_code = ma.fields.String(required=True)
    debit = DecimalField(places=2, as_string=True, load_default=0, validate=ma.validate.Range(0))
    credit = DecimalField(places=2, as_string=True, load_default=0, validate=ma.validate.Range(0))
    memo = ma.fields.String(load_default="", validate=ma.validate.Length(0, 255))
    party_name = ma.fields.String(load_default="", validate=ma.validate.Length(0, 120))
    document = ma.fields.String(load_default="", validate=ma.validate.Length(0, 80))


class CashbankEntrySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    date = DateField(required=True)
    description = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    reference = ma.fields.String(load_default="", validate=ma.validate.Length(0, 80))
    lines = ma.fields.List(
        ma.fields.Nested(CashbankLineSchema), required=True, validate=ma.validate.Length(2)
    )
    event = ma.fields.String(dump_only=True, allow_none=True)
    posted = ma.fields.Boolean(dump_only=True)
    reverses_id = ma.fields.Integer(dump_only=True, allow_none=True)
    created_by = ma.fields.String(dump_only=True)


class CashbankEntryQuery(Schema):
    date_from = DateField(data_key="from")
    date_to = DateField(data_key="to")
    reference = ma.fields.String()


class CashbankReverseSchema(Schema):
    date = DateField(load_default=None)
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(0, 120))


class CashbankRuleSchema(Schema):
    event = ma.fields.String(dump_only=True)
    slot = ma.fields.String(dump_only=True)
    account_code = ma.fields.String(required=True)
    account_name = ma.fields.String(dump_only=True)


class CashbankCategorySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 80))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(("in", "out")))
    account_code = ma.fields.String(required=True)


class CashbankVoucherSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    number = ma.fields.String(dump_only=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(VOUCHER_KINDS))
    date = DateField(required=True)
    account_id = ma.fields.Integer(required=True, attribute="cash_account_id")
    to_account_id = ma.fields.Integer(load_default=None, attribute="counter_account_id")
    category_id = ma.fields.Integer(load_default=None)
    amount = Amount
    description = ma.fields.String(load_default="", validate=ma.validate.Length(0, 255))
    entry_id = ma.fields.Integer(dump_only=True)


class CashbankLockDateSchema(Schema):
    lock_date = DateField(required=True, allow_none=True)


class CashbankMappingSchema(Schema):
    date = ma.fields.String()
    description = ma.fields.String()
    amount = ma.fields.String()
    debit = ma.fields.String()
    credit = ma.fields.String()
    date_format = ma.fields.String()
    delimiter = ma.fields.String(validate=ma.validate.Length(1, 1))
    decimal_comma = ma.fields.Boolean()


class CashbankImportSchema(Schema):
    csv = ma.fields.String(required=True, validate=ma.validate.Length(1, 2_000_000))


class CashbankMatchSchema(Schema):
    statement_line_id = ma.fields.Integer(required=True)
    journal_line_id = ma.fields.Integer(required=True)


class CashbankStatementLineSchema(Schema):
    id = ma.fields.Integer()
    date = DateField()
    description = ma.fields.String()
    amount = DecimalField(places=2, as_string=True)
    matched_line_id = ma.fields.Integer(allow_none=True)
    matched_by = ma.fields.String()


class CashbankPeriodQuery(Schema):
    date_from = DateField(data_key="from")
    date_to = DateField(data_key="to")
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv")))
    compare = ma.fields.Boolean(load_default=True)


class CashbankExportQuery(Schema):
    date_from = DateField(data_key="from")
    date_to = DateField(data_key="to")
    format = ma.fields.String(
        load_default="beancount", validate=ma.validate.OneOf(("beancount", "csv"))
    )


def period_from(query: dict[str, Any]) -> Period:
    """The period of a query; this month when not given."""
    default = month_period(shop_today(session()))
    period = Period(query.get("date_from") or default.start, query.get("date_to") or default.end)
    if period.start > period.end:
        raise Invalid("The period starts after it ends", fields={"from": ["After 'to'."]})
    return period


def entry_dict(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "date": entry.date,
        "description": entry.description,
        "reference": entry.reference,
        "event": entry.event,
        "posted": entry.posted,
        "reverses_id": entry.reverses_id,
        "created_by": entry.created_by,
        "lines": [
            {
                "id": line.id,
                "account_code": line.account.code,
                "debit": line.debit,
                "credit": line.credit,
                "memo": line.memo,
                "party_name": line.party_name,
                "document": line.document,
            }
            for line in entry.lines
        ],
    }


def _ensure_books() -> None:
    """Create the default chart on first use, and keep it."""
    committed(ensure_books(session()))


# --- accounts ------------------------------------------------------------------------------------


@bp.route("/accounts")
class Accounts(MethodView):
    @bp.response(200, CashbankAccountSchema(many=True))
    @bp.paginate(Page)
    @require("cashbank.view")
    def get(self) -> Any:
        _ensure_books()
        return sa.select(Account).order_by(Account.code)

    @bp.arguments(CashbankAccountSchema)
    @bp.response(201, CashbankAccountSchema)
    @require("cashbank.settings")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(chart.create_account(session(), **data))


@bp.route("/accounts/<int:account_id>")
class AccountItem(MethodView):
    @bp.response(200, CashbankAccountSchema)
    @require("cashbank.view")
    def get(self, account_id: int) -> Any:
        return chart.get_account(session(), account_id)

    @bp.arguments(CashbankAccountUpdateSchema)
    @bp.response(200, CashbankAccountSchema)
    @require("cashbank.settings")
    def patch(self, data: dict[str, Any], account_id: int) -> Any:
        account = chart.get_account(session(), account_id)
        return committed(chart.update_account(session(), account, **data))

    @bp.response(204)
    @require("cashbank.settings")
    def delete(self, account_id: int) -> Any:
        committed(chart.delete_account(session(), chart.get_account(session(), account_id)))


@bp.route("/accounts/<int:account_id>/ledger")
class AccountLedger(MethodView):
    @bp.arguments(CashbankPeriodQuery, location="query")
    @bp.doc(responses=REPORT_ANSWER)
    @require("cashbank.reports")
    def get(self, query: dict[str, Any], account_id: int) -> Any:
        account = chart.get_account(session(), account_id)
        return _report_response(
            reports.general_ledger(session(), account, period_from(query)), query
        )


# --- journal -------------------------------------------------------------------------------------


@bp.route("/entries")
class Entries(MethodView):
    @bp.arguments(CashbankEntryQuery, location="query")
    @bp.response(200, CashbankEntrySchema(many=True))
    @bp.paginate(Page)
    @require("cashbank.view")
    def get(self, query: dict[str, Any]) -> Any:
        statement = sa.select(JournalEntry).order_by(
            JournalEntry.date.desc(), JournalEntry.id.desc()
        )
        if query.get("date_from"):
            statement = statement.where(JournalEntry.date >= query["date_from"])
        if query.get("date_to"):
            statement = statement.where(JournalEntry.date <= query["date_to"])
        if query.get("reference"):
            statement = statement.where(JournalEntry.reference == query["reference"])
        return statement

    @bp.arguments(CashbankEntrySchema)
    @bp.response(201, CashbankEntrySchema)
    @require("cashbank.post")
    def post(self, data: dict[str, Any]) -> Any:
        db = session()
        legs = [
            journal.Leg(
                chart.account_by_code(db, line["account_code"]),
                debit=line["debit"],
                credit=line["credit"],
                memo=line["memo"],
                party_name=line["party_name"],
                document=line["document"],
            )
            for line in data["lines"]
        ]
        entry = journal.post(
            db,
            date=data["date"],
            description=data["description"],
            legs=legs,
            reference=data["reference"],
        )
        if entry is None:
            raise Invalid("An entry needs amounts")
        return committed(entry_dict(entry))


@bp.route("/entries/<int:entry_id>")
class EntryItem(MethodView):
    @bp.response(200, CashbankEntrySchema)
    @require("cashbank.view")
    def get(self, entry_id: int) -> Any:
        return entry_dict(journal.get_entry(session(), entry_id))


@bp.route("/entries/<int:entry_id>/reverse")
class EntryReverse(MethodView):
    @bp.arguments(CashbankReverseSchema)
    @bp.response(201, CashbankEntrySchema)
    @require("cashbank.post")
    def post(self, data: dict[str, Any], entry_id: int) -> Any:
        entry = journal.get_entry(session(), entry_id)
        reversal = journal.reverse(session(), entry, data["date"], data["reason"])
        return committed(entry_dict(reversal))


# --- posting rules, lock date --------------------------------------------------------------------


def rule_dict(rule: PostingRule) -> dict[str, Any]:
    return {
        "event": rule.event,
        "slot": rule.slot,
        "account_code": rule.account.code,
        "account_name": rule.account.name,
    }


@bp.route("/rules")
class Rules(MethodView):
    @bp.response(200, CashbankRuleSchema(many=True))
    @require("cashbank.view")
    def get(self) -> Any:
        _ensure_books()
        rules = session().scalars(
            sa.select(PostingRule).order_by(PostingRule.event, PostingRule.slot)
        )
        return [rule_dict(rule) for rule in rules]


@bp.route("/rules/<event>/<slot>")
class RuleItem(MethodView):
    @bp.arguments(CashbankRuleSchema)
    @bp.response(200, CashbankRuleSchema)
    @require("cashbank.settings")
    def put(self, data: dict[str, Any], event: str, slot: str) -> Any:
        return committed(rule_dict(journal.set_rule(session(), event, slot, data["account_code"])))


@bp.route("/lock-date")
class LockDate(MethodView):
    @bp.response(200, CashbankLockDateSchema)
    @require("cashbank.view")
    def get(self) -> Any:
        return {"lock_date": journal.lock_date(session())}

    @bp.arguments(CashbankLockDateSchema)
    @bp.response(200, CashbankLockDateSchema)
    @require("cashbank.settings")
    def put(self, data: dict[str, Any]) -> Any:
        journal.set_lock_date(session(), data["lock_date"])
        return committed({"lock_date": journal.lock_date(session())})


# --- vouchers ------------------------------------------------------------------------------------


@bp.route("/categories")
class Categories(MethodView):
    @bp.response(200, CashbankCategorySchema(many=True))
    @require("cashbank.view")
    def get(self) -> Any:
        _ensure_books()
        rows = session().scalars(
            sa.select(VoucherCategory).order_by(VoucherCategory.kind, VoucherCategory.name)
        )
        return [
            {"id": c.id, "name": c.name, "kind": c.kind, "account_code": c.account.code}
            for c in rows
        ]

    @bp.arguments(CashbankCategorySchema)
    @bp.response(201, CashbankCategorySchema)
    @require("cashbank.settings")
    def post(self, data: dict[str, Any]) -> Any:
        category = committed(vouchers.create_category(session(), **data))
        return {
            "id": category.id,
            "name": category.name,
            "kind": category.kind,
            "account_code": category.account.code,
        }


@bp.route("/vouchers")
class Vouchers(MethodView):
    @bp.response(200, CashbankVoucherSchema(many=True))
    @bp.paginate(Page)
    @require("cashbank.view")
    def get(self) -> Any:
        return sa.select(Voucher).order_by(Voucher.date.desc(), Voucher.id.desc())

    @bp.arguments(CashbankVoucherSchema)
    @bp.response(201, CashbankVoucherSchema)
    @require("cashbank.post")
    def post(self, data: dict[str, Any]) -> Any:
        voucher = vouchers.create_voucher(
            session(),
            kind=data["kind"],
            date=data["date"],
            account_id=data["cash_account_id"],
            amount=data["amount"],
            description=data["description"],
            category_id=data["category_id"],
            to_account_id=data["counter_account_id"],
        )
        return committed(voucher)


# --- bank reconciliation -------------------------------------------------------------------------


@bp.route("/statements/<int:account_id>/mapping")
class StatementMappingView(MethodView):
    @bp.response(200, CashbankMappingSchema)
    @require("cashbank.view")
    def get(self, account_id: int) -> Any:
        return reconcile.get_mapping(session(), vouchers.cash_account(session(), account_id))

    @bp.arguments(CashbankMappingSchema)
    @bp.response(200, CashbankMappingSchema)
    @require("cashbank.settings")
    def put(self, data: dict[str, Any], account_id: int) -> Any:
        account = vouchers.cash_account(session(), account_id)
        return committed(reconcile.save_mapping(session(), account, data))


@bp.route("/statements/<int:account_id>/import")
class StatementImport(MethodView):
    @bp.arguments(CashbankImportSchema)
    @bp.response(201, CashbankStatementLineSchema(many=True))
    @require("cashbank.post")
    def post(self, data: dict[str, Any], account_id: int) -> Any:
        return committed(reconcile.import_statement(session(), account_id, data["csv"]))


@bp.route("/statements/<int:account_id>/auto-match")
class StatementAutoMatch(MethodView):
    @bp.response(200)
    @require("cashbank.post")
    def post(self, account_id: int) -> Any:
        from niaga import settings

        days = settings.get(session(), "cashbank.match_days")
        return committed({"matched": reconcile.auto_match(session(), account_id, days)})


@bp.route("/statements/match")
class StatementMatch(MethodView):
    @bp.arguments(CashbankMatchSchema)
    @bp.response(200, CashbankStatementLineSchema)
    @require("cashbank.post")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(
            reconcile.match(session(), data["statement_line_id"], data["journal_line_id"])
        )


@bp.route("/statements/<int:account_id>/unreconciled")
class Unreconciled(MethodView):
    @bp.response(200)
    @require("cashbank.view")
    def get(self, account_id: int) -> Any:
        account = vouchers.cash_account(session(), account_id)
        statement = CashbankStatementLineSchema(many=True).dump(
            reconcile.unmatched_statement_lines(session(), account)
        )
        books = [
            {
                "journal_line_id": line.id,
                "entry_id": entry.id,
                "date": entry.date.isoformat(),
                "description": line.memo or entry.description,
                "amount": str(line.debit - line.credit),
            }
            for entry, line in reconcile.unmatched_journal_lines(session(), account)
        ]
        return {"statement": statement, "books": books}


# --- reports and export --------------------------------------------------------------------------


def _report_response(report: reports.Report, query: dict[str, Any]) -> Any:
    if query.get("format") == "csv":
        return Response(
            export.report_csv(report),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{report.key}.csv"'},
        )
    return report.to_dict()


@bp.route("/reports/<name>")
class ReportView(MethodView):
    @bp.arguments(CashbankPeriodQuery, location="query")
    @bp.doc(responses=REPORT_ANSWER)
    @require("cashbank.reports")
    def get(self, query: dict[str, Any], name: str) -> Any:
        report = reports.build(session(), name, period_from(query), query["compare"])
        return _report_response(report, query)


@bp.route("/export")
class Export(MethodView):
    @bp.arguments(CashbankExportQuery, location="query")
    @bp.doc(
        responses={
            "200": file_download(
                "text/csv", "text/plain", description="The journal as CSV, or as Beancount text"
            )
        }
    )
    @require("cashbank.reports")
    def get(self, query: dict[str, Any]) -> Any:
        start, end = query.get("date_from"), query.get("date_to")
        if query["format"] == "csv":
            body, mimetype, name = (
                export.journal_csv(session(), start, end),
                "text/csv",
                "jurnal.csv",
            )
        else:
            body, mimetype, name = (
                export.beancount(session(), start, end),
                "text/plain",
                "jurnal.beancount",
            )
        return Response(
            body,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
