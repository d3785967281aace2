import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import AssignmentRun, CourseAssignment, Enrolment, FanoutStatus
from courses.services.assignments import (
    AssignmentInvalid,
    assignment_fanout,
    assignments_sync,
)
from courses.services.enrolment import enrolment_create
from tests.factories import make_admin, make_hr, make_person, make_unit


@pytest.fixture
def tree(unit):
    eu = make_unit("EU", unit, kind="other")
    fr = make_unit("FR", eu, kind="embassy")
    jp = make_unit("JP", unit, kind="embassy")
    people = {
        "fr1": make_person("fr1", fr),
        "fr2": make_person("fr2", fr, position="Bí thư thứ hai"),
        "eu1": make_person("eu1", eu),
        "jp1": make_person("jp1", jp, position="Bí thư thứ hai"),
    }
    return {"BNG": unit, "EU": eu, "FR": fr, "JP": jp, **people}


@pytest.fixture(autouse=True)
def _commit_callbacks(django_capture_on_commit_callbacks):
    """Run the fan-out enqueued on commit, as it would after a real request."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def assign(**kwargs):
    from courses.services.assignments import assignment_create

    with _capture(execute=True):
        return assignment_create(**kwargs)


def due(days=30):
    return timezone.localdate() + dt.timedelta(days=days)


def test_assignment_to_a_unit_enrols_its_subtree_once_even_when_run_twice(course, tree):
    admin = make_admin()
    assignment = assign(actor=admin, course=course, units=[tree["EU"]], positions=[], due_date=due())
    run = AssignmentRun.objects.get(assignment=assignment)
    assert run.status == FanoutStatus.DONE  # eager Celery in tests
    assert run.total == 3 and run.created == 3 and run.processed == 3
    enrolled = set(Enrolment.objects.filter(course=course).values_list("person__user__username", flat=True))
    assert enrolled == {"fr1", "fr2", "eu1"}
    # a second fan-out of the same assignment (a redelivered task, a second run) creates nothing
    second = AssignmentRun.objects.create(assignment=assignment)
    assignment_fanout(run_id=second.pk)
    second.refresh_from_db()
    assert second.created == 0 and second.total == 3
    assert Enrolment.objects.filter(course=course).count() == 3
    assert set(Enrolment.objects.values_list("due_date", flat=True)) == {due()}


def test_finished_run_is_not_repeated(course, tree):
    assignment = assign(actor=make_admin(), course=course, units=[tree["FR"]], positions=[], due_date=due())
    run = AssignmentRun.objects.get(assignment=assignment)
    Enrolment.objects.all().delete()
    assignment_fanout(run_id=run.pk)
    assert Enrolment.objects.count() == 0


def test_units_without_subtree_and_positions(course, tree):
    admin = make_admin()
    assign(actor=admin, course=course, units=[tree["EU"]], positions=[], due_date=due(), include_subunits=False)
    assert set(Enrolment.objects.values_list("person__user__username", flat=True)) == {"eu1"}
    assign(actor=admin, course=course, units=[], positions=["Bí thư thứ hai"], due_date=due(10))
    assert set(Enrolment.objects.values_list("person__user__username", flat=True)) == {"eu1", "fr2", "jp1"}


def test_existing_self_enrolment_takes_the_due_date(course, tree):
    enrolment = enrolment_create(person=tree["fr1"], course=course)
    assign(actor=make_admin(), course=course, units=[tree["FR"]], positions=[], due_date=due(5))
    enrolment.refresh_from_db()
    assert enrolment.due_date == due(5)
    assert Enrolment.objects.filter(person=tree["fr1"]).count() == 1


def test_hr_cannot_assign_outside_their_subtree(course, tree):
    hr = make_hr("hr_eu", tree["EU"], tree["EU"])
    with pytest.raises(AssignmentInvalid) as exc:
        assign(actor=hr.user, course=course, units=[tree["FR"], tree["JP"]], positions=[], due_date=due())
    assert "JP" in str(exc.value) or "Unit JP" in str(exc.value)
    assert "units" in exc.value.errors
    assert not CourseAssignment.objects.exists() and not Enrolment.objects.exists()
    # ministry-wide (positions only) is for trainers and administrators
    with pytest.raises(AssignmentInvalid):
        assign(actor=hr.user, course=course, units=[], positions=["Bí thư thứ hai"], due_date=due())
    assign(actor=hr.user, course=course, units=[tree["FR"]], positions=[], due_date=due())
    assert Enrolment.objects.count() == 2


def test_bad_input_is_refused_with_field_messages(course, tree):
    with pytest.raises(AssignmentInvalid) as exc:
        assign(actor=make_admin(), course=course, units=[], positions=[], due_date=due(-1))
    assert set(exc.value.errors) == {"units", "due_date"}
    assert not CourseAssignment.objects.exists()


def test_people_who_join_later_are_enrolled_by_the_sync(course, tree):
    assign(actor=make_admin(), course=course, units=[tree["EU"]], positions=[], due_date=due())
    newcomer = make_person("newcomer", tree["FR"])
    mover = tree["jp1"]
    mover.unit = tree["FR"]
    mover.save()
    assert assignments_sync() == 2
    assert Enrolment.objects.filter(person__in=[newcomer, mover], course=course).count() == 2
    assert assignments_sync() == 0


def test_assignment_form_refuses_unit_outside_scope(client, course, tree, django_capture_on_commit_callbacks):
    hr = make_hr("hr_eu", tree["EU"], tree["EU"])
    client.force_login(hr.user)
    url = reverse("courses:assignment_new")
    form = client.get(url).context["form"]
    assert {u.code for u in form.fields["units"].queryset} == {"EU", "FR"}  # only their subtree is offered
    response = client.post(url, {"course": course.pk, "units": [tree["JP"].pk], "due_date": due().isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["units"]
    assert not CourseAssignment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"course": course.pk, "units": [tree["FR"].pk], "include_subunits": "on", "due_date": due().isoformat()},
        )
    assignment = CourseAssignment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{assignment.pk}/")
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and detail.context["run"].created == 2
    assert detail.context["counts"] == {"total": 2, "completed": 0, "in_progress": 2, "overdue": 0}


def test_staff_cannot_open_assignment_pages(client, course, tree):
    client.force_login(tree["fr1"].user)
    assert client.get(reverse("courses:assignment_new")).status_code == 404
    assert client.get(reverse("courses:assignment_list")).status_code == 404


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_fanout_runs_on_the_real_worker(celery_worker_process):
    from courses.tasks import assignment_fanout_task
    from tests.courses.conftest import make_course, make_lesson

    root = make_unit("ROOT", kind="ministry")
    for i in range(5):
        make_person(f"w{i}", root)
    course = make_course(title="Worker", slug="worker")
    make_lesson(course, slug="w-1")
    assignment = CourseAssignment.objects.create(course=course, due_date=due(), include_subunits=True)
    assignment.units.set([root])
    run = AssignmentRun.objects.create(assignment=assignment)
    result = assignment_fanout_task.delay(run.pk).get(timeout=60)
    assert result["status"] == "done" and result["created"] == 5
    run.refresh_from_db()
    assert run.status == FanoutStatus.DONE and Enrolment.objects.filter(course=course).count() == 5
