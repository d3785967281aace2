"""How dates, times, months and numbers read, in one place for pages, PDFs, CSV, XLSX and charts.

One format per language (``lms/formats/<language>/formats.py``): Vietnamese 05/03/2026, English
5 Mar 2026 (never the US 3/5/2026), a 24-hour clock. A time is always shown in the reader's time zone
(``lms.timezones``, activated per request) followed by that zone, e.g. ``05/03/2026 14:05 (UTC+1)``:
an officer in Paris and HR in Hanoi never read the same clock time for two different moments.
Numbers take the language's decimal mark (87,5 in Vietnamese, 87.5 in English).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import get_language

# Spreadsheet number formats of date cells, in the same order as the language's DATE_FORMAT.
XLSX_DATE = {"vi": "dd/mm/yyyy", "en": "d mmm yyyy"}
XLSX_DATETIME = {"vi": "dd/mm/yyyy hh:mm", "en": "d mmm yyyy hh:mm"}
XLSX_MONTH = {"vi": "mm/yyyy", "en": "mmm yyyy"}


def language() -> str:
    return (get_language() or "vi")[:2]


def zone_label(zone: datetime.tzinfo | None = None, moment: datetime.datetime | None = None) -> str:
    """The UTC offset of ``zone`` at ``moment`` (default: now): "UTC+7", "UTC+1", "UTC+5:30", "UTC-3", "UTC"."""
    zone = zone or timezone.get_current_timezone()
    moment = moment or timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, zone)
    offset = moment.astimezone(zone).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(zone: datetime.tzinfo | None = None) -> str:
    zone = zone or timezone.get_current_timezone()
    return getattr(zone, "key", None) or str(zone)


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """A day (a datetime is first taken to the reader's zone: a late-evening moment in Hanoi is still that day)."""
    if value is None:
        return ""
    if isinstance(value, Month):
        return format_month(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)


def format_datetime(
    value: datetime.datetime | None, zone: datetime.tzinfo | None = None, *, with_zone: bool = True
) -> str:
    """A moment in the reader's zone (or ``zone``), with the zone: "05/03/2026 14:05 (UTC+1)"."""
    if value is None:
        return ""
    zone = zone or timezone.get_current_timezone()
    local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
    text = formats.date_format(local, "DATETIME_FORMAT", use_l10n=True)
    return f"{text} ({zone_label(zone, local)})" if with_zone else text


def format_time(value: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> str:
    """The clock time of a moment in the reader's zone, with the zone: "14:05 (UTC+1)"."""
    if value is None:
        return ""
    zone = zone or timezone.get_current_timezone()
    local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
    return f"{formats.time_format(local, 'TIME_FORMAT', use_l10n=True)} ({zone_label(zone, local)})"


def format_month(value: datetime.date | None) -> str:
    """A month as the charts and tables name it: "03/2026" in Vietnamese, "Mar 2026" in English."""
    if value is None:
        return ""
    return formats.date_format(value, "YEAR_MONTH_FORMAT", use_l10n=True)


def format_number(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """A number with the language's decimal mark. Whole numbers (head counts) never get a decimal part."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and decimals is None:
        value = int(value)
    if isinstance(value, int):
        return formats.number_format(value, 0, use_l10n=True)
    if decimals is None:
        # Up to two decimals, no trailing zeros (87.5, 87.46, 87).
        rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{rounded:f}".rstrip("0").rstrip(".")
        return text.replace(".", formats.get_format("DECIMAL_SEPARATOR", use_l10n=True))
    return formats.number_format(value, decimals, use_l10n=True)


def format_value(value) -> str:
    """Any table cell as text: months, days, moments (with their zone) and numbers in the reader's format."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return str(value)


def zone_from_name(name: str | None) -> datetime.tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError, OSError):
        return None


class Month(datetime.date):
    """The first day of a month standing for the whole month: tables and exports print it as a month."""

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month, 1)
