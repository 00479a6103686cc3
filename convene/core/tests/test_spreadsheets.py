"""Spreadsheets people can use: formula-like text never runs, phone numbers and negative numbers are
left alone, CSV carries the byte-order mark Excel on Windows needs, Excel cells keep their types."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from convene.core import spreadsheets as sheets


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=1+1", True),
        ('=HYPERLINK("http://evil.test","x")', True),
        ("@SUM(A1)", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3+cmd|' /C calc'!A0", True),
        ("\t=1+1", True),
        ("+254 700 000000", False),
        ("+7 (727) 258-26-43", False),
        ("-1500.50", False),
        ("-", False),
        ("Ministry of Labour", False),
        ("", False),
    ],
)
def test_only_what_a_spreadsheet_would_evaluate_is_neutralised(text, formula):
    assert sheets.is_formula_like(text) is formula
    assert sheets.csv_safe(text) == ("'" + text if formula else text)


def test_csv_is_utf8_with_a_byte_order_mark_and_keeps_phone_numbers():
    content = sheets.csv_bytes(
        ["Организация", "Phone"], [["Министерство труда", "+254 700 000000"], ["=x", -3]]
    )
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Организация", "Phone"], ["Министерство труда", "+254 700 000000"], ["'=x", "-3"]]


def test_excel_cells_keep_their_types_and_formula_text_stays_text():
    book = sheets.Book(title="T", author="Kenya UN Network on Migration")
    columns = [
        sheets.Column("day", "Day", 12, sheets.DATE),
        sheets.Column("amount", "Amount", 14, sheets.MONEY),
        sheets.Column("text", "Text", 30, wrap=True),
    ]
    rows = [
        {"day": datetime.date(2026, 12, 4), "amount": Decimal("-1500.50"), "text": "=1+1"},
        {"day": None, "amount": 3, "text": "+254 700 000000"},
    ]
    book.table("Sheet", columns, rows)
    wb = load_workbook(io.BytesIO(book.save()))
    ws = wb.active
    day, amount, text = ws["A2"], ws["B2"], ws["C2"]
    assert (
        day.is_date and day.value.date() == datetime.date(2026, 12, 4) and day.number_format == "yyyy-mm-dd"
    )
    assert amount.data_type == "n" and amount.value == -1500.5 and amount.number_format == "#,##0.00"
    assert text.data_type == "s" and text.value == "=1+1" and text.quotePrefix  # shown as typed, never run
    assert ws["C3"].value == "+254 700 000000" and not ws["C3"].quotePrefix
    assert [int(ws.column_dimensions[c].width) for c in "ABC"] == [12, 14, 30]  # plus cell padding
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (
        None,
        1,
    )  # absent: 1 page wide
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.paperSize == 9  # A4
    assert (
        ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("E8ECF1") and ws["A1"].alignment.wrap_text
    )
    assert ws["C2"].alignment.wrap_text and not ws["B2"].alignment.wrap_text
    assert ws.parent.properties.creator == "Kenya UN Network on Migration"


def test_column_letters_are_excels_own():
    from openpyxl.utils import get_column_letter

    for index in (0, 1, 25, 26, 27, 51, 52, 701, 702, 16383):
        assert sheets.column_letter(index) == get_column_letter(index + 1)
    assert [sheets.column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
