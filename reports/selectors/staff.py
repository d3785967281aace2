"""The staff list of a unit subtree: one query for the count, one for the page, whatever the size."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Avg, Count, F, FloatField, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.models import CompetencyScore
from courses.models import Enrolment, EnrolmentSource
from lms.accounts.models import InvitationState, with_invitation_state
from lms.models import Unit
from lms.positions import position_label

from ..filters import Filters
from . import competency as comp_selectors
from . import scope

SORTS = {
    "name": ("full_name", "pk"),
    "-name": ("-full_name", "-pk"),
    "number": ("employee_number",),
    "-number": ("-employee_number",),
    "position": ("position", "full_name", "pk"),
    "-position": ("-position", "-full_name", "-pk"),
    "unit": ("unit__path", "full_name", "pk"),
    "-unit": ("-unit__path", "-full_name", "-pk"),
    "score": (F("mean_score").asc(nulls_first=True), "full_name", "pk"),
    "-score": (F("mean_score").desc(nulls_last=True), "full_name", "pk"),
    "overdue": ("overdue", "full_name", "pk"),
    "-overdue": ("-overdue", "full_name", "pk"),
    "signin": ("invitation_state", "full_name", "pk"),
    "-signin": ("-invitation_state", "-full_name", "-pk"),
}


def columns() -> list[tuple[str, object]]:
    """(sort key, label) of the sortable columns, in display order."""
    return [
        ("number", _("Employee number")),
        ("name", _("Full name")),
        ("unit", _("Unit")),
        ("position", _("Position")),
        ("score", _("Mean score")),
        ("overdue", _("Overdue training")),
        ("signin", _("Sign-in")),
    ]


def staff_list(user, unit: Unit | None, filters: Filters, sort: str = "name", today=None) -> QuerySet:
    """Rows (dicts) for the staff list of ``unit``'s subtree (None: the filters' unit, else the whole scope)
    within the caller's scope, with the mean current score (0..1) in the selected framework and the number
    of overdue assigned courses, as subqueries so that a page is one query."""
    today = today or timezone.localdate()
    framework = comp_selectors.framework_for(filters)
    comps = [c.pk for c in comp_selectors.competencies(filters, framework)]
    people = scope.scope_people(user, replace(filters, unit_id=unit.pk) if unit is not None else filters)
    mean = (
        CompetencyScore.objects.filter(person=OuterRef("pk"), competency_id__in=comps)
        .order_by()
        .values("person")
        .annotate(m=Avg("score"))
        .values("m")
    )
    overdue = (
        Enrolment.objects.filter(
            person=OuterRef("pk"), source=EnrolmentSource.ASSIGNED, completed_at__isnull=True, due_date__lt=today
        )
        .exclude(status="withdrawn")
        .order_by()
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )
    people = people.annotate(
        mean_score=Subquery(mean, output_field=FloatField()),
        overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
    )
    people = with_invitation_state(people)  # not invited / invited / joined / expired (lms.accounts)
    return people.order_by(*SORTS.get(sort, SORTS["name"])).values(
        "pk",
        "employee_number",
        "full_name",
        "position",
        "grade",
        "unit__code",
        "unit__name_vi",
        "unit__name_en",
        "mean_score",
        "overdue",
        "invitation_state",
    )


def table_row(row: dict) -> tuple:
    """One row of the staff table as the page shows it and the CSV/XLSX carry it, column for column:
    employee number, full name, unit, position, mean score (0–100, whole), overdue training, sign-in state
    (lms.accounts: not invited, invited, joined, invitation expired)."""
    english = (get_language() or "vi").startswith("en")
    mean = row["mean_score"]
    return (
        row["employee_number"],
        row["full_name"],
        row["unit__name_en"] if english else row["unit__name_vi"],
        position_label(row["position"]),
        None if mean is None else round(mean * 100),
        row["overdue"],
        str(InvitationState(row["invitation_state"]).label),
    )
