"""Courses that close a competency gap: those whose target competencies include it.

Guarded so it works before and after the ``courses`` app gains ``CoursePage.target_competencies``.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from .models import Competency


def _lookup() -> tuple[type, str] | None:
    """(CoursePage, the ORM path from a course to a competency id) or None when not linked yet."""
    try:
        course_page = apps.get_model("courses", "CoursePage")
    except LookupError:
        return None
    try:
        relation = course_page._meta.get_field("target_competencies")
    except FieldDoesNotExist:
        return None
    related = relation.related_model
    if related is Competency:
        return course_page, "target_competencies"
    if related is not None:
        try:
            through = related._meta.get_field("competency")
        except FieldDoesNotExist:
            return None
        if through.related_model is Competency:
            return course_page, "target_competencies__competency"
    return None


def courses_for_competencies(competency_ids: list[int]) -> list[tuple[int, object]]:
    """Pairs (competency id, live course page) for the given competencies; empty until courses link them."""
    found = _lookup()
    if not found or not competency_ids:
        return []
    course_page, path = found
    courses = course_page.objects.live().filter(**{f"{path}__in": competency_ids}).distinct()
    pairs = []
    for course in courses.prefetch_related(path.split("__")[0]):
        linked = getattr(course, path.split("__")[0]).all()
        for item in linked:
            competency_id = item.pk if path == "target_competencies" else item.competency_id
            if competency_id in competency_ids:
                pairs.append((competency_id, course))
    return pairs
