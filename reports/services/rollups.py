"""Monthly roll-ups of the competency snapshots per unit and competency (see ``UnitCompetencyMonth``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from assessments.models import CompetencyScoreSnapshot

from ..models import UnitCompetencyMonth
from .freshness import dashboard_data_changed


@transaction.atomic
def unit_months_refresh(*, months: list[datetime.date] | None = None) -> int:
    """Rebuild the roll-up for the given months (default: every month that has snapshots); returns rows written."""
    if months is None:
        months = list(CompetencyScoreSnapshot.objects.order_by().values_list("month", flat=True).distinct())
    if not months:
        return 0
    UnitCompetencyMonth.objects.filter(month__in=months).delete()
    rows = (
        CompetencyScoreSnapshot.objects.filter(month__in=months, person__is_active=True)
        .values("person__unit_id", "person__position", "competency_id", "month")
        .annotate(n=Count("id"), total=Sum("score"))
        .order_by()
    )
    objs = [
        UnitCompetencyMonth(
            unit_id=r["person__unit_id"],
            position=r["person__position"],
            competency_id=r["competency_id"],
            month=r["month"],
            people=r["n"],
            score_sum=r["total"],
        )
        for r in rows
    ]
    UnitCompetencyMonth.objects.bulk_create(objs, batch_size=5000)
    for month in months:
        if month.month == 12:  # a year-end: what the dashboard shows for that year
            score_cells_refresh(month=month)
    dashboard_data_changed()
    return len(objs)


def recent_months(today: datetime.date | None = None) -> list[datetime.date]:
    today = today or timezone.localdate()
    this = today.replace(day=1)
    previous = (this - datetime.timedelta(days=1)).replace(day=1)
    return [previous, this]


@transaction.atomic
def score_cells_refresh(*, now: datetime.datetime | None = None, month: datetime.date | None = None) -> int:
    """Rebuild ``UnitScoreCell`` from the current scores of the active staff, as one picture; returns rows written.
    With ``month``, rebuild that month's ``UnitScoreMonthCell`` rows from its snapshots instead.

    One INSERT ... SELECT, so the millions of score rows never leave the database; readers see
    the previous picture until this transaction commits."""
    from django.db import connection

    from assessments.models import CompetencyScore
    from lms.models import StaffProfile

    from ..models import UnitScoreCell, UnitScoreMonthCell

    now = now or timezone.now()
    cells = (UnitScoreMonthCell if month else UnitScoreCell)._meta.db_table
    scores = (CompetencyScoreSnapshot if month else CompetencyScore)._meta.db_table
    people = StaffProfile._meta.db_table
    # table names from the models' metadata, values as parameters
    columns = "unit_id, position, competency_id, level_id, people, score_sum, refreshed_at"
    extra, of_month, month_params = "", "", []
    if month:
        columns += ", month"
        extra, of_month, month_params = ", %s", " AND s.month = %s", [month]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # two refreshes at once would each delete the old picture and both insert theirs (double counts);
            # this mode queues writers and still lets the dashboard read the previous picture
            cursor.execute(f"LOCK TABLE {cells} IN EXCLUSIVE MODE")
        if month:
            cursor.execute(f"DELETE FROM {cells} WHERE month = %s", [month])  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {cells}")  # noqa: S608
        # one statement, so the scores and the headcounts are read from one snapshot
        cursor.execute(
            f"INSERT INTO {cells} ({columns}) "  # noqa: S608
            f"SELECT p.unit_id, p.position, s.competency_id, s.level_id, COUNT(*), SUM(s.score), %s{extra} "
            f"FROM {scores} s JOIN {people} p ON p.id = s.person_id WHERE p.is_active{of_month} "
            f"GROUP BY p.unit_id, p.position, s.competency_id, s.level_id "
            f"UNION ALL "
            f"SELECT p.unit_id, p.position, NULL, NULL, COUNT(*), 0, %s{extra} "
            f"FROM {people} p WHERE p.is_active GROUP BY p.unit_id, p.position",
            [now, *month_params, *month_params, now, *month_params],
        )
        written = cursor.rowcount
    dashboard_data_changed()
    return written
