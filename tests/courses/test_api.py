from courses.models import Enrolment
from courses.services.enrolment import enrolment_create
from tests.factories import make_admin, make_person


def test_me_shows_only_my_learning(client, course, learner, unit):
    other = make_person("other", unit)
    enrolment_create(person=other, course=course)
    client.force_login(learner.user)
    assert client.get("/api/v1/courses/me").json() == {"enrolments": [], "completions": []}
    response = client.post(f"/api/v1/courses/{course.pk}/enrol")
    assert response.status_code == 201
    body = response.json()
    assert body["course_id"] == course.pk and body["lessons_required"] == 3 and body["source"] == "self"
    mine = client.get("/api/v1/courses/me").json()["enrolments"]
    assert [e["course_id"] for e in mine] == [course.pk]
    assert Enrolment.objects.filter(person=learner).count() == 1


def test_enrol_needs_a_staff_profile_and_a_live_course(client, course):
    client.force_login(make_admin())
    response = client.post(f"/api/v1/courses/{course.pk}/enrol")
    assert response.status_code == 403 and "hồ sơ" in response.json()["detail"]


def test_anonymous_gets_401(client, course):
    assert client.get("/api/v1/courses/me").status_code == 401


def test_unknown_course_is_404(client, learner):
    client.force_login(learner.user)
    assert client.post("/api/v1/courses/999999/enrol").status_code == 404
