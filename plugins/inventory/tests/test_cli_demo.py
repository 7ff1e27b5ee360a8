"""The ``niaga inventory`` commands, the demo catalogue,
and the plugin alone: working with every other plugin disabled, and silent when disabled."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga import lifecycle
from niaga.runtime import enabled_plugins, forget_enabled_plugins, hooks, niaga
from niaga_inventory import checks, demo, reorder, valuation
from niaga_inventory.contracts import StockLine
from niaga_inventory.models import Product, StockBalance

pytestmark = pytest.mark.plugins("inventory")


@pytest.fixture
def run(app, database_url, tmp_path, monkeypatch):
    """``run("check")`` = ``niaga inventory check`` in this process, on this test's database."""
    from click.testing import CliRunner

    from niaga.cli import main

    monkeypatch.setenv("NIAGA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NIAGA_DATABASE_URL", database_url)
    monkeypatch.setenv("NIAGA_SECRET_KEY", "test")
    monkeypatch.setattr(main, "_app", None)
    monkeypatch.setattr(main, "_plugin_commands", None)

    def niaga_command(*args: str) -> Any:
        return CliRunner().invoke(main, ["inventory", *args])

    yield niaga_command
    if main._app is not None:
        main._app.extensions["niaga"].engine.dispose()


def test_cli_import_products_check_export(run, tmp_path, db):
    source = tmp_path / "produk.csv"
    source.write_text(
        "sku,name,base_unit,units,price\nRK-GGS12,Gudang Garam Surya 12,bungkus,slop=10,28500\n"
    )
    imported = run("import", str(source))
    assert imported.exit_code == 0, imported.stderr
    assert "1 created" in imported.stdout
    opening = tmp_path / "stok.csv"
    opening.write_text("sku,quantity,unit,cost\nRK-GGS12,3,slop,268000\n")
    assert run("import", "--kind", "opening-stock", str(opening)).exit_code == 0
    listed = run("products", "--json")
    assert json.loads(listed.stdout)[0] | {"id": 0} == {
        "id": 0,
        "sku": "RK-GGS12",
        "barcode": None,
        "name": "Gudang Garam Surya 12",
        "unit": "bungkus",
        "units": "slop=10",
        "price": "28500.00",
        "active": True,
        "available": "30.0000",
    }
    checked = run("check")
    assert checked.exit_code == 0 and checked.stdout.startswith("OK")
    exported = run("export", str(tmp_path / "out.xlsx"))
    assert exported.exit_code == 0 and (tmp_path / "out.xlsx").stat().st_size > 0

    db.execute(sa.update(StockBalance).values(on_hand=31))
    db.commit()
    broken = run("check", "--json")
    assert broken.exit_code == 1
    assert "on hand 31" in json.loads(broken.stdout)["problems"][0]


def test_cli_import_reports_rows_and_exits_non_zero(run, tmp_path, db):
    source = tmp_path / "produk.csv"
    source.write_text("sku,name,base_unit,price\nA,Satu,pcs,murah\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert "row 2, price: murah is not a number; type it like 1.250.000,5" in result.stderr
    assert db.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_demo_catalogue(db):
    demo.load(db)
    db.commit()
    skus = set(db.scalars(sa.select(Product.sku)))
    assert {"RK-GGS12", "SB-INDOMIE", "MN-AQUA600"} <= skus
    rokok = db.scalar(sa.select(Product).where(Product.sku == "RK-GGS12"))
    assert rokok.factors() == {"slop": 10, "karton": 100}
    assert len(rokok.barcode) == 13 and rokok.barcode.startswith("899")
    assert valuation.report(db)["total"] > 0
    assert [need.sku for need in reorder.needs(db)] == ["MN-PUCUK350", "SB-TERIGU1", "SB-GULAKU1"]
    assert checks.problems(db) == []
    demo.load(db)  # loading twice changes nothing
    assert len(set(db.scalars(sa.select(Product.sku)))) == len(skus)


def test_works_alone(db, make_product, receive):
    assert enabled_plugins() == frozenset({"inventory"})
    rokok = make_product()
    receive(rokok, 10)
    assert hooks().inventory_reserve(
        session=db, reference="sales.order:1", lines=[StockLine(rokok.id, Decimal(1))]
    )


def test_disabled_inventory_answers_nothing(app, db, make_product):
    rokok = make_product()
    lifecycle.disable(db, niaga().host, "inventory")
    db.commit()
    forget_enabled_plugins()
    line = [StockLine(rokok.id, Decimal(1))]
    assert hooks().inventory_reserve(session=db, reference="sales.order:1", lines=line) is None
    assert hooks().inventory_issue(session=db, reference="x:1", lines=line, kind="issue") is None
    assert (
        hooks().inventory_product(session=db, product_id=rokok.id, sku=None, barcode=None) is None
    )
    assert hooks().inventory_reorder_needs(session=db) is None
