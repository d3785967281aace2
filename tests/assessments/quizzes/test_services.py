from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from assessments.models import Evidence
from assessments.quizzes import presenters
from assessments.quizzes.errors import (
    AttemptFinished,
    AttemptLimitReached,
    DeadlinePassed,
    InvalidAnswer,
    QuizClosed,
    QuizEmpty,
)
from assessments.quizzes.models import Attempt, AttemptQuestion, QuestionChoice, QuizDraw, QuizOverride
from assessments.quizzes.services import attempts as services
from assessments.quizzes.services.versions import question_version_refresh
from courses.models import Enrolment
from tests.assessments.quizzes.conftest import make_question, make_quiz, right_answer


def answer_all(attempt, person, *, skip=()):
    payload = presenters.attempt_payload(attempt)
    answers = {str(q["id"]): right_answer(q) for q in payload["questions"] if q["kind"] not in skip}
    services.attempt_answers_save(attempt_id=attempt.pk, person=person, answers=answers)
    return payload


def test_start_stores_the_draw_and_resumes_instead_of_starting_twice(quiz, learner, bank):
    attempt, created = services.attempt_start(person=learner, quiz=quiz)
    again, created_again = services.attempt_start(person=learner, quiz=quiz)
    assert created and not created_again and again.pk == attempt.pk
    items = list(attempt.items.order_by("position"))
    assert [i.question_id for i in items] == [q.pk for q in bank.values()]
    assert all(i.version.question_id == i.question_id for i in items)
    # an ordering question is never shown in its correct order
    ordering = next(i for i in items if i.question_id == bank["ordering"].pk)
    assert ordering.choice_order != [c["id"] for c in ordering.version.snapshot["choices"]]


def test_full_marks_and_evidence_per_competency(quiz, learner, competency, competency2):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    answer_all(attempt, learner, skip=("numeric",))
    attempt, new = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert new and attempt.points == 6 and attempt.max_points == 7 and attempt.passed
    evidence = {e.competency_id: e for e in Evidence.objects.filter(source_ref=f"quiz-attempt:{attempt.pk}")}
    # competency: single (w 1, right) + multiple (w .5, right) -> 1.0; competency2: multiple (1) right, numeric (1) blank
    assert evidence[competency.pk].score == pytest.approx(1.0)
    assert evidence[competency.pk].weight == pytest.approx(0.75)
    assert evidence[competency2.pk].score == pytest.approx(0.5)
    assert all(e.source == "quiz" for e in evidence.values())


def test_submitting_twice_has_one_effect(quiz, learner):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    answer_all(attempt, learner)
    first, new1 = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    second, new2 = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert (new1, new2) == (True, False)
    assert second.percent == first.percent == 100
    assert Evidence.objects.filter(source_ref=f"quiz-attempt:{attempt.pk}").count() == 2


def test_answers_are_partial_idempotent_and_validated_before_writing(quiz, learner, other, bank):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    items = {i.question_id: i for i in attempt.items.all()}
    single, numeric = items[bank["single"].pk], items[bank["numeric"].pk]
    choice = str(bank["single"].choices.get(text="B").pk)
    for _ in range(2):
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(single.pk): choice})
    single.refresh_from_db()
    assert single.response == choice
    # one bad answer in the batch: nothing of the batch is written, the error names the field
    with pytest.raises(InvalidAnswer) as bad:
        services.attempt_answers_save(
            attempt_id=attempt.pk, person=learner, answers={str(single.pk): None, str(numeric.pk): "ba phẩy năm"}
        )
    assert bad.value.field == f"answers.{numeric.pk}" and "không phải là số" in str(bad.value)
    single.refresh_from_db()
    assert single.response == choice
    # a question from somebody else's attempt is not part of this one
    theirs, _ = services.attempt_start(person=other, quiz=quiz)
    foreign = theirs.items.first()
    with pytest.raises(InvalidAnswer) as outside:
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(foreign.pk): choice})
    assert outside.value.field == f"answers.{foreign.pk}"
    # and their attempt is not ours to touch at all
    with pytest.raises(Attempt.DoesNotExist):
        services.attempt_answers_save(attempt_id=theirs.pk, person=learner, answers={})


def test_a_choice_of_another_question_is_rejected(quiz, learner, bank):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    single = attempt.items.get(question=bank["single"])
    wrong = str(bank["multiple"].choices.first().pk)
    with pytest.raises(InvalidAnswer, match="không phải là lựa chọn của câu hỏi này"):
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(single.pk): wrong})


