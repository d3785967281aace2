"""Trainer results per activity: scores, grading kind, flags, CSV export, permissions."""

import csv
import io
import json
import re
import uuid

import pytest
from django.urls import reverse

from tests.factories import make_hr, make_person

from .conftest import captured, enrol

pytestmark = pytest.mark.django_db

# 5 for the page itself, 6 for the admin layout around it (menu, permissions, site name): fixed.
RESULTS_QUERIES = 11


def play(client, statements):
    for statement in statements:
        response = client.post(
            reverse("h5p:statements"),
            json.dumps(dict(statement, id=str(uuid.uuid4()))),
            content_type="application/json",
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        )
        assert response.status_code == 200


@pytest.fixture
def played(client, learner, import_activity, h5p_course):
    """Three learners play TrueFalse: right, forged (wrong answer claiming full marks), unfinished."""
    activity = import_activity("H5P.TrueFalse.h5p", title="Oslo")
    people = [learner] + [make_person(f"p{i}", learner.unit) for i in range(2)]
    for person in people[1:]:
        enrol(person, h5p_course)
    client.force_login(people[0].user)
    play(client, captured("H5P.TrueFalse.statements.json", activity.pk))
    forged = captured("H5P.TrueFalse.statements.json", activity.pk)
    forged[2]["result"]["response"] = "false"
    client.force_login(people[1].user)
    play(client, forged)
    client.force_login(people[2].user)
    play(client, captured("H5P.TrueFalse.statements.json", activity.pk)[:1])
    client.logout()
    return activity, people


def test_trainer_sees_attempts_with_grading_and_flags(client, trainer, played, django_assert_num_queries):
    activity, people = played
    client.force_login(trainer.user)
    client.get(reverse("h5p:results", args=[activity.pk]))  # warm caches (session, roles)
    with django_assert_num_queries(RESULTS_QUERIES):
        response = client.get(reverse("h5p:results", args=[activity.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for person in people:
        assert person.full_name in html
    assert html.count("1 / 1") == 1 and html.count("0 / 1") == 1
    assert "claimed score differed" in html or "điểm tự báo khác" in html
    # in the admin's layout, with its menu and a way back to the activities
    assert 'id="wagtail-sidebar"' in html
    assert reverse("wagtailsnippets_h5p_h5pactivity:list") in html


def test_query_count_does_not_grow_with_attempts(client, trainer, played, django_assert_num_queries, h5p_course):
    activity, people = played
    for i in range(5):
        extra = make_person(f"extra{i}", people[0].unit)
        enrol(extra, h5p_course)
        client.force_login(extra.user)
        play(client, captured("H5P.TrueFalse.statements.json", activity.pk))
    client.force_login(trainer.user)
    client.get(reverse("h5p:results", args=[activity.pk]))
    with django_assert_num_queries(RESULTS_QUERIES):
        assert client.get(reverse("h5p:results", args=[activity.pk])).status_code == 200


def test_csv_export(client, trainer, played):
    activity, people = played
    client.force_login(trainer.user)
    response = client.get(reverse("h5p:results_csv", args=[activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 4  # header + 3 attempts
    # in the reader's language, times in their zone (named in the header), decimals with a comma
    assert rows[0][3] == "Bắt đầu (Asia/Ho_Chi_Minh)" and rows[0][4] == "Đã hoàn thành (Asia/Ho_Chi_Minh)"
    by_number = {row[0]: row for row in rows[1:]}
    right, forged, unfinished = (by_number[p.employee_number] for p in people)
    assert right[5:8] == ["1", "1", "100"]
    assert forged[5] == "0" and forged[10] == "1" and "điểm tự báo khác điểm chấm lại" in forged[11]
    assert unfinished[4] == "" and unfinished[5] == ""
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", right[3])


@pytest.mark.parametrize("who", ["learner", "hr", "anonymous"])
def test_others_cannot_see_results(client, played, who):
    activity, people = played
    if who == "learner":
        client.force_login(people[0].user)
    elif who == "hr":
        client.force_login(make_hr("hr", people[0].unit, people[0].unit).user)
    for name in ("h5p:results", "h5p:results_csv"):
        response = client.get(reverse(name, args=[activity.pk]))
        assert response.status_code == (302 if who == "anonymous" else 404)
