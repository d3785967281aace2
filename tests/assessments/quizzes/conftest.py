"""Quiz fixtures: a course with a quiz, a learner enrolled in it, and a bank of questions of every type."""

import pytest
from wagtail.models import Locale

from assessments.models import Competency
from assessments.quizzes.models import Question, QuestionChoice, QuestionCompetency, QuestionPool, QuizPage, QuizSlot
from courses.services.enrolment import enrolment_create
from tests.courses.conftest import make_course
from tests.factories import make_person


def make_question(kind="single", title=None, *, choices=(), competencies=(), pool=None, **fields) -> Question:
    """``choices``: (text, is_correct[, match_text]) tuples; ``competencies``: (competency, weight) pairs."""
    language = fields.pop("language", "vi")
    fields.setdefault("locale", Locale.objects.get_or_create(language_code=language)[0])
    fields.setdefault("stem", f"<p>{title or kind}?</p>")
    q = Question(kind=kind, title=title or f"{kind} {Question.objects.count() + 1}", pool=pool, **fields)
    for i, spec in enumerate(choices):
        text, correct, *match = spec
        q.choices.add(
            QuestionChoice(
                text=text, is_correct=correct, match_text=match[0] if match else "", sort_order=i, feedback=f"fb {text}"
            )
        )
    for competency, weight in competencies:
        q.competency_links.add(QuestionCompetency(competency=competency, weight=weight))
    q.save()
    return q


def make_quiz(course, *, questions=(), title="Kiểm tra cuối khoá", **fields) -> QuizPage:
    fields.setdefault("shuffle_questions", False)
    fields.setdefault("shuffle_choices", False)
    fields.setdefault("pass_mark", 50)
    slug = fields.pop("slug", None) or f"quiz-{QuizPage.objects.count() + 1}"
    quiz = course.add_child(instance=QuizPage(title=title, slug=slug, **fields))
    for i, q in enumerate(questions):
        QuizSlot.objects.create(page=quiz, question=q, sort_order=i)
    return quiz


@pytest.fixture
def competency(db):
    from django.apps import apps

    from assessments.migrations._framework_data import install

    if not Competency.objects.exists():
        install(apps)
    return Competency.objects.order_by("pk")[0]


@pytest.fixture
def competency2(competency):
    return Competency.objects.order_by("pk")[1]


@pytest.fixture
def unit(db):
    from tests.factories import make_unit

    return make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")


@pytest.fixture
def course(db):
    return make_course(title="Chữ ký số", slug="chu-ky-so")


@pytest.fixture
def learner(unit, course):
    person = make_person("learner", unit, full_name="Nguyễn Thị Hồng Nhung")
    enrolment_create(person=person, course=course)
    return person


@pytest.fixture
def other(unit, course):
    person = make_person("other", unit, full_name="Trần Văn Bình")
    enrolment_create(person=person, course=course)
    return person


@pytest.fixture
def bank(competency, competency2):
    """One question of each type; answers in ``KEYS`` (by title) fetch full marks."""
    pool = QuestionPool.objects.create(name="Chữ ký số")
    return {
        "single": make_question(
            "single",
            "single",
            choices=[("A", False), ("B", True), ("C", False)],
            competencies=[(competency, 1.0)],
            pool=pool,
            difficulty=1,
        ),
        "multiple": make_question(
            "multiple",
            "multiple",
            choices=[("A", True), ("B", True), ("C", False), ("D", False)],
            competencies=[(competency, 0.5), (competency2, 1.0)],
            pool=pool,
            difficulty=2,
        ),
        "true_false": make_question("true_false", "true_false", true_false_answer=True, pool=pool, difficulty=3),
        "numeric": make_question(
            "numeric",
            "numeric",
            numeric_answer=3.5,
            numeric_tolerance=0.05,
            competencies=[(competency2, 1.0)],
            pool=pool,
            difficulty=3,
        ),
        "short_text": make_question(
            "short_text",
            "short_text",
            accepted_answers="Chữ ký số\ndigital signature",
            accent_insensitive=True,
            pool=pool,
            difficulty=4,
        ),
        "matching": make_question(
            "matching",
            "matching",
            choices=[("PDF", False, "tài liệu"), ("USB token", False, "khoá")],
            pool=pool,
            difficulty=4,
        ),
        "ordering": make_question(
            "ordering",
            "ordering",
            choices=[("một", False), ("hai", False), ("ba", False)],
            pool=pool,
            difficulty=5,
        ),
    }


def right_answer(question: dict):
    """The full-marks response for a question as the API shows it (learner view, no key)."""
    title_kind = question["kind"]
    by_text = {c["text"]: c["id"] for c in question.get("choices", [])}
    if title_kind == "single":
        return by_text["B"]
    if title_kind == "multiple":
        return [by_text["A"], by_text["B"]]
    if title_kind == "true_false":
        return True
    if title_kind == "numeric":
        return "3,5"
    if title_kind == "short_text":
        return "chu ky so"
    if title_kind == "matching":
        targets = {t["text"]: t["id"] for t in question["targets"]}
        return {by_text["PDF"]: targets["tài liệu"], by_text["USB token"]: targets["khoá"]}
    if title_kind == "ordering":
        return [by_text["một"], by_text["hai"], by_text["ba"]]
    raise AssertionError(title_kind)


@pytest.fixture
def quiz(course, bank):
    return make_quiz(course, questions=list(bank.values()))
