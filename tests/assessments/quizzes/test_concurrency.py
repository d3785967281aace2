"""Two submits of the same attempt at the same moment, on separate PostgreSQL connections: one grading."""

import threading

import pytest
from django.db import connection, connections

from assessments.models import Evidence
from assessments.quizzes.models import Attempt
from assessments.quizzes.services import attempts as services
from tests.assessments.quizzes.conftest import make_quiz


def _ensure_site():
    from wagtail.models import Locale, Page, Site

    if Site.objects.filter(is_default_site=True).exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=Page(title="HocSo", slug="home", locale=locale))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


@pytest.fixture
def site(transactional_db):
    _ensure_site()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_grade_once(site, course, bank, learner, competency):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    quiz = make_quiz(course, questions=[bank["single"], bank["multiple"]], slug="race")
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    barrier = threading.Barrier(2)
    outcomes, failures = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            _attempt, new = services.attempt_submit(attempt_id=attempt.pk, person=learner)
            outcomes.append(new)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    assert sorted(outcomes) == [False, True]
    assert Attempt.objects.get(pk=attempt.pk).status == "submitted"
    # competency and competency2 each got exactly one piece of evidence from this attempt
    assert Evidence.objects.filter(source_ref=attempt.source_ref).count() == 2
