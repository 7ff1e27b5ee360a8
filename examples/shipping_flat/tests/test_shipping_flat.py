"""A hook published by one plugin (shipping) and implemented by another (shipping_flat)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from niaga import settings
from niaga.errors import Invalid
from niaga_shipping.contracts import Rate
from niaga_shipping.plugin import quote_command
from niaga_shipping.quotes import quote


@pytest.mark.plugins("shipping", "shipping_flat")
def test_the_courier_answers_the_published_hook(db):
    settings.put(db, "shipping_flat.price_per_kg", "12000")
    db.commit()
    # 2,5 kg is charged as 3 started kilograms
    assert quote(db, "Palu", Decimal("2.5")) == [
        Rate(courier="Flat", service="REG", price=Decimal("36000"), days=3)
    ]


@pytest.mark.plugins("shipping", "shipping_flat")
def test_the_cli_reads_the_weight_as_people_type_it(app, db):
    runner = CliRunner()
    result = runner.invoke(quote_command, ["Palu", "2,5"])
    assert result.exit_code == 0, result.output
    assert "Flat REG: Rp 27.000, 3 d" in result.output
    refused = runner.invoke(quote_command, ["Palu", "2.5"])
    assert refused.exit_code == 2
    assert "2.5" in refused.output


@pytest.mark.plugins("shipping")
def test_without_a_courier_enabled_there_is_no_offer(db):
    assert quote(db, "Palu", Decimal("1")) == []
    with pytest.raises(Invalid):
        quote(db, "Palu", Decimal("0"))


def test_the_hook_is_published_by_the_shipping_plugin(app):
    host = app.extensions["niaga"].host
    assert host.spec_owner["shipping_rates"] == "shipping"
    assert host.installed["shipping_flat"].loaded
    assert "shipping" in host.installed["shipping_flat"].depends
