"""Assigned training: create an assignment, fan it out into enrolments, keep it in step with the organisation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lms import policy
from lms.models import StaffProfile, Unit

from .. import errors
from ..errors import CourseError
from ..models import (
    AssignmentRun,
    Certificate,
    CourseAssignment,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    FanoutStatus,
)
from ..selectors import canonical_page

BATCH_SIZE = 1000
# People who join a unit after the due date get this long from the day they are enrolled.
NEWCOMER_GRACE_DAYS = 30


class AssignmentInvalid(CourseError):
    """Bad input for an assignment; ``errors`` maps a form field to its messages."""

    def __init__(self, field_errors: dict[str, list[str]]):
        self.errors = field_errors
        super().__init__("; ".join(m for ms in field_errors.values() for m in ms))


def people_targeted(*, units: list[Unit], include_subunits: bool, positions: list[str]) -> QuerySet[StaffProfile]:
    """Active staff in the units (with subtrees if asked) and, if positions are given, in those positions.

    Shared by everything assigned "like training": course assignments and diagnostic campaigns.
    """
    positions = [p for p in positions if p]
    if not units and not positions:
        return StaffProfile.objects.none()
    qs = StaffProfile.objects.active()
    if units:
        unit_qs = (
            Unit.objects.within_any(units) if include_subunits else Unit.objects.filter(pk__in=[u.pk for u in units])
        )
        qs = qs.filter(unit__in=unit_qs)
    if positions:
        qs = qs.filter(position__in=positions)
    return qs


def assignment_targets(assignment: CourseAssignment) -> QuerySet[StaffProfile]:
    """Active staff concerned: in the units (with subtrees if asked) and, if positions are given, in those positions."""
    return people_targeted(
        units=list(assignment.units.all()),
        include_subunits=assignment.include_subunits,
        positions=assignment.positions,
    )


def clean_positions(positions: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for raw in positions:
        value = " ".join((raw or "").split())
        if value and value not in seen:
            seen.append(value)
    return seen


@transaction.atomic
def assignment_create(
    *,
    actor,
    course: CoursePage,
    units: list[Unit],
    positions: list[str],
    due_date: date,
    include_subunits: bool = True,
    today: date | None = None,
) -> CourseAssignment:
    """Validate and record an assignment, then fan it out in the background (after commit).

    Refused (nothing written) when the actor may not assign to one of the units, when there is
    no target, or when the due date is in the past. Without units the assignment is ministry-wide,
    which only trainers and administrators may do.
    """
    today = today or timezone.localdate()
    positions = clean_positions(positions)
    problems: dict[str, list[str]] = {}
    if not units and not positions:
        problems.setdefault("units", []).append(str(errors.MSG_NO_TARGET))
    for unit in units:
        if not policy.can(actor, "courses.assign", unit):
            problems.setdefault("units", []).append(str(errors.MSG_UNIT_OUT_OF_SCOPE % {"unit": unit.name}))
    if not units and positions and not policy.can(actor, "courses.assign", None):
        problems.setdefault("units", []).append(str(errors.MSG_NOT_ALLOWED_TO_ASSIGN))
    if due_date is None or due_date < today:
        problems.setdefault("due_date", []).append(str(errors.MSG_DUE_IN_PAST))
    course = canonical_page(course)
    if not course.live:
        problems.setdefault("course", []).append(str(errors.MSG_COURSE_NOT_LIVE))
    if problems:
        raise AssignmentInvalid(problems)
    assignment = CourseAssignment.objects.create(
        course=course,
        include_subunits=include_subunits,
        positions=positions,
        due_date=due_date,
        created_by=actor,
    )
    assignment.units.set(units)
    run = AssignmentRun.objects.create(assignment=assignment)
    from ..tasks import assignment_fanout_task

    transaction.on_commit(lambda: assignment_fanout_task.delay(run.pk))
    return assignment


def _fanout(assignment: CourseAssignment, *, today: date, run: AssignmentRun | None = None) -> tuple[int, int]:
    """Create the missing enrolments for an assignment; returns (people concerned, enrolments created).

    Idempotent: people with an open enrolment (they get the earlier due date) or a valid
    certificate are skipped, and the insert ignores conflicts on the one-open-enrolment constraint,
    so two runs at once cannot create duplicates.
    """
    course = assignment.course
    targets = assignment_targets(assignment)
    target_ids = list(targets.values_list("pk", flat=True))
    due_for_new = assignment.due_date if assignment.due_date >= today else today + timedelta(days=NEWCOMER_GRACE_DAYS)
    open_ids = set(Enrolment.objects.open().filter(course=course).values_list("person_id", flat=True))
    certified = set(
        Certificate.objects.filter(course=course)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=assignment.due_date))
        .values_list("person_id", flat=True)
    )
    # People already enrolled keep their enrolment but take the assignment's due date if it is earlier.
    Enrolment.objects.open().filter(course=course, person__in=targets).filter(
        Q(due_date__isnull=True) | Q(due_date__gt=assignment.due_date)
    ).update(due_date=assignment.due_date, assignment=assignment)
    missing = [pk for pk in target_ids if pk not in open_ids and pk not in certified]
    if run is not None:
        AssignmentRun.objects.filter(pk=run.pk).update(total=len(target_ids), processed=len(target_ids) - len(missing))
    now = timezone.now()
    created = 0
    for start in range(0, len(missing), BATCH_SIZE):
        batch = missing[start : start + BATCH_SIZE]
        with transaction.atomic():
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        person_id=pk,
                        course=course,
                        status=EnrolmentStatus.ACTIVE,
                        source=EnrolmentSource.ASSIGNED,
                        due_date=due_for_new,
                        assignment=assignment,
                        enrolled_at=now,
                    )
                    for pk in batch
                ],
                ignore_conflicts=True,
            )
        created += len(batch)
        if run is not None:
            AssignmentRun.objects.filter(pk=run.pk).update(
                processed=len(target_ids) - len(missing) + start + len(batch), created=created
            )
    return len(target_ids), created


def assignment_fanout(*, run_id: int, today: date | None = None) -> AssignmentRun | None:
    """Run one fan-out; a finished or missing run is left alone, so a redelivered task does no harm."""
    today = today or timezone.localdate()
    with transaction.atomic():
        run = (
            AssignmentRun.objects.select_for_update(of=("self",))
            .select_related("assignment__course")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status == FanoutStatus.DONE:
            return run
        run.status = FanoutStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    try:
        if run.assignment.is_active and run.assignment.course.live:
            _fanout(run.assignment, today=today, run=run)
    except Exception as exc:
        AssignmentRun.objects.filter(pk=run.pk).update(status=FanoutStatus.FAILED, error=str(exc)[:2000])
        raise
    AssignmentRun.objects.filter(pk=run.pk).update(status=FanoutStatus.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def assignments_sync(*, today: date | None = None) -> int:
    """Enrol people who joined an assigned unit (or took an assigned position) since the last run.

    Runs periodically (beat) and after a staff import; returns the number of enrolments created.
    """
    today = today or timezone.localdate()
    created = 0
    for assignment in CourseAssignment.objects.filter(is_active=True, course__live=True).select_related("course"):
        created += _fanout(assignment, today=today)[1]
    return created
