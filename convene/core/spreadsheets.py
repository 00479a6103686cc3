"""Spreadsheets people can use: Excel sheets with human (translated) headers, dates as dates and
numbers as numbers with their formats, widths, a frozen header row, a filter and a print set-up; CSV
that Excel on Windows reads as UTF-8; and in both, no text a spreadsheet would run as a formula.

Excel files are written with XlsxWriter, in one pass: a long export (the register's 2,000
decisions) builds about three times faster than through openpyxl's cell objects. openpyxl reads
what people upload (workplans/spreadsheet.py). Both are imported when a file is made or read, not
at start-up: together they are 19 MiB a worker need not keep (issue 17)."""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# Number formats: ISO dates read the same in every language; amounts with thousands separators.
DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
INTEGER = "0"

HEADER = {"bold": True, "bg_color": "#E8ECF1", "bottom": 1, "bottom_color": "#8A96A3"}
WRAP = {"text_wrap": True, "valign": "top"}
A4 = 9  # Excel's paper code

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


def column_letter(index: int) -> str:
    """Excel's name of the column at `index` (from 0): A … Z, AA … AZ, BA …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its key, its header (translated), width and number format."""

    key: str
    label: str | Promise
    width: float = 16
    number_format: str | None = None
    wrap: bool = False


def sheet_reference(name: str) -> str:
    """A sheet's name as a formula refers to it: always quoted, so that any language's name works."""
    return "'" + name.replace("'", "''") + "'"


class Book:
    """An Excel workbook being written: its sheets, and each cell format made once."""

    def __init__(self, *, title: str = "", author: str = ""):
        import xlsxwriter

        self._out = io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            self._out,
            {
                "in_memory": True,
                # Text is text: never turned into a formula, a number or a link behind our back.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": DATE,
                "remove_timezone": True,
            },
        )
        self.wb.set_properties({"title": str(title), "author": str(author)})
        self._formats = {}

    def format(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(properties) if properties else None
        return self._formats[key]

    def sheet(self, name: str) -> "Sheet":
        return Sheet(self, self.wb.add_worksheet(str(name)[:31]))

    def table(self, name: str, columns: list[Column], rows, *, freeze: str = "A2") -> "Sheet":
        """A whole sheet: header, rows (dicts by column key, or lists), widths, freeze, filter, print."""
        sheet = self.sheet(name)
        sheet.header(columns)
        for row in rows:
            sheet.append([row.get(c.key) for c in columns] if isinstance(row, dict) else list(row), columns)
        sheet.finish(columns, freeze=freeze)
        return sheet

    def save(self) -> bytes:
        self.wb.close()
        return self._out.getvalue()


class Sheet:
    """A worksheet written from the top down; `rows` is how many are written."""

    def __init__(self, book: Book, ws):
        self.book, self.ws, self.rows = book, ws, 0
        self._styles = {}

    def _format(self, column: Column | None, *, number: bool = False, quoted: bool = False):
        wrap = column is not None and column.wrap
        num_format = column.number_format if number and column is not None else None
        key = (wrap, num_format, quoted)  # looked up for every cell: a tuple, not a dict
        if key not in self._styles:
            properties = dict(WRAP) if wrap else {}
            if num_format:
                properties["num_format"] = num_format
            if quoted:
                properties["quote_prefix"] = True
            self._styles[key] = self.book.format(**properties)
        return self._styles[key]

    def put(self, row: int, col: int, value, column: Column | None = None) -> None:
        """One cell: numbers and dates keep their type and get the column's format; formula-like
        text is stored as text and marked so (shown exactly as typed, never run as a formula)."""
        ws = self.ws
        if isinstance(value, Promise):
            value = str(value)
        if value is None or value == "":
            return  # an empty cell
        if isinstance(value, str):
            ws.write_string(row, col, value, self._format(column, quoted=is_formula_like(value)))
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, self._format(column))
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, value, self._format(column, number=True))
        elif isinstance(value, int | float | Decimal):
            ws.write_number(row, col, value, self._format(column, number=True))
        else:
            ws.write_string(row, col, str(value), self._format(column))

    def append(self, values: list, columns: list[Column] | None = None) -> None:
        """A row of cells after the last one."""
        for i, value in enumerate(values):
            self.put(self.rows, i, value, columns[i] if columns and i < len(columns) else None)
        self.rows += 1

    def header(self, columns: list[Column]) -> None:
        style = self.book.format(**HEADER, **WRAP)
        for i, column in enumerate(columns):
            self.ws.write_string(self.rows, i, str(column.label), style)
        self.rows += 1

    def finish(self, columns: list[Column], *, freeze: str = "A2", header_row: int = 1) -> None:
        """Widths, the frozen header, a filter over the table, and printing: landscape, fitted to
        the page's width, the header row repeated on every printed page."""
        for i, column in enumerate(columns):
            self.ws.set_column(i, i, column.width)
        self.ws.freeze_panes(freeze)
        last_row = max(self.rows, header_row + 1)  # the filter covers one row at least
        self.ws.autofilter(f"A{header_row}:{column_letter(len(columns) - 1)}{last_row}")
        self.print_setup(title_row=header_row)

    def print_setup(self, *, title_row: int | None = 1) -> None:
        self.ws.set_landscape()
        self.ws.set_paper(A4)
        self.ws.fit_to_pages(1, 0)  # as many pages down as it takes
        if title_row:
            self.ws.repeat_rows(title_row - 1)


def csv_bytes(header_row: list, rows) -> bytes:
    """UTF-8 with a byte-order mark, which is how Excel on Windows knows the file is UTF-8
    («Министерство» rather than mojibake); other programs ignore the mark."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(str(h)) for h in header_row])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
