"""Playback: the activity page, the sandboxed player, package files and resume state."""

import json

import pytest
from django.urls import reverse

from courses.h5p import playback
from courses.h5p.models import H5PUserData
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def activity_course(activity):
    from courses.h5p.selectors import lessons_using
    from courses.selectors import course_of_lesson

    return course_of_lesson(lessons_using(activity).get())


@pytest.fixture
def activity(import_activity):
    return import_activity("H5P.TrueFalse.h5p", title="Oslo")


def player_token(client, activity):
    launch = client.get(reverse("h5p:launch", args=[activity.pk]))
    assert launch.status_code == 200
    data = launch.json()
    start = data["playerUrl"].index("/h5p/play/") + len("/h5p/play/")
    return data["playerUrl"][start : data["playerUrl"].index("/", start)], data


def test_activity_page_has_nothing_personal_in_its_html(client, learner, activity):
    client.force_login(learner.user)
    html = client.get(reverse("h5p:activity", args=[activity.pk])).content.decode()
    assert f'data-launch-url="/h5p/activities/{activity.pk}/launch"' in html
    assert "/h5p/play/" not in html


def test_launch_gives_a_sandboxed_player_for_this_learner(client, learner, activity):
    client.force_login(learner.user)
    token, data = player_token(client, activity)
    assert data["sandbox"] == "allow-scripts allow-popups allow-forms"
    assert "allow-same-origin" not in data["sandbox"]
    assert data["playerOrigin"] == "null"
    assert data["csrfToken"]
    grant = playback.read_token(token)
    assert (grant.activity_id, grant.user_id) == (activity.pk, learner.user_id)


def test_separate_player_origin_when_configured(client, learner, activity, settings):
    settings.H5P_PLAYER_ORIGIN = "https://player.hocso.example"
    client.force_login(learner.user)
    _token, data = player_token(client, activity)
    assert data["playerUrl"].startswith("https://player.hocso.example/h5p/play/")
    assert data["playerOrigin"] == "https://player.hocso.example"
    assert data["sandbox"] == ""


def test_player_document_is_sandboxed_even_when_opened_directly(client, learner, activity):
    client.force_login(learner.user)
    token, _html = player_token(client, activity)
    anonymous = client.__class__()
    response = anonymous.get(reverse("h5p:player", args=[token]))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts") and "allow-same-origin" not in csp
    assert "frame-ancestors http://testserver" in csp
    config = json.loads(
        response.content.decode().split('id="h5p-config" type="application/json">')[1].split("</script>")[0]
    )
    assert (
        config["xAPIObjectIRI" if "xAPIObjectIRI" in config else "iri"]
        == f"http://testserver/h5p/activities/{activity.pk}/"
    )
    assert config["h5pJsonPath"].endswith("/files")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_package_files_are_served_with_nosniff_to_token_holders(client, learner, activity):
    client.force_login(learner.user)
    token, _html = player_token(client, activity)
    other = client.__class__()  # no cookies: the sandboxed iframe has none either
    h5p_json = other.get(reverse("h5p:file", args=[token, "h5p.json"]))
    assert h5p_json.status_code == 200
    assert h5p_json["Content-Type"] == "application/json"
    assert h5p_json["X-Content-Type-Options"] == "nosniff"
    assert h5p_json["Access-Control-Allow-Origin"] == "*"
    assert "sandbox" in h5p_json["Content-Security-Policy"]
    js = other.get(reverse("h5p:file", args=[token, "H5P.TrueFalse-1.6/scripts/h5p-true-false.js"]))
    assert js.status_code == 200 and js["Content-Type"] == "text/javascript"


@pytest.mark.parametrize("path", ["../../../etc/passwd", "content/../h5p.json", "nope.json", "H5P.Gone-1.0/x.js"])
def test_paths_outside_the_package_are_404(client, learner, activity, path):
    client.force_login(learner.user)
    token, _html = player_token(client, activity)
    assert client.get(f"/h5p/play/{token}/files/{path}").status_code == 404


def test_tampered_or_foreign_tokens_are_404(client, learner, activity, import_activity):
    from django.core import signing

    client.force_login(learner.user)
    token, _html = player_token(client, activity)
    assert client.get(reverse("h5p:file", args=[token[:-2] + "xx", "h5p.json"])).status_code == 404
    other = import_activity("H5P.MultiChoice.h5p", place=False)  # not playable by this learner
    wrong_salt = signing.dumps({"u": learner.user_id, "a": other.pk}, salt="something else", compress=True)
    assert client.get(reverse("h5p:file", args=[wrong_salt, "h5p.json"])).status_code == 404
    # validly signed and bound to their session, but not theirs to play
    not_allowed = playback.make_token(user=learner.user, activity=other, session_key=client.session.session_key)
    assert client.get(reverse("h5p:file", args=[not_allowed, "h5p.json"])).status_code == 404
    assert client.get(reverse("h5p:player", args=[not_allowed])).status_code == 404


def test_token_of_a_deactivated_learner_stops_working(client, learner, activity):
    client.force_login(learner.user)
    token, _html = player_token(client, activity)
    learner.is_active = False
    learner.save()
    assert client.get(reverse("h5p:file", args=[token, "h5p.json"])).status_code == 404


