"""``niaga sales ...``: listings of customers, orders, invoices and aged receivables."""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa

from niaga.cli import echo_json
from niaga.db import session
from niaga.l10n import format_money
from niaga_sales import receivables
from niaga_sales.models import ORDER_STATES, Customer, Invoice, Order

JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.group("sales")
def cli() -> None:
    """Sales: customers, orders, invoices, receivables."""


def _show(rows: list[dict[str, Any]], as_json: bool, columns: list[str]) -> None:
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo("  ".join(str(row[c]) for c in columns))


@cli.command("customers")
@JSON
def customers_cmd(as_json: bool) -> None:
    """List customers."""
    rows = [
        {
            "id": c.id,
            "code": c.code,
            "shop_name": c.shop_name,
            "owner_name": c.owner_name,
            "phone": c.phone,
            "area": c.area,
            "group": c.group.code if c.group else None,
            "credit_limit": c.credit_limit,
            "payment_terms_days": c.payment_terms_days,
        }
        for c in session().scalars(sa.select(Customer).order_by(Customer.code))
    ]
    _show(rows, as_json, ["code", "shop_name", "area", "phone"])


@cli.command("orders")
@click.option("--state", type=click.Choice(ORDER_STATES))
@click.option("--limit", default=50, show_default=True)
@JSON
def orders_cmd(state: str | None, limit: int, as_json: bool) -> None:
    """List the latest orders."""
    statement = sa.select(Order).order_by(Order.id.desc()).limit(limit)
    if state:
        statement = statement.where(Order.state == state)
    rows = [
        {
            "id": o.id,
            "number": o.number,
            "date": o.order_date.isoformat(),
            "customer": o.customer.shop_name,
            "state": o.state,
            "total": o.total,
        }
        for o in session().scalars(statement)
    ]
    if not as_json:
        for row in rows:
            row["total"] = format_money(row["total"])
    _show(rows, as_json, ["number", "date", "customer", "state", "total"])


@cli.command("invoices")
@click.option("--open", "only_open", is_flag=True, help="Only invoices not fully paid.")
@JSON
def invoices_cmd(only_open: bool, as_json: bool) -> None:
    """List invoices."""
    statement = sa.select(Invoice).order_by(Invoice.id.desc())
    if only_open:
        statement = statement.where(Invoice.state == "open")
    rows = [
        {
            "id": i.id,
            "number": i.number,
            "date": i.invoice_date.isoformat(),
            "due_date": i.due_date.isoformat(),
            "customer": i.customer.shop_name,
            "state": i.state,
            "total": i.total,
            "open": i.open_amount,
        }
        for i in session().scalars(statement)
    ]
    _show(rows, as_json, ["number", "due_date", "customer", "state", "total", "open"])


@cli.command("receivables")
@JSON
def receivables_cmd(as_json: bool) -> None:
    """Aged receivables per customer."""
    rows = receivables.aged(session())
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['customer']}  {format_money(row['total'])}  (>90: {row['over_90']})")
