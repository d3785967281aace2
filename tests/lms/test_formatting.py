"""One date, time and number format per language, every time with its zone, in the reader's zone."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from lms import formatting

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime.datetime(2026, 3, 5, 13, 5, tzinfo=datetime.UTC)  # 20:05 in Hanoi, 14:05 in Paris


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [("vi", "05/03/2026", "03/2026"), ("en", "5 Mar 2026", "Mar 2026")],
)
def test_one_date_format_per_language(language, day, month):
    with translation.override(language):
        assert formatting.format_date(datetime.date(2026, 3, 5)) == day
        assert formatting.format_month(datetime.date(2026, 3, 1)) == month
        assert formatting.format_date(formatting.Month(2026, 3, 1)) == month
        # Django's own short formats are the same ones (templates using SHORT_DATE_FORMAT agree).
        from django.utils import formats

        assert formats.date_format(datetime.date(2026, 3, 5), "SHORT_DATE_FORMAT") == day
        assert formats.date_format(datetime.date(2026, 3, 5), "DATE_FORMAT") == day


def test_english_never_uses_the_us_order():
    with translation.override("en"):
        text = formatting.format_date(datetime.date(2026, 3, 5)) + formatting.format_datetime(MOMENT)
    assert "3/5" not in text and "03/05" not in text


@pytest.mark.parametrize(
    ("zone", "language", "expected"),
    [
        ("Asia/Ho_Chi_Minh", "vi", "05/03/2026 20:05 (UTC+7)"),
        ("Europe/Paris", "vi", "05/03/2026 14:05 (UTC+1)"),
        ("Europe/Paris", "en", "5 Mar 2026, 14:05 (UTC+1)"),
        ("America/New_York", "en", "5 Mar 2026, 08:05 (UTC-5)"),
        ("Asia/Kolkata", "en", "5 Mar 2026, 18:35 (UTC+5:30)"),
    ],
)
def test_a_time_is_shown_in_the_readers_zone_with_the_zone(zone, language, expected):
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        assert formatting.format_datetime(MOMENT) == expected
        clock, zone = re.search(r"(\d\d:\d\d) \((.+)\)$", expected).groups()
        assert formatting.format_time(MOMENT) == f"{clock} ({zone})"


def test_summer_time_changes_the_label():
    with timezone.override(ZoneInfo("Europe/Paris")):
        assert formatting.zone_label(moment=datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)) == "UTC+2"
        assert formatting.zone_label(moment=MOMENT) == "UTC+1"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [("vi", 87.5, "87,5"), ("en", 87.5, "87.5"), ("vi", 211.0, "211"), ("en", 211, "211"), ("vi", 0.125, "0,13")],
)
def test_numbers_take_the_languages_decimal_mark_and_counts_stay_whole(language, value, expected):
    with translation.override(language):
        assert formatting.format_number(value) == expected


def test_a_day_is_the_readers_day():
    late = datetime.datetime(2026, 3, 5, 20, 0, tzinfo=datetime.UTC)  # already 6 March in Hanoi
    with translation.override("vi"), timezone.override(ZoneInfo("Asia/Ho_Chi_Minh")):
        assert formatting.format_date(late) == "06/03/2026"
    with translation.override("vi"), timezone.override(ZoneInfo("Europe/Paris")):
        assert formatting.format_date(late) == "05/03/2026"


TEMPLATES = sorted(
    p for p in ROOT.glob("*/**/templates/**/*.html") if not {".venv", "node_modules"} & set(p.relative_to(ROOT).parts)
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_use_the_shared_formats(template):
    """No hand-written date format (Y-m-d, d/m/Y, H:i...) and no raw moment printed without its zone."""
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"\|(date|time):", text), "use |day, |when, |clock or |month (lms/templatetags/hocso.py)"
    assert not re.search(r"\{\{\s*[\w.]+_at\s*\}\}", text), "a moment needs |when (its zone) or |day"
