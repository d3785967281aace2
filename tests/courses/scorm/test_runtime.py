"""Launch, player, CMI commits, resume, completion and evidence through the views."""

import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from assessments.models import Competency, Evidence
from courses.models import LessonProgress
from courses.scorm.models import SCORMAttempt, SCORMScoState
from courses.scorm.services import scorm_activity_import

from .conftest import GOLF_12, GOLF_2004, build_zip, place_in_lesson, toy_12

pytestmark = pytest.mark.testdata

PLAYER = "player.testserver"


@pytest.fixture(autouse=True)
def player_origin(settings):
    settings.SCORM_PLAYER_ORIGIN = f"http://{PLAYER}"
    settings.ALLOWED_HOSTS = ["testserver", PLAYER]


@pytest.fixture
def competency(db):
    return Competency.objects.order_by("pk").first()


@pytest.fixture
def activity_12(db, scorm_course, competency):
    activity = scorm_activity_import(path=GOLF_12, title="Golf 1.2", competencies=[(competency.pk, 0.5)])
    place_in_lesson(scorm_course, activity)
    return activity


@pytest.fixture
def toy_activity(db, scorm_course, tmp_path):
    path = tmp_path / "toy.zip"
    path.write_bytes(build_zip(toy_12()))
    activity = scorm_activity_import(path=path, title="Toy")
    place_in_lesson(scorm_course, activity)
    return activity


def launch(client, activity) -> str:
    response = client.post(reverse("scorm:launch", args=[activity.pk]))
    assert response.status_code == 200, response.content
    url = urlsplit(response.json()["playerUrl"])
    assert url.netloc == PLAYER
    return url.path


def commit(client, player_path: str, sco: str, cmi: dict, sequence: int | None = None):
    body = {"sco": sco, "cmi": cmi}
    if sequence is not None:
        body["sequence"] = sequence
    return client.post(
        player_path + "commit", data=json.dumps(body), content_type="text/plain;charset=UTF-8", HTTP_HOST=PLAYER
    )


def test_launch_needs_a_player_origin(client, learner, activity_12, settings):
    settings.SCORM_PLAYER_ORIGIN = ""
    client.force_login(learner.user)
    response = client.post(reverse("scorm:launch", args=[activity_12.pk]))
    assert response.status_code == 503
    assert "địa chỉ riêng của trình phát chưa được cấu hình" in response.json()["detail"]  # default language


def test_local_hosts_swap_for_the_player(settings):
    from courses.scorm.playback import player_origin

    settings.SCORM_PLAYER_ORIGIN = ""
    assert player_origin("http://127.0.0.1:8000") == "http://localhost:8000"
    assert player_origin("http://localhost:8123") == "http://127.0.0.1:8123"
    assert player_origin("https://hocso.example") == ""
    settings.H5P_PLAYER_ORIGIN = "https://h5p.hocso.example"
    assert player_origin("https://hocso.example") == "https://h5p.hocso.example"


def test_outsiders_cannot_launch(client, activity_12):
    from tests.factories import make_person, make_unit

    outsider = make_person("outsider", make_unit("OUT"))
    client.force_login(outsider.user)
    assert client.post(reverse("scorm:launch", args=[activity_12.pk])).status_code == 404
    assert client.get(reverse("scorm:launch", args=[activity_12.pk])).status_code in (404, 405)


