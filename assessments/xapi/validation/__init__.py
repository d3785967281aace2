"""xAPI statement validation: pure, no Django.

``validate_statement(obj)`` returns a list of ``Problem(path, message)``; empty means valid.
It follows the Data chapter of the xAPI 1.0.3 specification (statement properties, agents and
groups with exactly one inverse functional identifier, verbs, activities and interaction
definitions, statement references and sub-statements, results and scores, contexts, language
maps, IRIs, UUIDs, timestamps, durations, attachments). ``parse_statements(body)`` parses a
request body into a list of statements, raising ``XAPIError`` for malformed JSON.
"""

from __future__ import annotations

from typing import Any

from .checker import Checker
from .parsing import parse_statements
from .rules import VERSION_RE, VOIDED, Problem, XAPIError

__all__ = [
    "VOIDED",
    "Problem",
    "XAPIError",
    "parse_statements",
    "validate_activity",
    "validate_agent",
    "validate_statement",
    "version_supported",
]


def validate_statement(statement: Any) -> list[Problem]:
    checker = Checker()
    checker.statement(statement)
    return checker.problems


def validate_agent(agent: Any) -> list[Problem]:
    checker = Checker()
    checker.actor(agent, "$")
    return checker.problems


def validate_activity(activity: Any) -> list[Problem]:
    checker = Checker()
    checker.activity(activity, "$")
    return checker.problems


def version_supported(header: str | None) -> bool:
    """The ``X-Experience-API-Version`` request header: 1.0.0 to 1.0.3 (and later 1.0.x)."""
    return bool(header) and bool(VERSION_RE.match(header.strip()))
