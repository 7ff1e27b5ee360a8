"""``niaga purchasing ...``: listings (with ``--json``) and reorder suggestions."""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa

from niaga.cli import echo_json
from niaga.clock import shop_today
from niaga.db import session, transaction
from niaga_purchasing import bills, orders, payables, reorders
from niaga_purchasing.models import Supplier
from niaga_purchasing.suppliers import format_npwp


def _print(rows: list[dict[str, Any]], as_json: bool, columns: list[str]) -> None:
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("(none)")
        return
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        click.echo("  ".join(str(row[c]).ljust(widths[c]) for c in columns))


@click.group("purchasing")
def purchasing() -> None:
    """Suppliers, purchase orders, bills and payables."""


@purchasing.command("suppliers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_suppliers(as_json: bool) -> None:
    """List suppliers."""
    rows = [
        {
            "id": s.id,
            "code": s.code,
            "name": s.name,
            "npwp": format_npwp(s.npwp),
            "terms_days": s.payment_terms_days,
            "active": s.active,
        }
        for s in session().scalars(sa.select(Supplier).order_by(Supplier.name))
    ]
    _print(rows, as_json, ["id", "code", "name", "npwp", "terms_days", "active"])


@purchasing.command("orders")
@click.option("--status", type=click.Choice(orders.STATUSES), help="Only this status.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_orders(status: str | None, as_json: bool) -> None:
    """List purchase orders, newest first."""
    rows = [
        {
            "id": o.id,
            "number": o.number,
            "supplier": o.supplier.name,
            "status": o.status,
            "date": o.order_date.isoformat(),
            "total": str(o.total),
        }
        for o in session().scalars(orders.orders_query(status))
    ]
    _print(rows, as_json, ["id", "number", "supplier", "status", "date", "total"])


@purchasing.command("bills")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_bills(as_json: bool) -> None:
    """List supplier bills, newest first."""
    rows = [
        {
            "id": b.id,
            "number": b.number,
            "supplier": b.supplier.name,
            "status": b.status,
            "due": b.due_date.isoformat(),
            "total": str(b.total),
            "open": str(b.amount_open),
            "warnings": len(b.warnings or []),
        }
        for b in session().scalars(bills.bills_query())
    ]
    _print(
        rows, as_json, ["id", "number", "supplier", "status", "due", "total", "open", "warnings"]
    )


@purchasing.command("payables")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_payables(as_json: bool) -> None:
    """What is owed per supplier, aged by bill date."""
    rows = [
        {
            "supplier": r.supplier,
            "bills": r.bills,
            "owed": str(r.owed),
            "overdue": str(r.overdue),
            **{k: str(v) for k, v in r.buckets.items()},
        }
        for r in payables.aged_payables(session(), shop_today(session()))
    ]
    buckets = [b[0] for b in payables.BUCKETS]
    _print(rows, as_json, ["supplier", "bills", "owed", "overdue", *buckets])


@purchasing.command("reorder")
@click.option("--create", is_flag=True, help="Create draft orders from the suggestions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def reorder(create: bool, as_json: bool) -> None:
    """Show products to buy again; ``--create`` turns them into draft orders."""
    if create:
        with transaction(session()) as db:
            created, unassigned = reorders.create_draft_orders(db)
        rows = [
            {"order": o.number, "supplier": o.supplier.name, "lines": len(o.lines)} for o in created
        ]
        rows += [
            {"order": "", "supplier": "(no default supplier)", "lines": n.sku} for n in unassigned
        ]
        _print(rows, as_json, ["order", "supplier", "lines"])
        return
    rows = [
        {
            "sku": s.need.sku,
            "name": s.need.name,
            "available": str(s.need.available),
            "suggested": f"{s.need.suggested_quantity} {s.need.unit}",
            "supplier": s.supplier.name if s.supplier else "",
        }
        for s in reorders.suggestions(session())
    ]
    _print(rows, as_json, ["sku", "name", "available", "suggested", "supplier"])
