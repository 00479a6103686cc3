import calendar
import datetime

from django.utils import formats
from django.utils.translation import pgettext


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def show_date(day: datetime.date) -> str:
    """A date as the reader's language writes it (Russian: "4 декабря 2026 г."); never strftime,
    which speaks the server's English."""
    return formats.date_format(day, "DATE_FORMAT")


def show_datetime(moment: datetime.datetime, *, weekday: bool = False) -> str:
    """A local date and time in the reader's language; the caller converts it to the network's zone."""
    text = formats.date_format(moment, "DATETIME_FORMAT")
    if not weekday:
        return text
    return formats.date_format(moment, "l") + pgettext("between a weekday and a date", ", ") + text


def show_time(moment: datetime.datetime) -> str:
    return formats.time_format(moment, "TIME_FORMAT")
