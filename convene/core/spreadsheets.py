"""Spreadsheets people can use: Excel sheets with human (translated) headers, dates as dates and
numbers as numbers with their formats, widths, a frozen header row, a filter and a print set-up; CSV
that Excel on Windows reads as UTF-8; and in both, no text a spreadsheet would run as a formula."""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# Number formats: ISO dates read the same in every language; amounts with thousands separators.
DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
INTEGER = "0"

HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
HEADER_BORDER = Border(bottom=Side(style="thin", color="8A96A3"))

# "+254 700 000000", "-1500", "(0)20 …": a sign followed by a number is data, not a formula.
_NUMBER_LIKE = re.compile(r"[\d\s().,/-]*\d[\d\s().,/-]*")


def is_formula_like(text: str) -> bool:
    """What Excel or LibreOffice would evaluate: text starting with = or @ (or a tab or carriage
    return, which they skip), or with + or - followed by something that is not a number."""
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and len(text) > 1 and not _NUMBER_LIKE.fullmatch(text[1:])


def csv_safe(value) -> str:
    """A CSV cell: formula-like text gets a leading apostrophe, which spreadsheets show as text."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its key, its header (translated), width and number format."""

    key: str
    label: str | Promise
    width: float = 16
    number_format: str | None = None
    wrap: bool = False


def workbook(*, title: str = "", author: str = "", language: str = "") -> Workbook:
    wb = Workbook()
    wb.properties.title = title
    wb.properties.creator = wb.properties.lastModifiedBy = author
    wb.properties.language = language
    return wb


def _put(cell, value, column: Column | None) -> None:
    if isinstance(value, str):
        cell.value = value
        if is_formula_like(value):
            # Stored as text and marked so, shown exactly as typed: never run as a formula.
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    if (
        column is not None
        and column.number_format
        and isinstance(value, datetime.date | int | float | Decimal)
    ):
        cell.number_format = column.number_format
    if column is not None and column.wrap:
        cell.alignment = WRAP


def append(ws: Worksheet, values: list, columns: list[Column] | None = None) -> None:
    """A row of cells after the last one: numbers and dates keep their type and get the column's
    format; formula-like text stays text. (The worksheet keeps its last row: asking `max_row`
    for each row would scan every cell, quadratic in a long export.)"""
    cells = []
    for i, value in enumerate(values):
        cell = Cell(ws)
        _put(cell, value, columns[i] if columns and i < len(columns) else None)
        cells.append(cell)
    ws.append(cells)


def header(ws: Worksheet, columns: list[Column]) -> None:
    append(ws, [str(c.label) for c in columns])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = WRAP


def finish(ws: Worksheet, columns: list[Column], *, freeze: str = "A2", header_row: int = 1) -> None:
    """Widths, the frozen header, a filter over the table, and printing: landscape, fitted to the
    page's width, the header row repeated on every printed page."""
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = freeze
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{max(ws.max_row, header_row + 1)}"
    print_setup(ws, title_rows=f"{header_row}:{header_row}")


def print_setup(ws: Worksheet, *, title_rows: str | None = "1:1") -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.gridLines = False


def table_sheet(ws: Worksheet, columns: list[Column], rows, *, freeze: str = "A2") -> None:
    """A whole sheet: header, rows (dicts by column key, or lists), widths, freeze, filter, print."""
    header(ws, columns)
    for row in rows:
        values = [row.get(c.key) for c in columns] if isinstance(row, dict) else list(row)
        append(ws, values, columns)
    finish(ws, columns, freeze=freeze)


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(header_row: list, rows) -> bytes:
    """UTF-8 with a byte-order mark, which is how Excel on Windows knows the file is UTF-8
    («Министерство» rather than mojibake); other programs ignore the mark."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(str(h)) for h in header_row])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
