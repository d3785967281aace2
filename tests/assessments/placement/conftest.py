"""Placement fixtures: a small framework (2 areas × 2 competencies, 4 levels) and a diagnostic bank for it."""

from __future__ import annotations

import pytest

from assessments.models import Competency, CompetencyArea, Framework, ProficiencyLevel
from assessments.placement.models import DiagnosticForm
from assessments.quizzes.models import QuestionPool
from tests.assessments.quizzes.conftest import make_question
from tests.factories import make_person, make_unit


@pytest.fixture
def small_framework(db):
    fw = Framework.objects.create(code="T-DIAG", version="1", name_vi="Thử", name_en="Test")
    for rank, code, min_score in ((1, "L1", 0.0), (2, "L2", 0.25), (3, "L3", 0.5), (4, "L4", 0.75)):
        ProficiencyLevel.objects.create(
            framework=fw, rank=rank, code=code, name_vi=code, name_en=code, min_score=min_score
        )
    for a in (1, 2):
        area = CompetencyArea.objects.create(
            framework=fw, code=str(a), name_vi=f"LV {a}", name_en=f"Area {a}", sort_order=a
        )
        for c in (1, 2):
            Competency.objects.create(
                framework=fw, area=area, code=f"{a}.{c}", name_vi=f"NL {a}.{c}", name_en=f"Comp {a}.{c}", sort_order=c
            )
    return fw


def make_bank(framework, pool, *, per_competency=3):
    """True/false items: "statement i is true" (the key is True), difficulty spread 1..5."""
    questions = []
    for comp in Competency.objects.filter(framework=framework).order_by("code"):
        for i in range(per_competency):
            questions.append(
                make_question(
                    "true_false",
                    title=f"{comp.code} item {i}",
                    true_false_answer=True,
                    competencies=[(comp, 1.0)],
                    pool=pool,
                    difficulty=1 + (i % 5),
                )
            )
    return questions


@pytest.fixture
def pool(db):
    return QuestionPool.objects.create(name="Diagnostic bank")


@pytest.fixture
def bank(small_framework, pool):
    return make_bank(small_framework, pool)


@pytest.fixture
def form(small_framework, pool, bank):
    return DiagnosticForm.objects.create(
        title_vi="Đánh giá đầu vào",
        title_en="Placement test",
        framework=small_framework,
        pool=pool,
        min_items=2,
        max_items=4,
        se_target=0.2,
        stop_confidence=0.0,  # every level of this framework is in one band: the band stop would end at once
    )


@pytest.fixture
def officer(db):
    unit = make_unit("DIAG")
    return make_person("diag-officer", unit)
