"""Monthly roll-ups of the competency snapshots per unit and competency (see ``UnitCompetencyMonth``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from assessments.models import CompetencyScoreSnapshot

from ..models import UnitCompetencyMonth


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
        .values("person__unit_id", "competency_id", "month")
        .annotate(n=Count("id"), total=Sum("score"))
        .order_by()
    )
    objs = [
        UnitCompetencyMonth(
            unit_id=r["person__unit_id"],
            competency_id=r["competency_id"],
            month=r["month"],
            people=r["n"],
            score_sum=r["total"],
        )
        for r in rows
    ]
    UnitCompetencyMonth.objects.bulk_create(objs, batch_size=5000)
    return len(objs)


def recent_months(today: datetime.date | None = None) -> list[datetime.date]:
    today = today or timezone.localdate()
    this = today.replace(day=1)
    previous = (this - datetime.timedelta(days=1)).replace(day=1)
    return [previous, this]
