import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from courses.models import CoursePage
from courses.services.authoring import catalogue_authoring_setup
from lms import roles
from tests.courses.conftest import make_course
from tests.factories import make_person


@pytest.fixture
def trainers(catalogue, unit):
    roles.sync_roles()
    catalogue_authoring_setup(catalogue=catalogue)
    return make_person("author", unit, role=roles.TRAINERS), make_person("reviewer", unit, role=roles.TRAINERS)


def test_setup_is_idempotent(catalogue, trainers):
    from wagtail.models import GroupPagePermission, WorkflowPage

    before = GroupPagePermission.objects.count()
    catalogue_authoring_setup(catalogue=catalogue)
    assert GroupPagePermission.objects.count() == before
    assert WorkflowPage.objects.filter(page=catalogue).count() == 1


def test_trainer_may_edit_but_not_publish(catalogue, trainers):
    author, _ = trainers
    course = make_course(catalogue, title="Nháp", slug="draft", live=False)
    perms = course.permissions_for_user(author.user)
    assert perms.can_edit() and not perms.can_publish()
    assert catalogue.permissions_for_user(author.user).can_add_subpage()


def test_a_second_trainer_approves_and_the_course_goes_live(client, catalogue, trainers):
    author, reviewer = trainers
    course = make_course(catalogue, title="Văn bản điện tử", slug="vbdt", live=False)
    # the author edits and submits for review through the admin
    client.force_login(author.user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "title": "Văn bản điện tử",
            "slug": "vbdt",
            "summary": "Gửi và nhận văn bản, ký số.",
            "estimated_hours": "3",
            "level": "beginner",
            "renew_days_before": "30",
            "action-submit": "Submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    course = CoursePage.objects.get(pk=course.pk)
    state = course.current_workflow_state
    assert state is not None and state.requested_by_id == author.user.pk
    task_state = state.current_task_state
    task = task_state.task.specific
    # the author cannot approve their own submission
    assert task.get_actions(course, author.user) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, author.user, "approve")
    assert not CoursePage.objects.get(pk=course.pk).live
    # a second trainer approves in the admin, which publishes the course
    assert [a[0] for a in task.get_actions(course, reviewer.user)] == ["reject", "approve", "approve"]
    client.force_login(reviewer.user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "Nội dung chính xác."})
    assert response.status_code == 302
    course = CoursePage.objects.get(pk=course.pk)
    assert course.live and course.summary == "Gửi và nhận văn bản, ký số."
    assert not course.permissions_for_user(reviewer.user).can_publish()


def test_trainer_may_translate_a_course(client, catalogue, trainers):
    from wagtail.models import Locale

    author, _ = trainers
    Locale.objects.get_or_create(language_code="en")
    course = make_course(catalogue, title="Dịch", slug="dich")
    client.force_login(author.user)
    url = reverse("simple_translation:submit_page_translation", args=[course.pk])
    assert client.get(url).status_code == 200
