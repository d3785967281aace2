from django.urls import reverse

from courses.services.enrolment import enrolment_create
from tests.factories import make_admin, make_person


def test_admin_lists_learning_records_read_only(client, course, learner):
    enrolment_create(person=learner, course=course)
    admin = make_admin()
    client.force_login(admin)
    for name in ("enrolment", "coursecompletion", "certificate", "courseassignment"):
        response = client.get(reverse(f"{name}:index"))
        assert response.status_code == 200, name
    body = client.get(reverse("enrolment:index")).content.decode()
    assert "Nguyễn Thị Hồng Nhung" in body
    assert client.get(reverse("enrolment:add")).status_code in (302, 403)


def test_trainers_cannot_open_learner_records_in_admin(client, learner, unit):
    trainer = make_person("t1", unit, role="Trainers")
    from lms import roles

    roles.sync_roles()
    client.force_login(trainer.user)
    assert client.get(reverse("enrolment:index")).status_code in (302, 403)