def test_deadline_is_enforced_by_the_server_with_a_frozen_clock(course, bank, learner):
    quiz = make_quiz(course, questions=[bank["single"], bank["true_false"]], time_limit_minutes=10)
    start = timezone.now()
    with freeze_time(start) as clock:
        attempt, _ = services.attempt_start(person=learner, quiz=quiz)
        assert attempt.deadline == start + timedelta(minutes=10)
        single = attempt.items.get(question=bank["single"])
        tf = attempt.items.get(question=bank["true_false"])
        right = str(bank["single"].choices.get(text="B").pk)
        clock.tick(timedelta(minutes=9))
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(single.pk): right})
        clock.tick(timedelta(minutes=1, seconds=20))  # past the deadline, inside the grace period
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(tf.pk): False})
        clock.tick(timedelta(minutes=1))  # past deadline + grace
        with pytest.raises(DeadlinePassed):
            services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(tf.pk): True})
        with pytest.raises(DeadlinePassed):
            services.attempt_submit(attempt_id=attempt.pk, person=learner)
        tf.refresh_from_db()
        attempt.refresh_from_db()
        assert tf.response is False and attempt.status == "in_progress"  # the refusals wrote nothing
        # the server closes it with what was saved by then
        assert services.attempts_close_overdue() == 1
        attempt.refresh_from_db()
        assert attempt.status == "submitted" and attempt.auto_submitted
        assert attempt.submitted_at == attempt.deadline and attempt.points == 1
        assert services.attempts_close_overdue() == 0


def test_overrides_give_extra_time_and_attempts(course, bank, learner):
    quiz = make_quiz(course, questions=[bank["single"]], time_limit_minutes=10, max_attempts=1)
    QuizOverride.objects.create(quiz=quiz, person=learner, extra_minutes=5, extra_attempts=1)
    first, _ = services.attempt_start(person=learner, quiz=quiz)
    assert first.deadline - first.started_at == timedelta(minutes=15)
    services.attempt_submit(attempt_id=first.pk, person=learner)
    second, _ = services.attempt_start(person=learner, quiz=quiz)
    services.attempt_submit(attempt_id=second.pk, person=learner)
    with pytest.raises(AttemptLimitReached):
        services.attempt_start(person=learner, quiz=quiz)
    assert Attempt.objects.filter(quiz=quiz).count() == 2


def test_attempt_limit_and_open_close_dates(course, bank, learner):
    now = timezone.now()
    limited = make_quiz(course, questions=[bank["single"]], max_attempts=1)
    attempt, _ = services.attempt_start(person=learner, quiz=limited)
    services.attempt_submit(attempt_id=attempt.pk, person=learner)
    with pytest.raises(AttemptLimitReached, match="hết 1 lượt"):
        services.attempt_start(person=learner, quiz=limited)
    later = make_quiz(course, questions=[bank["single"]], opens_at=now + timedelta(days=1))
    with pytest.raises(QuizClosed, match="mở từ"):
        services.attempt_start(person=learner, quiz=later)
    closed = make_quiz(course, questions=[bank["single"]], closes_at=now - timedelta(minutes=1))
    with pytest.raises(QuizClosed, match="đã đóng"):
        services.attempt_start(person=learner, quiz=closed)
    empty = make_quiz(course)
    with pytest.raises(QuizEmpty):
        services.attempt_start(person=learner, quiz=empty)
    assert Attempt.objects.filter(person=learner).count() == 1


def test_close_date_caps_the_deadline(course, bank, learner):
    closes = timezone.now() + timedelta(minutes=5)
    quiz = make_quiz(course, questions=[bank["single"]], time_limit_minutes=60, closes_at=closes)
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    assert attempt.deadline == closes


def test_answers_after_submission_are_refused(quiz, learner, bank):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    services.attempt_submit(attempt_id=attempt.pk, person=learner)
    item = attempt.items.get(question=bank["true_false"])
    with pytest.raises(AttemptFinished):
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(item.pk): True})


def test_random_draws_from_a_pool_at_a_difficulty_and_per_competency(course, bank, learner, competency, competency2):
    quiz = make_quiz(course, shuffle_questions=True)
    QuizDraw.objects.create(page=quiz, count=2, pool=bank["single"].pool, min_difficulty=4, sort_order=0)
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    drawn = set(attempt.items.values_list("question_id", flat=True))
    assert len(drawn) == 2 and drawn <= {bank["short_text"].pk, bank["matching"].pk, bank["ordering"].pk}

    per = make_quiz(course, slug="per-competency")
    QuizDraw.objects.create(page=per, count=1, per_competency=True, sort_order=0)
    attempt, _ = services.attempt_start(person=learner, quiz=per)
    drawn = list(attempt.items.values_list("question_id", flat=True))
    linked = {
        competency.pk: {bank["single"].pk, bank["multiple"].pk},
        competency2.pk: {bank["multiple"].pk, bank["numeric"].pk},
    }
    assert len(drawn) == 2 and len(set(drawn)) == 2
    assert any(q in linked[competency.pk] for q in drawn) and any(q in linked[competency2.pk] for q in drawn)


