"""Give every existing level, quiz, question, H5P activity and evidence row its band.

* A level's band comes from its tier (Cơ bản/Basic/Foundation → basic, …).
* A quiz assesses its course's level; a question the band of the first quiz that uses it (fixed slot, then a
  pool it draws from); an H5P activity the level of the first course whose lessons embed it (basic otherwise).
* Evidence already recorded: a quiz attempt's rows take the quiz's band, an H5P attempt's the activity's band,
  and a manual assessment names the level its score reached on the framework's scale (the level observed).
"""

from collections import defaultdict

from django.db import migrations

from assessments.migrations._framework_data import TIER_BANDS

COURSE_LEVEL_BANDS = {
    "beginner": "basic",
    "intermediate": "intermediate",
    "advanced": "advanced",
    "specialised": "specialised",
}
STEPLEN = 4  # wagtail's Page.steplen
CHUNK = 2000


def _level_bands(apps):
    ProficiencyLevel = apps.get_model("assessments", "ProficiencyLevel")
    for level in ProficiencyLevel.objects.all():
        band = TIER_BANDS.get((level.tier_en or "").strip().lower())
        if band is None:
            # No recognisable tier: split the scale in four by rank.
            count = ProficiencyLevel.objects.filter(framework_id=level.framework_id).count() or 1
            band = ["basic", "intermediate", "advanced", "specialised"][min(3, (level.rank - 1) * 4 // count)]
        if band != level.band:
            level.band = band
            level.save(update_fields=["band"])


def _course_bands(apps) -> dict[str, str]:
    CoursePage = apps.get_model("courses", "CoursePage")
    return {path: COURSE_LEVEL_BANDS.get(level, "basic") for path, level in CoursePage.objects.values_list("path", "level")}


def _quiz_bands(apps, course_band) -> dict[int, str]:
    QuizPage = apps.get_model("quizzes", "QuizPage")
    bands = {}
    for quiz in QuizPage.objects.all():
        if not quiz.band:
            quiz.band = course_band.get(quiz.path[:-STEPLEN], "basic")
            quiz.save(update_fields=["band"])
        bands[quiz.pk] = quiz.band
    return bands


def _question_bands(apps, quiz_band) -> None:
    Question = apps.get_model("quizzes", "Question")
    QuizSlot = apps.get_model("quizzes", "QuizSlot")
    QuizDraw = apps.get_model("quizzes", "QuizDraw")
    chosen: dict[int, str] = {}
    for question_id, quiz_id in QuizSlot.objects.order_by("page_id", "sort_order", "pk").values_list(
        "question_id", "page_id"
    ):
        chosen.setdefault(question_id, quiz_band.get(quiz_id, "basic"))
    pool_band: dict[int, str] = {}
    for pool_id, quiz_id in QuizDraw.objects.filter(pool__isnull=False).order_by("page_id", "pk").values_list(
        "pool_id", "page_id"
    ):
        pool_band.setdefault(pool_id, quiz_band.get(quiz_id, "basic"))
    for question_id, pool_id in Question.objects.filter(pool_id__in=list(pool_band)).values_list("pk", "pool_id"):
        chosen.setdefault(question_id, pool_band[pool_id])
    by_band = defaultdict(list)
    for question_id, band in chosen.items():
        by_band[band].append(question_id)
    for band, ids in by_band.items():
        Question.objects.filter(pk__in=ids, band="").update(band=band)


def _activity_bands(apps, course_band) -> dict[int, str]:
    LessonPage = apps.get_model("courses", "LessonPage")
    H5PActivity = apps.get_model("h5p", "H5PActivity")
    found: dict[int, str] = {}
    for lesson in LessonPage.objects.order_by("path").only("path", "body"):
        try:
            raw = lesson.body.raw_data
        except AttributeError:
            raw = lesson.body or []
        for block in raw or []:
            if isinstance(block, dict) and block.get("type") == "h5p" and isinstance(block.get("value"), dict):
                activity = block["value"].get("activity")
                if isinstance(activity, int):
                    found.setdefault(activity, course_band.get(lesson.path[:-STEPLEN], "basic"))
    bands = {}
    for activity in H5PActivity.objects.all():
        band = found.get(activity.pk, activity.band or "basic")
        if band != activity.band:
            activity.band = band
            activity.save(update_fields=["band"])
        bands[activity.pk] = band
    return bands


def _evidence_bands(apps, quiz_band, activity_band) -> None:
    Evidence = apps.get_model("assessments", "Evidence")
    Attempt = apps.get_model("quizzes", "Attempt")
    H5PAttempt = apps.get_model("h5p", "H5PAttempt")
    ProficiencyLevel = apps.get_model("assessments", "ProficiencyLevel")

    def by_ref(prefix, pairs, band_of):
        refs = defaultdict(list)
        for pk, owner in pairs:
            refs[band_of.get(owner, "basic")].append(f"{prefix}{pk}")
        for band, values in refs.items():
            if band == "basic":
                continue  # the column's default already
            for start in range(0, len(values), CHUNK):
                Evidence.objects.filter(source_ref__in=values[start : start + CHUNK]).update(band=band)

    by_ref("quiz-attempt:", Attempt.objects.values_list("pk", "quiz_id"), quiz_band)
    by_ref("h5p-attempt:", H5PAttempt.objects.values_list("pk", "activity_id"), activity_band)
    by_ref("h5p-activity:", [(pk, pk) for pk in activity_band], activity_band)
    levels = defaultdict(list)
    for level in ProficiencyLevel.objects.order_by("framework_id", "min_score"):
        levels[level.framework_id].append(level)
    for framework_id, scale in levels.items():
        for i, level in enumerate(scale):
            rows = Evidence.objects.filter(
                source="manual", competency__framework_id=framework_id, score__gte=level.min_score - 1e-9
            )
            if i + 1 < len(scale):
                rows = rows.filter(score__lt=scale[i + 1].min_score - 1e-9)
            rows.update(band=level.band, observed_level=level)


def forwards(apps, schema_editor):
    _level_bands(apps)
    course_band = _course_bands(apps)
    quiz_band = _quiz_bands(apps, course_band)
    _question_bands(apps, quiz_band)
    activity_band = _activity_bands(apps, course_band)
    _evidence_bands(apps, quiz_band, activity_band)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_bands"),
        ("quizzes", "0005_bands"),
        ("h5p", "0009_activity_band"),
        ("courses", "0005_specialised_level"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
