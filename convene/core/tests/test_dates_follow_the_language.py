"""Dates read as each language writes them: Russian puts the month in the genitive."""

import datetime
import importlib

import pytest
from django.conf import settings
from django.utils import translation

from convene.core.dates import show_date, show_datetime

DAY = datetime.date(2026, 12, 4)
MOMENT = datetime.datetime(2026, 12, 4, 14, 30)


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [
        ("en", "4 Dec 2026", "Friday, 4 Dec 2026, 14:30"),
        ("fr", "4 décembre 2026", "vendredi, 4 décembre 2026, 14:30"),
        ("es", "4 de diciembre de 2026", "viernes, 4 de diciembre de 2026, 14:30"),
        ("ru", "4 декабря 2026 г.", "пятница, 4 декабря 2026 г., 14:30"),
        ("kk", "4 желтоқсан 2026 ж.", "жұма, 4 желтоқсан 2026 ж., 14:30"),
        ("ar", "4 ديسمبر 2026", "الجمعة، 4 ديسمبر 2026، 14:30"),
        ("sw", "4 Disemba 2026", "ijumaa, 4 Disemba 2026, 14:30"),
    ],
)
def test_a_date_is_written_as_the_language_writes_it(language, date, moment):
    with translation.override(language):
        assert show_date(DAY) == date
        assert show_datetime(MOMENT, weekday=True).lower() == moment.lower()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_shipped_language_has_its_own_date_formats(language):
    module = importlib.import_module(f"config.formats.{language}.formats")
    assert {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "TIME_FORMAT"} <= set(vars(module))