def test_editing_a_seen_question_makes_a_new_version(quiz, learner, bank):
    question = bank["single"]
    v1 = question_version_refresh(question=question)
    # no attempt yet: edits update the version in place
    question.stem = "<p>Which one (edited before use)?</p>"
    question.save()
    assert question_version_refresh(question=question).pk == v1.pk
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    seen = attempt.items.get(question=question)
    assert seen.version_id == v1.pk
    question.stem = "<p>Which one (edited after use)?</p>"
    question.save()
    v2 = question_version_refresh(question=question)
    assert v2.pk != v1.pk and v2.number == 2
    seen.refresh_from_db()
    assert seen.version_id == v1.pk and "before use" in seen.version.snapshot["stem"]
    payload = presenters.attempt_payload(attempt)
    assert "before use" in next(q for q in payload["questions"] if q["id"] == seen.pk)["stem"]
    # the next attempt sees the new version
    services.attempt_submit(attempt_id=attempt.pk, person=learner)
    nxt, _ = services.attempt_start(person=learner, quiz=quiz)
    assert nxt.items.get(question=question).version_id == v2.pk


def test_regrade_after_a_key_fix_updates_scores_and_supersedes_evidence(quiz, learner, bank, competency):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    single = attempt.items.get(question=bank["single"])
    picked_a = str(bank["single"].choices.get(text="A").pk)
    services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(single.pk): picked_a})
    attempt, _ = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert attempt.points == 0
    old = Evidence.objects.get(source_ref=attempt.source_ref, competency=competency)
    # the trainer fixes the key: A was right after all
    QuestionChoice.objects.filter(question=bank["single"]).update(is_correct=False)
    QuestionChoice.objects.filter(question=bank["single"], text="A").update(is_correct=True)
    assert services.quiz_regrade(quiz=quiz) == 1
    attempt.refresh_from_db()
    single.refresh_from_db()
    assert attempt.points == 1 and attempt.regraded_at is not None
    assert single.graded_version_id != single.version_id  # the learner's version is kept
    old.refresh_from_db()
    assert old.superseded_at is not None
    live = Evidence.objects.live().get(source_ref=attempt.source_ref, competency=competency)
    assert live.score == pytest.approx(2 / 3)  # single (1 of 1, w 1) + multiple (0 of 1, w .5): 1 / 1.5
    assert services.quiz_regrade(quiz=quiz) == 0  # again: nothing more changes
    # each regrade is audited for the unit of the people it touched
    from reports.models import AuditEntry

    first, second = AuditEntry.objects.filter(action="quiz.regrade").order_by("pk")
    assert (first.unit, first.target_id, first.params["attempts"]) == (learner.unit, str(quiz.pk), 1)
    assert first.params["changed"] == [attempt.pk] and second.params["changed"] == []


def test_passing_a_required_quiz_completes_the_course(quiz, learner):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    services.attempt_submit(attempt_id=attempt.pk, person=learner)  # blank: fails
    assert Enrolment.objects.get(person=learner).completed_at is None
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    answer_all(attempt, learner)
    services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert Enrolment.objects.get(person=learner).completed_at is not None


def test_submit_runs_a_bounded_number_of_queries(course, learner, competency, django_assert_max_num_queries):
    def attempt_with(n):
        questions = [
            make_question("single", f"q{n}-{i}", choices=[("A", True), ("B", False)], competencies=[(competency, 1)])
            for i in range(n)
        ]
        quiz = make_quiz(
            course, questions=questions, slug=f"bounded-{n}-{Attempt.objects.count()}", required_for_completion=False
        )
        attempt, _ = services.attempt_start(person=learner, quiz=quiz)
        answer_all_a = {str(i.pk): i.version.snapshot["choices"][0]["id"] for i in attempt.items.all()}
        services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers=answer_all_a)
        return attempt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for n in (1, 5, 20):  # the first one completes the course (certificate); the others compare like with like
        attempt = attempt_with(n)
        with CaptureQueriesContext(connection) as ctx:
            services.attempt_submit(attempt_id=attempt.pk, person=learner)
        counts[n] = len(ctx.captured_queries)
        assert Attempt.objects.get(pk=attempt.pk).percent == 100
    assert counts[5] == counts[20]  # no per-question query loop
    attempt = attempt_with(20)
    with django_assert_max_num_queries(30):
        services.attempt_submit(attempt_id=attempt.pk, person=learner)


def test_items_keep_their_points(quiz, learner):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    answer_all(attempt, learner)
    services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert list(AttemptQuestion.objects.filter(attempt=attempt).values_list("points", flat=True)) == [1.0] * 7
