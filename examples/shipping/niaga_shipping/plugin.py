"""An example plugin that publishes a hook of its own (``shipping_rates``) for courier
plugins to implement, and a CLI command that asks them: ``niaga shipping quote``."""

from __future__ import annotations

from decimal import Decimal

import click

from niaga import PluginMeta
from niaga.inputs import QUANTITY
from niaga_shipping import hookspecs

PLUGIN = PluginMeta(
    name="shipping",
    label={"id": "Ongkos kirim", "en": "Shipping quotes"},
    description={
        "id": "Bandingkan ongkos kirim dari kurir yang terpasang.",
        "en": "Compare shipping prices from the installed couriers.",
    },
    core_requires=">=0.1,<0.2",
    hookspecs=hookspecs,
    cli=("niaga_shipping.plugin:shipping_cli",),
)


@click.group("shipping")
def shipping_cli() -> None:
    """Shipping quotes."""


@shipping_cli.command("quote")
@click.argument("destination")
@click.argument("weight_kg", type=QUANTITY)
def quote_command(destination: str, weight_kg: Decimal) -> None:
    """Show every courier's price for WEIGHT_KG to DESTINATION, cheapest first."""
    from niaga.db import session
    from niaga.l10n import format_money
    from niaga_shipping.quotes import quote

    offers = quote(session(), destination, weight_kg)
    if not offers:
        click.echo("No courier serves this destination")
    for rate in offers:
        click.echo(f"{rate.courier} {rate.service}: {format_money(rate.price)}, {rate.days} d")
