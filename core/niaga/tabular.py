"""Reading and writing spreadsheets: CSV (comma or semicolon, as Excel in Indonesia saves
it) and XLSX through openpyxl. Rows are dictionaries of text keyed by lower-case header.

A spreadsheet cell formatted as a number arrives as a :class:`NumberCell`: text (plain
digits, ``2500`` or ``12.5``) that also carries the exact number, so the importer takes it
as it is; any other cell is text, and a number typed as text is read the shop's way
(``niaga.l10n.parse_number``). Exported CSV numbers are plain digits with the shop's
decimal mark (``12,5`` in Indonesian), XLSX numbers are number cells, so an export imports
again unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from babel.numbers import get_decimal_symbol

from niaga import l10n
from niaga.errors import Invalid

XLSX_MAGIC = b"PK\x03\x04"
#: the files :func:`write_rows` writes, by format
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class NumberCell(str):
    """A cell the spreadsheet stored as a number: its plain text, and ``value`` exactly."""

    value: Decimal

    def __new__(cls, value: Decimal) -> NumberCell:
        text = format(value, "f")
        cell = super().__new__(cls, text)
        cell.value = value
        return cell


def read_rows(data: bytes, filename: str = "") -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file (chosen by content), header row first in the file."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        table = _xlsx_table(data)
    else:
        table = _csv_table(data)
    if not table:
        raise Invalid("The file is empty")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    rows = []
    for cells in table[1:]:
        values = [_text(cell) for cell in cells]
        if not any(values):
            continue
        rows.append({name: values[i] if i < len(values) else "" for i, name in enumerate(header)})
    return rows


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_table(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Invalid("The spreadsheet cannot be read: {problem}", problem=str(exc)) from None
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float | int | Decimal):
        # Spreadsheet numbers arrive as floats; their shortest repr is what the user typed.
        number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        if number.is_finite() and number == number.to_integral_value():
            number = number.to_integral_value()
        return NumberCell(number)
    return str(cell).strip()


def write_rows(columns: Sequence[str], rows: Iterable[dict[str, Any]], fmt: str = "csv") -> bytes:
    """``rows`` as a CSV (UTF-8 with BOM, so Excel shows accents) or XLSX file."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell(row.get(column), number_cells=True) for column in columns])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _cell(value: Any, number_cells: bool = False) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.to_integral_value()
        if number_cells:
            return value
        decimal_mark = get_decimal_symbol(l10n.shop_language())
        return format(value, "f").replace(".", decimal_mark)
    return value
