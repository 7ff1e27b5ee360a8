"""``niaga inventory``: import, export, check, and listings (``--json``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from niaga import tabular
from niaga.cli import echo_json
from niaga.db import committed, session
from niaga.errors import Invalid
from niaga.l10n import format_money, format_quantity
from niaga_inventory import checks, imports, products, reorder, stock, valuation

KINDS = ("products", "opening-stock")


@click.group("inventory")
def inventory() -> None:
    """Products, stock and valuation."""


@inventory.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), default="products", show_default=True)
def import_command(path: Path, kind: str) -> None:
    """Import products or opening stock from a CSV or XLSX file (all rows or none)."""
    importer = imports.import_opening_stock if kind == "opening-stock" else imports.import_products
    db = session()
    try:
        result = importer(db, tabular.read_rows(path.read_bytes(), path.name))
    except Invalid as exc:
        db.rollback()
        click.echo(exc.message("en"), err=True)
        for row, columns in sorted(exc.fields.get("rows", {}).items(), key=_row_number):
            for column, messages in columns.items():
                click.echo(f"  row {row}, {column}: {'; '.join(messages)}", err=True)
        for key, value in exc.fields.get("header", {}).items():
            click.echo(f"  header {key}: {', '.join(value)}", err=True)
        sys.exit(1)
    committed(result)
    click.echo(f"{result['created']} created, {result['updated']} updated, {result['moves']} moves")


def _row_number(item: tuple[str, object]) -> int:
    return int(item[0]) if item[0].isdigit() else 0


@inventory.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--kind", type=click.Choice(("products", "stock")), default="products")
@click.option("--format", "fmt", type=click.Choice(("csv", "xlsx")), default=None)
def export_command(path: Path | None, kind: str, fmt: str | None) -> None:
    """Export products or stock to PATH (CSV or XLSX by extension), or CSV to stdout."""
    fmt = fmt or ("xlsx" if path and path.suffix.lower() == ".xlsx" else "csv")
    columns, rows = (
        (imports.PRODUCT_COLUMNS, imports.export_products)
        if kind == "products"
        else (imports.STOCK_COLUMNS, imports.export_stock)
    )
    body = tabular.write_rows(columns, rows(session()), fmt)
    if path is None:
        click.echo(body.decode("utf-8-sig"), nl=False)
    else:
        path.write_bytes(body)
        click.echo(f"Wrote {path}")


@inventory.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check_command(as_json: bool) -> None:
    """Prove the cached balances and valuation equal the stock move ledger."""
    found = checks.problems(session())
    if as_json:
        echo_json({"ok": not found, "problems": found})
    elif found:
        for problem in found:
            click.echo(f"- {problem}")
    else:
        click.echo("OK: balances and valuation equal the stock moves")
    if found:
        sys.exit(1)


@inventory.command("products")
@click.option("--search", "query", default="", help="Name, SKU or barcode.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def products_command(query: str, as_json: bool) -> None:
    """List products with their available stock."""
    db = session()
    found = list(db.scalars(products.search_statement(query)))
    left = stock.available_by_product(db, [p.id for p in found])
    rows = [
        {
            "id": p.id,
            "sku": p.sku,
            "barcode": p.barcode,
            "name": p.name,
            "unit": p.base_unit,
            "units": products.units_text(p),
            "price": str(p.price),
            "active": p.active,
            "available": str(left[p.id]) if p.track_stock else None,
        }
        for p in found
    ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        shown = format_quantity(row["available"]) if row["available"] is not None else "-"
        click.echo(f"{row['sku']:<14} {row['name'][:40]:<40} {shown:>8} {row['unit']}")


@inventory.command("low-stock")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def low_stock_command(as_json: bool) -> None:
    """Products at or below their reorder point."""
    needs = reorder.needs(session())
    if as_json:
        echo_json([need.__dict__ for need in needs])
        return
    for need in needs:
        click.echo(
            f"{need.sku:<14} {need.name[:40]:<40} {format_quantity(need.available):>8} "
            f"-> order {format_quantity(need.suggested_quantity)} {need.unit}"
        )


@inventory.command("valuation")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def valuation_command(as_json: bool) -> None:
    """Stock value at moving average cost."""
    report = valuation.report(session())
    if as_json:
        echo_json(report)
        return
    for line in report["lines"]:
        click.echo(
            f"{line['sku']:<14} {line['name'][:36]:<36} {format_quantity(line['quantity']):>8} "
            f"{format_money(line['value']):>16}"
        )
    click.echo(f"Total: {format_money(report['total'])}")
