"""Demo quizzes: one per demo course (11 questions: 8 of its own across every type, 3 drawn from a shared
security pool), and simulated attempts by the officers enrolled in each course. Idempotent and quick.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from assessments.models import Competency
from assessments.scoring import grading
from courses.models import CoursePage

from .demo_content import QUIZZES, SECURITY, SECURITY_POOL
from .keys import key_from_snapshot, masks_for, to_learner
from .models import Attempt, Question, QuestionChoice, QuestionCompetency, QuestionPool, QuizDraw, QuizPage, QuizSlot
from .services import attempts as services
from .services.versions import question_versions_current, questions_with_content

QUIZ_SLUG = "kiem-tra"
ATTEMPTS_PER_QUIZ = 28
STAFF_PASSED = "cong-thong-tin-dien-tu"


def _question(spec: dict, pool: QuestionPool | None, competencies: dict) -> Question:
    existing = Question.objects.filter(title=spec["title"]).first()
    if existing is not None:
        return existing
    q = Question(
        title=spec["title"],
        kind=spec["kind"],
        locale=Locale.objects.get_or_create(language_code=spec["lang"])[0],
        stem=spec["stem"],
        pool=pool,
        difficulty=spec.get("difficulty", 2),
        general_feedback=spec.get("feedback", ""),
        true_false_answer=spec.get("tf"),
        numeric_answer=spec["num"][0] if "num" in spec else None,
        numeric_tolerance=spec["num"][1] if "num" in spec else 0,
        accepted_answers="\n".join(spec.get("accepted", [])),
        accent_insensitive=bool(spec.get("accent")),
    )
    for i, choice in enumerate(spec.get("choices", [])):
        text, correct, *rest = choice
        q.choices.add(
            QuestionChoice(
                text=text,
                is_correct=correct,
                match_text=rest[0] if rest else "",
                feedback=rest[1] if len(rest) > 1 else "",
                sort_order=i,
            )
        )
    for framework, code, weight in spec.get("comps", []):
        competency = competencies.get((framework, code))
        if competency is not None:
            q.competency_links.add(QuestionCompetency(competency=competency, weight=weight))
    q.save()
    return q


def _response(snapshot: dict, right: bool, rng: random.Random):
    """A right answer, or a plausible wrong one, for a question snapshot."""
    key = key_from_snapshot(snapshot)
    ids = list(key.choices)
    kind = key.kind
    if kind == grading.SINGLE:
        return key.correct if right else rng.choice([c for c in ids if c != key.correct] or ids)
    if kind == grading.MULTIPLE:
        if right:
            return sorted(key.correct)
        return sorted(rng.sample(ids, rng.randint(1, len(ids))))
    if kind == grading.TRUE_FALSE:
        return key.correct if right else not key.correct
    if kind == grading.NUMERIC:
        return f"{key.correct:g}".replace(".", ",") if right else f"{key.correct + rng.choice([1, 2, 10]):g}"
    if kind == grading.SHORT_TEXT:
        return key.accepted[0] if right else rng.choice(["không biết", "I don't know", "PDF"])
    if kind == grading.MATCHING:
        targets = list(ids) if right else rng.sample(ids, len(ids))
        return dict(zip(ids, targets, strict=True))
    if kind == grading.ORDERING:
        return list(key.correct) if right else rng.sample(ids, len(ids))
    return None


def _simulate(quiz: QuizPage, course: CoursePage, rng: random.Random) -> int:
    """Attempts by officers enrolled in the course over the programme's year, graded by the real services:
    those who completed the course took the quiz in the days before they completed it; others tried it
    while learning. Every attempt is started, answered and submitted through the services at its date."""
    from courses.models import Enrolment

    if Attempt.objects.filter(quiz=quiz).exists():
        return 0
    enrolments = list(
        Enrolment.objects.filter(course=course, person__is_active=True)
        .exclude(person__user__username="staff")
        .select_related("person__user")
        .order_by("completed_at", "pk")
    )
    done = [e for e in enrolments if e.completed_at is not None]
    learning = [e for e in enrolments if e.completed_at is None]
    chosen = rng.sample(done, min(len(done), ATTEMPTS_PER_QUIZ * 3 // 4))
    chosen += rng.sample(learning, min(len(learning), ATTEMPTS_PER_QUIZ - len(chosen)))
    # The demo officer passed the portal course months ago; their other quizzes are left for them to take.
    if course.slug == STAFF_PASSED:
        chosen += list(
            Enrolment.objects.filter(person__user__username="staff", course=course).select_related("person__user")
        )
    now = timezone.now()
    difficulty = dict(Question.objects.values_list("pk", "difficulty"))
    made = 0
    for enrolment in sorted(chosen, key=lambda e: e.pk):
        person = enrolment.person
        ability = rng.uniform(0.3, 0.95) if person.user.username != "staff" else 0.9  # they passed it
        tries = 1 if ability > 0.7 else rng.randint(1, 2)
        if enrolment.completed_at is not None:
            started = enrolment.completed_at - timedelta(days=rng.randint(1, 3) * tries, hours=rng.randint(1, 8))
        else:
            started = now - timedelta(days=rng.randint(5, 150), hours=rng.randint(0, 8))
        started = max(started, enrolment.enrolled_at + timedelta(minutes=5))
        for _ in range(tries):
            attempt, _created = services.attempt_start(person=person, quiz=quiz, now=started)
            answers = {}
            for item in attempt.items.select_related("version"):
                chance = ability - 0.1 * (difficulty.get(item.question_id, 2) - 2)
                response = _response(item.version.snapshot, rng.random() < chance, rng)
                answers[str(item.pk)] = to_learner(masks_for(item), response)  # as the learner's page sends it
            services.attempt_answers_save(attempt_id=attempt.pk, person=person, answers=answers, now=started)
            services.attempt_submit(
                attempt_id=attempt.pk, person=person, now=started + timedelta(minutes=rng.randint(4, 14))
            )
            made += 1
            started = min(started + timedelta(days=rng.randint(1, 3)), now - timedelta(hours=2))
            ability = min(0.98, ability + 0.15)
    return made


@transaction.atomic
def seed(stdout=None) -> None:
    rng = random.Random(2026)
    competencies = {
        (c.framework.code, c.code): c
        for c in Competency.objects.filter(framework__is_current=True).select_related("framework")
    }
    pool, _created = QuestionPool.objects.get_or_create(
        name=SECURITY_POOL, defaults={"description": "Câu hỏi an toàn thông tin dùng chung cho mọi bài kiểm tra."}
    )
    security = [_question(spec, pool, competencies) for spec in SECURITY]
    made_quizzes = made_attempts = 0
    for slug, data in QUIZZES.items():
        course = CoursePage.objects.filter(slug=slug, locale__language_code="vi").first()
        if course is None:
            continue
        quiz = QuizPage.objects.child_of(course).filter(slug=QUIZ_SLUG).first()
        if quiz is None:
            questions = [_question(spec, None, competencies) for spec in data["questions"]]
            quiz = course.add_child(
                instance=QuizPage(
                    title=data["title"],
                    slug=QUIZ_SLUG,
                    intro=data["intro"],
                    time_limit_minutes=data["time_limit"],
                    max_attempts=3,
                    pass_mark=70 if data["time_limit"] else 60,
                    grading_method="highest",
                    review=4,
                    shuffle_questions=True,
                    shuffle_choices=True,
                )
            )
            for i, question in enumerate(questions):
                QuizSlot.objects.create(page=quiz, question=question, sort_order=i)
            QuizDraw.objects.create(page=quiz, count=3, pool=pool, min_difficulty=1, sort_order=0)
            made_quizzes += 1
        question_versions_current(questions=list(questions_with_content([q.pk for q in security])))
        made_attempts += _simulate(quiz, course, rng)
    if stdout is not None:
        stdout.write(f"Quizzes: {made_quizzes} new quizzes, {made_attempts} simulated attempts.")
