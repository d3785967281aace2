"""Quizzes in two languages: questions and quiz pages translated as lessons are, the draw in the learner's
language with the original as the fallback (and a notice), attempts that keep what was shown."""

import random

import pytest
from django.conf import settings
from wagtail.models import Locale

from assessments.quizzes.models import Attempt, Question, QuestionChoice, QuestionPool, QuizDraw
from assessments.quizzes.services import attempts as services
from assessments.quizzes.services.versions import question_version_refresh
from tests.assessments.quizzes.conftest import make_question, make_quiz


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def translate_question(question: Question, english: Locale, stem: str, texts: dict[str, str]) -> Question:
    """The "Translate" action of the bank (Wagtail's copy_for_translation), then the trainer's English text."""
    translated = question.copy_for_translation(english)
    translated.title = f"EN {question.title}"
    translated.stem = stem
    translated.save()
    for choice in translated.choices.all():
        QuestionChoice.objects.filter(pk=choice.pk).update(text=texts.get(choice.text, choice.text))
    return Question.objects.get(pk=translated.pk)


def translate_page(page, english, title):
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.title = title
    translated.save_revision().publish()
    return translated.specific


@pytest.fixture
def single(db):
    return make_question(
        "single",
        "Thiết bị ký số",
        stem="<p>Thiết bị nào lưu khoá bí mật?</p>",
        choices=[("Máy in", False), ("USB token", True)],
    )


@pytest.fixture
def single_en(single, english):
    return translate_question(single, english, "<p>Which device holds the private key?</p>", {"Máy in": "Printer"})


@pytest.fixture
def untranslated(db):
    return make_question("true_false", "Chữ ký số", stem="<p>Chữ ký số có giá trị pháp lý.</p>", true_false_answer=True)


def test_translation_shares_the_group_and_gets_its_own_versions(single, single_en):
    assert single_en.translation_key == single.translation_key and single_en.language == "en"
    assert single.language == "vi"
    assert single_en.current_version_id is None  # never the original's version
    version = question_version_refresh(question=single_en)
    assert version.question_id == single_en.pk and version.snapshot["language"] == "en"
    assert [c["text"] for c in version.snapshot["choices"]] == ["Printer", "USB token"]


def test_draw_in_the_learners_language_with_the_original_as_fallback(learner, course, single, single_en, untranslated):
    quiz = make_quiz(course, questions=[single, untranslated])
    attempt, _ = services.attempt_start(person=learner, quiz=quiz, language="en")
    items = list(attempt.items.select_related("version").order_by("position"))
    # counted under the original question, shown in English where translated, else in the original
    assert [i.question_id for i in items] == [single.pk, untranslated.pk]
    assert [i.version.question_id for i in items] == [single_en.pk, untranslated.pk]
    assert [i.version.snapshot["language"] for i in items] == ["en", "vi"]


def test_vietnamese_learner_gets_the_original(learner, course, single, single_en):
    quiz = make_quiz(course, questions=[single])
    attempt, _ = services.attempt_start(person=learner, quiz=quiz, language="vi")
    assert attempt.items.get().version.question_id == single.pk


def test_a_slot_holding_a_translation_counts_as_its_original(learner, course, single, single_en):
    quiz = make_quiz(course, questions=[single_en, single])
    attempt, _ = services.attempt_start(person=learner, quiz=quiz, language="vi")
    assert [i.version.question_id for i in attempt.items.order_by("position")] == [single.pk]


def test_a_draw_never_takes_a_question_twice_in_two_languages(course, single, single_en, english):
    pool = QuestionPool.objects.create(name="Ký số")
    Question.objects.filter(pk__in=[single.pk, single_en.pk]).update(pool=pool)
    quiz = make_quiz(course)
    QuizDraw.objects.create(page=quiz, count=5, pool=pool)
    for seed in range(5):
        assert services.draw_question_ids(quiz=quiz, rng=random.Random(seed)) == [single.pk]


def test_translated_answers_are_graded_with_the_translations_key_and_regraded(learner, course, single, single_en):
    quiz = make_quiz(course, questions=[single])
    attempt, _ = services.attempt_start(person=learner, quiz=quiz, language="en")
    item = attempt.items.get()
    right = str(single_en.choices.get(text="USB token").pk)
    services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={str(item.pk): right})
    attempt, _ = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert attempt.percent == 100
    # the trainer fixes the English key: the regrade takes it from the English question
    QuestionChoice.objects.filter(question=single_en).update(is_correct=True)
    QuestionChoice.objects.filter(question=single_en, text="USB token").update(is_correct=False)
    assert services.quiz_regrade(quiz=quiz) == 1
    assert Attempt.objects.get(pk=attempt.pk).percent == 0


