"""The officer's pages: start, one item at a time (nothing leaks), answers by plain form posts, result."""

from __future__ import annotations

import re

import pytest

from assessments.placement.models import DiagnosticSession, ItemParameters, SessionItem
from assessments.placement.services.bank import form_publish
from tests.factories import make_hr, make_person


@pytest.fixture
def published(form):
    form_publish(form=form)
    form.refresh_from_db()
    return form


def _login(client, person):
    client.force_login(person.user)
    return client


def _take_all(client, session, answer="true"):
    url = f"/my/placement/session/{session.pk}/"
    for _ in range(40):
        session.refresh_from_db()
        if not session.is_open:
            return
        current = SessionItem.objects.get(session=session, answered_at__isnull=True)
        response = client.post(url, {"position": current.position, "answer": answer})
        assert response.status_code == 302
    raise AssertionError("did not finish")


def test_whole_test_in_the_browser_without_javascript(client, published, officer):
    _login(client, officer)
    page = client.get("/my/placement/")
    assert page.status_code == 200 and published.title_vi in page.content.decode()
    response = client.post(f"/my/placement/{published.pk}/start/")
    session = DiagnosticSession.objects.get(person=officer)
    assert response["Location"] == f"/my/placement/session/{session.pk}/"
    html = client.get(response["Location"]).content.decode()
    current = SessionItem.objects.get(session=session, answered_at__isnull=True)
    # nothing but the current item: no key, no parameters, no other question
    assert current.question.stem in html
    assert 'name="position" value="1"' in html
    params = ItemParameters.objects.get(version=current.version)
    assert f"{params.b}" not in re.sub(r"<[^>]+>", "", html) or params.b == 0
    assert "correct" not in html.lower()
    other = SessionItem.objects.filter(session=session).exclude(pk=current.pk)
    assert not other.exists()
    _take_all(client, session)
    session.refresh_from_db()
    result = client.get(f"/placement/results/{session.pk}/")
    assert result.status_code == 200
    body = result.content.decode()
    assert "placement-data" in body and "Area 1" in body or "LV 1" in body
    # the session page of a finished session goes to the result
    assert client.get(f"/my/placement/session/{session.pk}/")["Location"] == f"/placement/results/{session.pk}/"


def test_bad_posts_get_a_message_and_change_nothing(client, published, officer):
    _login(client, officer)
    client.post(f"/my/placement/{published.pk}/start/")
    session = DiagnosticSession.objects.get(person=officer)
    url = f"/my/placement/session/{session.pk}/"
    for data in (
        {"position": "9", "answer": "true"},
        {"position": "x"},
        {"position": "1"},
        {"position": "1", "answer": "?"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "messages" in response.content.decode()
    assert SessionItem.objects.filter(session=session, answered_at__isnull=False).count() == 0
    # a replay of an answered position (double click, second tab)
    client.post(url, {"position": "1", "answer": "true"})
    response = client.post(url, {"position": "1", "answer": "false"}, follow=True)
    assert "already answered" in response.content.decode() or "đã được trả lời" in response.content.decode()
    assert SessionItem.objects.get(session=session, position=1).score == 1.0


def test_other_people_cannot_open_a_session_and_hr_sees_results_in_scope(client, published, officer):
    _login(client, officer)
    client.post(f"/my/placement/{published.pk}/start/")
    session = DiagnosticSession.objects.get(person=officer)
    intruder = make_person("nosy", officer.unit)
    _login(client, intruder)
    assert client.get(f"/my/placement/session/{session.pk}/").status_code == 404
    assert client.get(f"/placement/results/{session.pk}/").status_code == 404
    _login(client, officer)
    _take_all(client, session)
    hr = make_hr("hr-diag", officer.unit, officer.unit, second_factor=False)
    client.force_login(hr.user)
    assert client.get(f"/placement/results/{session.pk}/").status_code in (200, 302)
    _login(client, intruder)
    assert client.get(f"/placement/results/{session.pk}/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, published):
    assert client.get("/my/placement/").status_code == 302
    assert client.post(f"/my/placement/{published.pk}/start/").status_code == 302


def test_trainers_see_parameters_and_flags_and_publish(client, form, officer):
    from assessments.placement.models import ItemParameters
    from assessments.placement.services.bank import form_bank
    from lms import roles

    trainer = make_person("trainer-diag", officer.unit, role=roles.TRAINERS, second_factor=False)
    client.force_login(trainer.user)
    item = next(i for items in form_bank(form).values() for i in items)
    ItemParameters.objects.create(version_id=item.version_id, a=0.2, b=1.5, provenance="calibrated", flags=["misfit"])
    page = client.get(f"/admin/placement/{form.pk}/items/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "misfit" in html and ("1.50" in html or "1,50" in html)
    assert client.post(f"/admin/placement/{form.pk}/publish/").status_code == 302
    form.refresh_from_db()
    assert form.status == "published"
    client.force_login(officer.user)
    assert client.get(f"/admin/placement/{form.pk}/items/").status_code in (302, 404)


def test_item_page_runs_the_same_queries_whatever_the_bank_size(client, form, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms import roles

    from .conftest import make_bank

    trainer = make_person("trainer-q", officer.unit, role=roles.TRAINERS, second_factor=False)
    client.force_login(trainer.user)
    url = f"/admin/placement/{form.pk}/items/"
    client.get(url)  # versions made once
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make_bank(form.framework, form.pool, per_competency=3)  # twice the items
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