def test_people_who_may_not_play_get_404(client, activity, learner, import_activity):
    assert client.get(reverse("h5p:activity", args=[activity.pk])).status_code == 302  # sign in first
    outsider = make_person("outsider", learner.unit)  # not enrolled in the course
    client.force_login(outsider.user)
    assert client.get(reverse("h5p:activity", args=[activity.pk])).status_code == 404
    assert client.get(reverse("h5p:launch", args=[activity.pk])).status_code == 404
    client.force_login(learner.user)
    unplaced = import_activity("H5P.MultiChoice.h5p", place=False)  # in no lesson at all
    assert client.get(reverse("h5p:launch", args=[unplaced.pk])).status_code == 404
    assert client.get(reverse("h5p:launch", args=[activity.pk])).status_code == 200


def test_open_courses_need_no_enrolment(client, learner, import_activity, h5p_course):
    h5p_course.open_access = True
    h5p_course.save()
    activity = import_activity("H5P.TrueFalse.h5p")
    outsider = make_person("outsider", learner.unit)
    client.force_login(outsider.user)
    assert client.get(reverse("h5p:launch", args=[activity.pk])).status_code == 200


def test_resume_state_is_saved_per_learner_and_handed_back(client, learner, activity):
    client.force_login(learner.user)
    url = reverse("h5p:state", args=[activity.pk])
    state = json.dumps({"answers": [1]})
    assert (
        client.post(
            url, {"dataType": "state", "subContentId": "0", "data": state}, content_type="application/json"
        ).status_code
        == 200
    )
    assert H5PUserData.objects.get(person=learner).data == state
    token, _html = player_token(client, activity)
    player = client.get(reverse("h5p:player", args=[token])).content.decode()
    assert '"contentUserData": {"0": {"state": ' in player
    someone = make_person("someone", learner.unit)
    from .conftest import enrol

    enrol(someone, activity_course(activity))
    client.force_login(someone.user)
    token, _html = player_token(client, activity)
    assert '"contentUserData": {}' in client.get(reverse("h5p:player", args=[token])).content.decode()
    # clearing
    client.force_login(learner.user)
    client.post(url, {"dataType": "state", "subContentId": "0", "data": None}, content_type="application/json")
    assert not H5PUserData.objects.filter(person=learner).exists()


@pytest.mark.parametrize(
    "body",
    [
        b"[1]",
        b"{bad",
        json.dumps({"dataType": "../x", "data": "{}"}).encode(),
        json.dumps({"data": 5}).encode(),
        json.dumps({"data": "x" * (65 * 1024)}).encode(),
    ],
)
def test_bad_resume_state_is_refused(client, learner, activity, body):
    client.force_login(learner.user)
    response = client.post(reverse("h5p:state", args=[activity.pk]), body, content_type="application/json")
    assert response.status_code == 400
    assert not H5PUserData.objects.exists()


def test_player_assets_are_served_from_node_modules(client):
    from django.contrib.staticfiles import finders

    assert finders.find("h5p-standalone/main.bundle.js")
    assert finders.find("h5p-standalone/frame.bundle.js")
    assert finders.find("h5p-standalone/styles/h5p.css")


def test_resume_state_per_learner_is_bounded(client, learner, activity, settings):
    settings.H5P_MAX_STATE_ROWS = 3
    client.force_login(learner.user)
    url = reverse("h5p:state", args=[activity.pk])

    def save(sub, data="{}"):
        body = {"dataType": "state", "subContentId": sub, "data": data}
        return client.post(url, body, content_type="application/json")

    assert [save(str(i)).status_code for i in range(3)] == [200, 200, 200]
    refused = save("3")
    assert refused.status_code == 400 and "3" in refused.json()["detail"]
    assert save("1", '{"answers": [2]}').status_code == 200  # updating an existing piece is always fine
    assert H5PUserData.objects.get(person=learner, sub_content_id="1").data == '{"answers": [2]}'
    assert H5PUserData.objects.filter(person=learner).count() == 3


def test_the_player_link_dies_with_the_session_and_is_nobody_elses(client, learner, activity):
    """Issue 18: the player URL kept working for 12 hours after sign-out, for anyone holding it."""
    from django.test import Client

    from courses.h5p.playback import TOKEN_MAX_AGE
    from tests.factories import make_person

    assert TOKEN_MAX_AGE <= 2 * 60 * 60
    client.force_login(learner.user)
    token, _data = player_token(client, activity)
    player = reverse("h5p:player", args=[token])
    files = reverse("h5p:file", args=[token, "h5p.json"])
    anonymous = Client()  # the sandboxed frame sends no cookie: the token alone opens it while the session lives
    assert anonymous.get(player).status_code == 200 and anonymous.get(files).status_code == 200
    # someone else's signed-in browser cannot use it
    other = Client()
    other.force_login(make_person("other-learner", learner.unit).user)
    assert other.get(player).status_code == 404 and other.get(files).status_code == 404
    # after sign-out nobody can
    client.post(reverse("logout"))
    assert anonymous.get(player).status_code == 404 and anonymous.get(files).status_code == 404
    assert client.get(player).status_code == 404
