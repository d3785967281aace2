"""Mandatory-training compliance (assigned courses) and the courses that address competencies.

Filled in once the courses app provides enrolments and assignments; until then it reports nothing.
"""

from __future__ import annotations

from ..filters import Filters


def by_unit(user, filters: Filters) -> list[dict]:
    return []


def by_course(user, filters: Filters) -> list[dict]:
    return []


def courses_for_competencies(competency_ids: list[int]) -> dict[int, list[str]]:
    return {}
