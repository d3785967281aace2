"""Template filters for dates, times and numbers, one format per language (see ``lms.formatting``).

{% load hocso %}
{{ enrolment.due_date|day }}        05/03/2026 · 5 Mar 2026
{{ attempt.submitted_at|when }}     05/03/2026 14:05 (UTC+1)
{{ attempt.deadline|clock }}        14:05 (UTC+1)
{{ snapshot.month|month }}          03/2026 · Mar 2026
{{ share|num }} {{ mean|num:1 }}    87,5 · 211 (never 211.0)
"""

from django import template

from lms import formatting

register = template.Library()


@register.filter
def day(value):
    return formatting.format_date(value) if value not in (None, "") else ""


@register.filter
def when(value):
    return formatting.format_datetime(value) if value not in (None, "") else ""


@register.filter
def clock(value):
    return formatting.format_time(value) if value not in (None, "") else ""


@register.filter
def month(value):
    return formatting.format_month(value) if value not in (None, "") else ""


@register.filter
def num(value, decimals=None):
    if value in (None, ""):
        return ""
    return formatting.format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def cell(value):
    """A table cell: a month, day, moment or number in the reader's format; anything else as it is."""
    return formatting.format_value(value) if not isinstance(value, str) else value


@register.filter
def position(title):
    """A position title in the reader's language (the English name recorded for it, in English)."""
    from lms.positions import position_label

    return position_label(title)


@register.filter
def profile_name(name):
    """A target profile's name in the reader's language. Closed evaluation records keep the name as it read
    when the period closed (usually Vietnamese); in English, the profile's English name (one query)."""
    if not name or not formatting.language().startswith("en"):
        return name
    from assessments.models import TargetProfile

    english = TargetProfile.objects.filter(name_vi=name).exclude(name_en="").values_list("name_en", flat=True).first()
    return english or name


@register.simple_tag
def zone_label():
    """The reader's zone right now, for headings such as "Times in UTC+1"."""
    return formatting.zone_label()
