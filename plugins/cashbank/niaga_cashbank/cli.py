"""``niaga cashbank ...``: reports, exports, posting rules and the books' consistency check."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

import click
import sqlalchemy as sa

from niaga.cli import echo_json
from niaga.clock import shop_today
from niaga.db import committed, session
from niaga.inputs import MONEY
from niaga.l10n import format_day, format_money
from niaga_cashbank import checks, export, journal, reports, vouchers
from niaga_cashbank.chart import account_by_code, ensure_books
from niaga_cashbank.models import VOUCHER_KINDS, Account, PostingRule, VoucherCategory
from niaga_cashbank.reports import Period, month_period


@click.group("cashbank")
def cashbank() -> None:
    """Cash & bank: books, financial statements and exports."""


def _period(start: dt.datetime | None, end: dt.datetime | None) -> Period:
    default = month_period(shop_today(session()))
    return Period(start.date() if start else default.start, end.date() if end else default.end)


def _print(report: reports.Report, as_json: bool) -> None:
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo(f"{report.title} — {report.period}")
    click.echo(" " * 48 + "".join(f"{c[:22]:>24}" for c in report.columns))
    for row in report.rows:
        label = (f"{row.code} " if row.code else "") + row.label
        if row.style == "heading":
            label = label.upper()
        cells = "".join(f"{_cell(v):>24}" for v in row.values)
        click.echo(f"{label[:48]:<48}{cells}")


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "quantize"):
        return format_money(value)
    if isinstance(value, dt.date):
        return format_day(value)
    return str(value)


def report_command(name: str) -> click.Command:
    """A ``report <name>`` command with ``--from``, ``--to`` and ``--json``."""

    @click.command(name)
    @click.option(
        "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD)"
    )
    @click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD)")
    @click.option("--no-compare", is_flag=True, help="Leave out the previous period")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON")
    def command(
        start: dt.datetime | None, end: dt.datetime | None, no_compare: bool, as_json: bool
    ) -> None:
        _print(reports.build(session(), name, _period(start, end), not no_compare), as_json)

    command.help = f"{reports.REPORTS[name]}."
    return command


@cashbank.group("report")
def report() -> None:
    """Financial statements and working reports."""


for _name in reports.REPORTS:
    report.add_command(report_command(_name))


@cashbank.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["beancount", "csv"]),
    default="beancount",
    show_default=True,
)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]))
@click.option(
    "--output", "-o", type=click.File("w"), default="-", help="File to write (default: stdout)"
)
def export_command(
    fmt: str, start: dt.datetime | None, end: dt.datetime | None, output: Any
) -> None:
    """Export the posted journal for an accountant."""
    first, last = (start.date() if start else None), (end.date() if end else None)
    writer = export.beancount if fmt == "beancount" else export.journal_csv
    output.write(writer(session(), first, last))


@cashbank.command("voucher")
@click.argument("kind", type=click.Choice(VOUCHER_KINDS))
@click.option("--account", "account_code", required=True, help="Cash or bank account code")
@click.option(
    "--amount", required=True, type=MONEY, help="Amount as typed in the shop (40.000 or 40000)"
)
@click.option("--category", default=None, help="Category name (money in/out)")
@click.option("--to", "to_code", default=None, help="Account code to move money to (transfer)")
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Date (default: the shop's today)"
)
@click.option("--description", default="")
@click.option("--json", "as_json", is_flag=True)
def voucher(
    kind: str,
    account_code: str,
    amount: Decimal,
    category: str | None,
    to_code: str | None,
    day: dt.datetime | None,
    description: str,
    as_json: bool,
) -> None:
    """Record a voucher: money in/out, transfer, owner's capital or prive."""
    db = session()
    ensure_books(db)
    category_id = None
    if category:
        named = sa.select(VoucherCategory.id).where(VoucherCategory.name == category)
        category_id = db.scalar(named)
        if category_id is None:
            raise click.BadParameter(f"no category {category}", param_hint="--category")
    made = committed(
        vouchers.create_voucher(
            db,
            kind=kind,
            date=day.date() if day else shop_today(db),
            account_id=account_by_code(db, account_code).id,
            amount=amount,
            description=description,
            category_id=category_id,
            to_account_id=account_by_code(db, to_code).id if to_code else None,
        )
    )
    if as_json:
        echo_json(
            {
                "number": made.number,
                "date": made.date.isoformat(),
                "amount": f"{made.amount:.2f}",
                "entry_id": made.entry_id,
            }
        )
        return
    click.echo(f"{made.number} {format_day(made.date)} {format_money(made.amount)}")


@cashbank.command("check")
def check() -> None:
    """Prove every entry balances and the trial balance sums to zero (exit 1 otherwise)."""
    found = checks.problems(session())
    for problem in found:
        click.echo(problem, err=True)
    if found:
        sys.exit(1)
    count = session().scalar(sa.text("SELECT count(*) FROM cashbank_journal_entry"))
    click.echo(f"OK: {count} journal entries, all balanced; the trial balance sums to zero.")


@cashbank.command("accounts")
@click.option("--json", "as_json", is_flag=True)
def accounts(as_json: bool) -> None:
    """List the chart of accounts."""
    committed(ensure_books(session()))
    rows = session().scalars(sa.select(Account).order_by(Account.code))
    data = [
        {
            "code": a.code,
            "name": a.name,
            "type": a.type,
            "cash_kind": a.cash_kind,
            "archived": a.archived,
        }
        for a in rows
    ]
    if as_json:
        echo_json(data)
        return
    for item in data:
        archived = " (diarsipkan)" if item["archived"] else ""
        click.echo(f"{item['code']:<10} {item['type']:<10} {item['name']}{archived}")


@cashbank.group("rules")
def rules() -> None:
    """Which accounts automatic postings use."""


@rules.command("list")
@click.option("--json", "as_json", is_flag=True)
def rules_list(as_json: bool) -> None:
    """List the posting rules (event, slot, account)."""
    committed(ensure_books(session()))
    rows = session().scalars(sa.select(PostingRule).order_by(PostingRule.event, PostingRule.slot))
    data = [
        {"event": r.event, "slot": r.slot, "account": r.account.code, "name": r.account.name}
        for r in rows
    ]
    if as_json:
        echo_json(data)
        return
    for item in data:
        click.echo(f"{item['event']:<42} {item['slot']:<20} {item['account']:<8} {item['name']}")


@rules.command("set")
@click.argument("event")
@click.argument("slot")
@click.argument("account_code")
def rules_set(event: str, slot: str, account_code: str) -> None:
    """Point EVENT's SLOT at ACCOUNT_CODE, e.g. ``payment_method qris 1-1260``."""
    rule = committed(journal.set_rule(session(), event, slot, account_code))
    click.echo(f"{rule.event} / {rule.slot} -> {rule.account.code} {rule.account.name}")


@cashbank.command("lock")
@click.argument("date", type=click.DateTime(["%Y-%m-%d"]))
def lock(date: dt.datetime) -> None:
    """Close the books up to and including DATE."""
    committed(journal.set_lock_date(session(), date.date()))
    click.echo(f"Books closed up to {format_day(date.date())}")
