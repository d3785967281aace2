"""One person's profile for HR: facts now; competencies, evidence, courses and attempts when installed."""

from __future__ import annotations


def person_context(person) -> dict:
    return {}
