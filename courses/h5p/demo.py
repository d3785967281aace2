"""Demo step of the H5P app (run by ``seed_demo`` after the courses): a few H5P activities in demo lessons.

The packages are third-party test material (H5P Hub example content, not ours to ship), so they are taken
from the test material folder when it is there (``lms.testdata``) and the step says so when it is not.
Each activity is linked to the competencies its lesson develops and placed at the end of that lesson, in
both languages. Idempotent: activities are found again by title, a lesson already holding one is left alone.
"""

from __future__ import annotations

from lms.testdata import find_testdata, missing_message

# (package file, title, competencies with weights, course slug, lesson slug)
DEMO_ACTIVITIES = [
    (
        "H5P.TrueFalse.h5p",
        "Demo H5P: true or false (H5P example content)",
        [("MOFA-DP/NT1", 1.0)],
        "cong-thong-tin-dien-tu",
        "tong-quan-cong",
    ),
    (
        "H5P.MultiChoice.h5p",
        "Demo H5P: multiple choice (H5P example content)",
        [("MOFA-DP/NT3", 1.0)],
        "quan-ly-van-ban",
        "ky-so",
    ),
    (
        "H5P.Blanks.h5p",
        "Demo H5P: fill in the blanks (H5P example content)",
        [("MOFA-DP/NT4", 1.0), ("VN-DCF/2.2", 0.5)],
        "nen-tang-chia-se-du-lieu",
        "du-lieu-duoc-chia-se",
    ),
]
INTRODUCTION = {
    "vi": "Hãy làm hoạt động dưới đây; kết quả được ghi nhận làm minh chứng cho năng lực của bài học này.",
    "en": "Try the activity below; your result counts as evidence for this lesson's competencies.",
}


def _lesson(course_slug: str, lesson_slug: str):
    from courses.models import CoursePage, LessonPage

    course = CoursePage.objects.filter(slug=course_slug, locale__language_code="vi").first()
    if course is None:
        return None
    return LessonPage.objects.child_of(course).filter(slug=lesson_slug).first()


def _place(lesson, activity) -> bool:
    """Append an H5P block for ``activity`` to ``lesson`` and its translations, unless one is there."""
    placed = False
    for page in [lesson, *lesson.get_translations()]:
        page = page.specific
        if any(block.block_type == "h5p" and block.value["activity"] == activity for block in page.body):
            continue
        introduction = INTRODUCTION.get(page.locale.language_code, INTRODUCTION["en"])
        page.body.append(("h5p", {"activity": activity, "introduction": introduction}))
        page.save_revision().publish()
        placed = True
    return placed


def seed(stdout=None) -> None:
    testdata = find_testdata()
    folder = testdata / "h5p" if testdata else None
    if folder is None or not folder.is_dir():
        if stdout is not None:
            stdout.write(f"H5P: no demo activities, {missing_message()}.")
        return

    from assessments.services.frameworks import frameworks_ensure

    from .models import H5PActivity
    from .services import h5p_activity_import

    frameworks_ensure()
    imported = placed = 0
    for filename, title, competencies, course_slug, lesson_slug in DEMO_ACTIVITIES:
        if not (folder / filename).is_file():
            continue
        activity = H5PActivity.objects.filter(title=title).first()
        if activity is None:
            activity = h5p_activity_import(path=folder / filename, title=title, competencies=competencies)
            imported += 1
        lesson = _lesson(course_slug, lesson_slug)
        if lesson is not None and _place(lesson, activity):
            placed += 1
    if stdout is not None:
        stdout.write(
            f"H5P: {imported} demo activities imported from {folder}, {placed} lessons given one "
            f"({len(DEMO_ACTIVITIES)} in all)."
        )