def test_player_only_on_the_player_origin(client, learner, activity_12):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    assert client.get(path).status_code == 404  # on the site's own host: package code never runs there
    from django.test import Client

    client = Client()  # the player origin has no session cookie: the token is enough
    response = client.get(path, HTTP_HOST=PLAYER)
    assert response.status_code == 200
    assert "frame-ancestors http://testserver" in response["Content-Security-Policy"]
    config = json.loads(
        response.content.decode().split('id="scorm-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["version"] == "1.2"
    assert config["initial"]["item_1"]["cmi.core.entry"] == "ab-initio"
    assert config["initial"]["item_1"]["cmi.core.student_name"] == learner.full_name
    launch_file = client.get(path + "files/shared/launchpage.html", HTTP_HOST=PLAYER)
    assert launch_file.status_code == 200 and launch_file["Content-Type"].startswith("text/html")
    assert client.get(path + "files/../imsmanifest.xml", HTTP_HOST=PLAYER).status_code == 404
    assert client.get(path.replace("/play/", "/play/x") + "files/imsmanifest.xml", HTTP_HOST=PLAYER).status_code == 404


def test_commit_stores_cmi_and_resume_gives_it_back(client, learner, activity_12):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    values = {
        "cmi.core.lesson_location": "Etiquette/Course.html",
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.exit": "suspend",
        "cmi.core.session_time": "00:02:00",
        "cmi.suspend_data": "viewed=1,2",
    }
    response = commit(client, path, "item_1", values, sequence=1)
    assert response.json() == {"result": "true", "errorCode": 0}
    state = SCORMScoState.objects.get()
    assert (state.location, state.suspend_data, state.completion_status) == (
        "Etiquette/Course.html",
        "viewed=1,2",
        "incomplete",
    )
    assert state.total_seconds == 120
    # a second session adds to the total and starts with "resume"
    path = launch(client, activity_12)
    page = client.get(path, HTTP_HOST=PLAYER).content.decode()
    initial = json.loads(page.split('id="scorm-config" type="application/json">')[1].split("</script>")[0])["initial"]
    assert initial["item_1"]["cmi.core.entry"] == "resume"
    assert initial["item_1"]["cmi.core.lesson_location"] == "Etiquette/Course.html"
    assert initial["item_1"]["cmi.suspend_data"] == "viewed=1,2"
    assert initial["item_1"]["cmi.core.total_time"] == "0000:02:00"
    commit(client, path, "item_1", {**values, "cmi.core.session_time": "00:01:00"}, sequence=1)
    assert SCORMScoState.objects.get().total_seconds == 180
    assert SCORMAttempt.objects.get().completed_at is None


@pytest.mark.parametrize(
    ("cmi", "code"),
    [
        ({"cmi.core.score.raw": "150"}, 405),
        ({"cmi.core.lesson_status": "finished"}, 405),
        ({"cmi.core.session_time": "soon"}, 405),
    ],
)
def test_bad_cmi_values_store_nothing(client, learner, activity_12, cmi, code):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    response = commit(client, path, "item_1", {"cmi.core.lesson_location": "x", **cmi})
    assert response.status_code == 400
    assert response.json()["errorCode"] == code and response.json()["result"] == "false"
    assert not SCORMScoState.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"{not json",
        json.dumps({"sco": "item_1", "cmi": [1]}).encode(),
        # what the database or Python cannot take: a NUL, a lone surrogate, deep nesting, a sequence past the column
        b'{"sco": "item_1", "cmi": {"cmi.suspend_data": "a\\u0000b"}}',
        b'{"sco": "item_1", "cmi": {"cmi.suspend_data": "\\ud800"}}',
        b"[" * 5000 + b"]" * 5000,
        json.dumps({"sco": "item_1", "cmi": {}, "sequence": 3_000_000_000}).encode(),
    ],
)
def test_malformed_commits(client, learner, activity_12, body):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    response = client.post(path + "commit", data=body, content_type="application/json", HTTP_HOST=PLAYER)
    assert response.status_code == 400
    assert not SCORMScoState.objects.exists()


def test_unknown_item_and_bad_token(client, learner, activity_12):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    assert commit(client, path, "nope", {}).status_code == 400
    assert commit(client, "/scorm/play/forged/", "item_1", {}).status_code == 404


def test_an_older_window_stops_saving(client, learner, activity_12):
    client.force_login(learner.user)
    old = launch(client, activity_12)
    new = launch(client, activity_12)
    response = commit(client, old, "item_1", {"cmi.core.lesson_location": "old"})
    assert response.status_code == 409
    assert "đã được mở ở cửa sổ hoặc thiết bị khác" in response.json()["error"]
    assert commit(client, new, "item_1", {"cmi.core.lesson_location": "new"}).status_code == 200
    assert SCORMScoState.objects.get().location == "new"


def test_late_commit_of_the_same_session_is_ignored(client, learner, activity_12):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    commit(client, path, "item_1", {"cmi.core.lesson_location": "two"}, sequence=2)
    assert commit(client, path, "item_1", {"cmi.core.lesson_location": "one"}, sequence=1).status_code == 200
    assert SCORMScoState.objects.get().location == "two"


def test_completion_gives_self_reported_evidence_and_completes_the_lesson(
    client, learner, activity_12, competency, django_capture_on_commit_callbacks
):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    values = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "80", "cmi.core.score.max": "100"}
    with django_capture_on_commit_callbacks(execute=True):
        assert commit(client, path, "item_1", values, sequence=1).status_code == 200
    attempt = SCORMAttempt.objects.get()
    assert attempt.completed_at is not None and attempt.passed is True and attempt.score_scaled == 0.8
    evidence = Evidence.objects.get(person=learner)
    assert (evidence.source, evidence.source_ref) == ("scorm", f"scorm-attempt:{attempt.pk}")
    assert evidence.self_reported is True
    assert evidence.competency_id == competency.pk and evidence.score == pytest.approx(0.8)
    assert evidence.band == "basic"  # the activity's band
    assert LessonProgress.objects.filter(enrolment__person=learner, completed_at__isnull=False).count() == 1
    # a better result later supersedes the evidence
    with django_capture_on_commit_callbacks(execute=True):
        commit(client, path, "item_1", {**values, "cmi.core.score.raw": "95"}, sequence=2)
    live = Evidence.objects.live().get(person=learner)
    assert live.score == pytest.approx(0.95)
    assert Evidence.objects.filter(person=learner).count() == 2


