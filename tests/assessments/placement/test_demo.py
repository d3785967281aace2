"""The demo step: a bilingual bank of 120 items per language, two published forms, a few officers placed."""

from __future__ import annotations

import io

from assessments.models import Competency, Evidence
from assessments.placement import demo
from assessments.placement.demo_items import ITEMS
from assessments.placement.models import DiagnosticForm, DiagnosticSession
from assessments.quizzes.models import Question
from tests.factories import make_person, make_unit


def test_demo_bank_covers_every_competency_and_places_officers(frameworks, monkeypatch):
    monkeypatch.setattr(demo, "PLACED", 2)
    codes = set(Competency.objects.filter(framework=frameworks["VN-DCF"]).values_list("code", flat=True))
    assert len(codes) == 24
    assert {code for code, *_ in ITEMS} == codes
    assert all(sum(1 for c, *_ in ITEMS if c == code) >= 5 for code in codes)
    assert {d for *_, d, _t, _vi, _en in [(i[0], i[1], i[2], i[3], i[4]) for i in ITEMS]} <= {1, 2, 3, 4, 5}
    unit = make_unit("DEMO-P")
    for n in range(3):
        make_person(f"demo-p{n}", unit)
    out = io.StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)  # idempotent
    assert Question.objects.filter(pool__name=demo.POOLS["vi"], locale__language_code="vi").count() == 120
    assert Question.objects.filter(pool__name=demo.POOLS["en"], locale__language_code="en").count() == 120
    assert DiagnosticForm.objects.filter(status="published").count() == 2
    sessions = DiagnosticSession.objects.filter(status="completed")
    assert sessions.count() == 2
    assert Evidence.objects.filter(source="diagnostic").count() == 2 * 24
