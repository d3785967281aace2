import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, WorkflowPage

from courses.models import CourseAssignment, CourseIndexPage, Enrolment
from tests.factories import make_person


def test_setup_course_catalogue_is_idempotent(db):
    call_command("setup_course_catalogue", stdout=StringIO())
    call_command("setup_course_catalogue", stdout=StringIO())
    catalogue = CourseIndexPage.objects.get()
    perms = set(
        GroupPagePermission.objects.filter(page=catalogue, group__name="Trainers").values_list(
            "permission__codename", flat=True
        )
    )
    assert "change_page" in perms and "publish_page" not in perms
    assert WorkflowPage.objects.filter(page=catalogue).count() == 1


def test_sync_assignments_command_enrols_newcomers(course, unit):
    assignment = CourseAssignment.objects.create(course=course, due_date=timezone.localdate() + dt.timedelta(days=9))
    assignment.units.set([unit])
    newcomer = make_person("newcomer", unit)
    out = StringIO()
    call_command("sync_assignments", stdout=out)
    assert "1 enrolment" in out.getvalue()
    assert Enrolment.objects.get(person=newcomer).due_date == assignment.due_date