def test_multi_sco_rolls_up(client, learner, toy_activity):
    client.force_login(learner.user)
    path = launch(client, toy_activity)
    commit(client, path, "i1", {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "90"})
    attempt = SCORMAttempt.objects.get()
    assert attempt.completed_at is None  # i2 still open
    commit(client, path, "i2", {"cmi.core.lesson_status": "completed"})
    attempt.refresh_from_db()
    assert attempt.completed_at is not None
    assert SCORMScoState.objects.get(item_identifier="i1").success_status == "passed"  # mastery score 80


def test_course_requires_the_package(learner, toy_activity, scorm_course):
    from courses.scorm.completion import scorm_requirements
    from courses.scorm.models import SCORMAttempt

    [requirement] = scorm_requirements(learner, scorm_course)
    assert requirement.key == f"scorm:{toy_activity.pk}" and requirement.met is False
    SCORMAttempt.objects.create(person=learner, activity=toy_activity, completed_at="2026-01-01T00:00:00Z")
    assert scorm_requirements(learner, scorm_course)[0].met is True


def test_2004_commit_errors(client, learner, scorm_course):
    activity = scorm_activity_import(path=GOLF_2004, title="Golf 2004")
    place_in_lesson(scorm_course, activity)
    client.force_login(learner.user)
    path = launch(client, activity)
    assert commit(client, path, "item_1", {"cmi.score.scaled": "2"}).json()["errorCode"] == 407
    assert commit(client, path, "item_1", {"cmi.success_status": "yes"}).json()["errorCode"] == 406
    ok = commit(client, path, "item_1", {"cmi.completion_status": "completed", "cmi.success_status": "passed"})
    assert ok.status_code == 200
    assert SCORMAttempt.objects.get().passed is True


def test_results_page_queries_do_not_grow(client, trainer, activity_12, scorm_course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_person, make_unit

    client.force_login(trainer.user)
    unit = make_unit("R1")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scorm:results", args=[activity_12.pk])).status_code == 200
        return len(queries)

    SCORMAttempt.objects.create(person=make_person("p0", unit), activity=activity_12)
    one = count()
    for i in range(1, 6):
        SCORMAttempt.objects.create(person=make_person(f"p{i}", unit), activity=activity_12)
    assert count() == one


def test_results_for_trainers_only(client, learner, trainer, activity_12):
    client.force_login(learner.user)
    path = launch(client, activity_12)
    commit(client, path, "item_1", {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "70"})
    assert client.get(reverse("scorm:results", args=[activity_12.pk])).status_code == 404
    client.force_login(trainer.user)
    response = client.get(reverse("scorm:results", args=[activity_12.pk]))
    assert response.status_code == 200 and learner.full_name in response.content.decode()
    csv = client.get(reverse("scorm:results_csv", args=[activity_12.pk]))
    assert learner.employee_number in b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode(
        "utf-8-sig"
    )


def test_evidence_opens_to_the_scorm_attempt(client, learner, activity_12, django_capture_on_commit_callbacks):
    pytest.importorskip("assessments.sources.registry")  # the evidence source registry (kind "scorm-attempt")
    client.force_login(learner.user)
    path = launch(client, activity_12)
    with django_capture_on_commit_callbacks(execute=True):
        commit(client, path, "item_1", {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "75"})
    evidence = Evidence.objects.get(person=learner)
    url = reverse("assessments:evidence_source", args=[learner.pk, evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Golf 1.2" in response.content.decode()


def test_signing_out_ends_the_launch(client, learner, activity_12):
    """The play token is bound to the session it was launched in: after sign-out it neither saves nor opens."""
    client.force_login(learner.user)
    path = launch(client, activity_12)
    assert commit(client, path, "item_1", {"cmi.core.lesson_location": "a"}).status_code == 200
    client.post(reverse("logout"))
    response = commit(client, path, "item_1", {"cmi.core.lesson_location": "b"})
    assert response.status_code == 403 and response.json()["result"] == "false"
    assert client.get(path, HTTP_HOST=PLAYER).status_code == 404
    assert SCORMScoState.objects.get().location == "a"
    # signed in again, a new launch works
    client.force_login(learner.user)
    assert commit(client, launch(client, activity_12), "item_1", {"cmi.core.lesson_location": "c"}).status_code == 200