def test_attempt_keeps_what_was_shown(learner, course, single, single_en):
    quiz = make_quiz(course, questions=[single])
    attempt, _ = services.attempt_start(person=learner, quiz=quiz, language="en")
    services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers={})
    single_en.stem = "<p>Edited later</p>"
    single_en.save()
    question_version_refresh(question=single_en)
    assert "Which device" in attempt.items.get().version.snapshot["stem"]


@pytest.fixture
def english_reader(client, learner):
    learner.language = "en"
    learner.save(update_fields=["language"])
    client.force_login(learner.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_english_learner_reads_the_translated_quiz_and_questions(english_reader, course, english, single, single_en):
    quiz = make_quiz(course, questions=[single], title="Kiểm tra cuối khoá")
    translate_page(quiz, english, "Final quiz")
    landing = english_reader.get(quiz.url).content.decode()
    assert "Final quiz" in landing and "Kiểm tra cuối khoá" not in landing
    assert "not yet available in your language" not in landing
    started = english_reader.post(quiz.url + "start/")
    assert started.status_code == 302
    attempt = Attempt.objects.get(quiz=quiz)  # the original quiz holds the attempts
    taking = english_reader.get(started["Location"]).content.decode()
    assert "Which device holds the private key?" in taking and "Printer" in taking
    assert "Thiết bị nào" not in taking and "not yet available in your language" not in taking
    english_reader.post(quiz.url + f"attempt/{attempt.pk}/submit/")
    review = english_reader.get(started["Location"]).content.decode()
    assert "Which device holds the private key?" in review


def test_english_learner_is_told_when_the_quiz_or_a_question_is_in_the_original(
    english_reader, course, single, single_en, untranslated
):
    quiz = make_quiz(course, questions=[single, untranslated], title="Kiểm tra cuối khoá")
    landing = english_reader.get(quiz.url).content.decode()
    assert "Kiểm tra cuối khoá" in landing and "you are reading the original version" in landing
    started = english_reader.post(quiz.url + "start/")
    taking = english_reader.get(started["Location"]).content.decode()
    assert "Which device holds the private key?" in taking and "Chữ ký số có giá trị pháp lý." in taking
    assert "Some questions are not yet available in your language" in taking
    assert 'lang="vi"' in taking  # the untranslated question is marked as Vietnamese for screen readers


def test_the_translated_quiz_page_shares_the_originals_attempts(english_reader, course, english, single):
    quiz = make_quiz(course, questions=[single], max_attempts=1)
    english_quiz = translate_page(quiz, english, "Final quiz")
    english_reader.post(english_quiz.url + "start/")
    english_reader.post(quiz.url + "start/")  # resumes: one attempt in progress, on the original
    assert list(Attempt.objects.values_list("quiz_id", flat=True)) == [quiz.pk]


def test_course_page_lists_the_quiz_once_with_its_translated_title(english_reader, course, english, single):
    quiz = make_quiz(course, questions=[single], title="Kiểm tra cuối khoá")
    translate_page(quiz, english, "Final quiz")
    page = english_reader.get(course.url).content.decode()
    assert page.count("Final quiz") == 1 and "Kiểm tra cuối khoá" not in page


def test_api_lists_originals_titled_in_the_callers_language(english_reader, course, english, single):
    quiz = make_quiz(course, questions=[single], title="Kiểm tra cuối khoá")
    translate_page(quiz, english, "Final quiz")
    rows = english_reader.get("/api/v1/quizzes/").json()
    assert [(r["id"], r["title"]) for r in rows] == [(quiz.pk, "Final quiz")]
    started = english_reader.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()
    assert [q["language"] for q in started["questions"]] == ["vi"]


def test_results_of_a_translated_quiz_page_are_the_originals(client, course, english, single, learner):
    from tests.factories import make_admin

    quiz = make_quiz(course, questions=[single])
    english_quiz = translate_page(quiz, english, "Final quiz")
    services.attempt_start(person=learner, quiz=quiz, language="en")
    admin = make_admin()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(f"/admin/quizzes/{english_quiz.pk}/").content.decode()
    assert learner.full_name in page
    index = client.get("/admin/quizzes/").content.decode()
    assert f"/admin/quizzes/{quiz.pk}/" in index and f"/admin/quizzes/{english_quiz.pk}/" not in index
