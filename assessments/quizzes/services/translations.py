"""Questions in two languages: originals and their translations (Wagtail's ``translation_key`` groups).

The original of a group is its first question (lowest id), as for pages (``courses.selectors.canonical_page``).
Attempts, item statistics and draws count originals; learners are shown the translation in their language.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, Min, OuterRef, QuerySet

from ..models import Question


def original_questions(qs: QuerySet[Question]) -> QuerySet[Question]:
    """Only the originals among ``qs`` (no other question of their group was made before them)."""
    earlier = Question.objects.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    return qs.exclude(Exists(earlier))


def original_question_ids(ids: Iterable[int]) -> dict[int, int]:
    """{question id: id of its original} (two queries)."""
    ids = list(ids)
    if not ids:
        return {}
    keys = Question.objects.filter(pk__in=ids).values("translation_key")
    firsts = dict(
        Question.objects.filter(translation_key__in=keys)
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values_list("translation_key", "first")
    )
    return {pk: firsts[key] for pk, key in Question.objects.filter(pk__in=ids).values_list("pk", "translation_key")}


def questions_shown_in(ids: Iterable[int], language: str) -> dict[int, int]:
    """{original id: id of the question to show in ``language``}: its translation there, else itself (two queries)."""
    ids = list(ids)
    shown = {pk: pk for pk in ids}
    if not ids:
        return shown
    originals = Question.objects.filter(pk__in=ids)
    rows = Question.objects.filter(
        translation_key__in=originals.values("translation_key"), locale__language_code=language
    ).values_list("pk", "translation_key")
    by_key = {key: pk for pk, key in rows}
    for pk, key in originals.values_list("pk", "translation_key"):
        if key in by_key:
            shown[pk] = by_key[key]
    return shown
