"""Extension point for course completion.

A course is complete when every required lesson is completed *and* every required
``Requirement`` returned by every registered provider is met. Other apps (quizzes: "quiz
passed") register a provider at start-up, typically in their ``AppConfig.ready()``::

    from courses.completion import Requirement, register_requirement_provider

    def quiz_requirements(person, course) -> list[Requirement]:
        return [Requirement(key=f"quiz:{q.pk}", label=q.title, met=passed(person, q)) for q in ...]

    register_requirement_provider(quiz_requirements)

``person`` is an ``lms.StaffProfile``; ``course`` is the original ``CoursePage`` of its
translation group. After a result changes, call
``courses.services.progress.course_completion_refresh(person=..., course=...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    met: bool
    required: bool = True


RequirementProvider = Callable[[object, object], list[Requirement]]
_PROVIDERS: list[RequirementProvider] = []


def register_requirement_provider(fn: RequirementProvider) -> RequirementProvider:
    """Register ``fn(person, course) -> list[Requirement]``; registering the same function twice is a no-op."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def unregister_requirement_provider(fn: RequirementProvider) -> None:
    if fn in _PROVIDERS:
        _PROVIDERS.remove(fn)


def requirements_for(person, course) -> list[Requirement]:
    """Every requirement from every provider, in registration order."""
    result: list[Requirement] = []
    for provider in _PROVIDERS:
        result.extend(provider(person, course))
    return result
