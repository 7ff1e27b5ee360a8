"""``niaga payments``: list payments and reconcile stuck ones."""

from __future__ import annotations

import click

from niaga.cli import echo_json
from niaga.db import session
from niaga.l10n import format_money
from niaga_payments import states
from niaga_payments.api import PaymentRecordSchema, filtered
from niaga_payments.reconcile import reconcile as run_reconcile


@click.group("payments")
def payments() -> None:
    """Payments: list them, and ask gateways about stuck ones."""


@payments.command("list")
@click.option("--status", type=click.Choice(states.STATES))
@click.option("--gateway")
@click.option("--flagged", is_flag=True, help="Only payments flagged for review.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_payments(
    status: str | None, gateway: str | None, flagged: bool, limit: int, as_json: bool
) -> None:
    """List payments, newest first."""
    query = {"status": status, "gateway": gateway, "flagged": True if flagged else None}
    rows = session().scalars(filtered(query).limit(limit)).all()
    if as_json:
        echo_json(PaymentRecordSchema(many=True).dump(rows))
        return
    for p in rows:
        flag = " !" if p.flagged else ""
        click.echo(
            f"{p.id:>6}  {p.reference:<22} {p.gateway:<14} {p.status:<18} "
            f"{format_money(p.amount):>16}  {p.target}{flag}"
        )


@payments.command("reconcile")
@click.option(
    "--older-than",
    "older_than",
    type=click.IntRange(0, 10080),
    help="Minutes a payment must have been open (default: the setting).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def reconcile(older_than: int | None, as_json: bool) -> None:
    """Ask the gateways for the status of payments stuck open, and apply it."""
    results = run_reconcile(session(), older_than)
    if as_json:
        echo_json(results)
        return
    for r in results:
        click.echo(f"{r['reference']}: {r['outcome']} ({r['status']})")
    click.echo(f"{len(results)} payment(s) checked")
