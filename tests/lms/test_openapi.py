"""The published OpenAPI schema (/api/v1/openapi.json) against what the API answers (issue 18).

- Component names are unique: two schemas called ``LevelOut`` (and two ``CompletionOut``) made
  ``/frameworks/{code}`` and ``/reports/completions`` answer bodies the schema did not describe.
- Every operation, called with real ids of the demo organisation by a learner and by HR, answers a body that
  validates against the published schema.
- A property-based fuzz (schemathesis, pinned in requirements-dev.txt) of every operation from the schema, with
  a bounded number of examples each: no 5xx and no response that breaks the schema.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from ninja import Schema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from lms.api_root import api

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ_EXAMPLES = 12  # per operation and role: the suite stays fast, the fuzz still reaches every operation


def _schemas_in_use() -> list[type]:
    seen, stack = set(), list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.add(cls)
            stack.extend(cls.__subclasses__())
    ours = ("lms", "courses", "assessments", "reports")
    return [cls for cls in seen if cls.__module__.split(".")[0] in ours and ".api" in cls.__module__ + "."]


def test_component_names_are_unique():
    api.get_openapi_schema()
    names = Counter(cls.__name__ for cls in _schemas_in_use())
    assert [name for name, count in names.items() if count > 1] == []
    components = api.get_openapi_schema()["components"]["schemas"]
    assert {"LevelOut", "PersonLevelOut", "CompletionOut", "CompletionRecordOut"} <= set(components)


# ---- calls through the real WSGI handler, on the demo organisation ----


class _Handler(WSGIHandler):
    """Django's WSGI handler without closing the connection between requests (the test's transaction)."""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo organisation, seeded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            from django.contrib.auth import get_user_model

            users = get_user_model().objects
            tokens = {username: _token_for(users.get(username=username)) for username in ("staff", "hr")}
            yield tokens
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _token_for(user) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_api_token", user.username, "--name", "openapi test", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture(scope="module")
def schema(demo):
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _Handler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(demo, role):
    # identity: schemathesis reads the body as it comes (pages and JSON are gzipped for clients that ask, as
    # its HTTP client does by default); compression has its own tests (tests/lms/test_compression.py).
    return {"Authorization": f"Bearer {demo[role]}", "Accept-Encoding": "identity"}


def _real_parameters(role):
    """Path parameters naming real objects the role may see (the demo's)."""
    from assessments.models import Framework
    from assessments.quizzes.models import QuizPage
    from courses.models import CoursePage
    from lms.models import StaffProfile, Unit
    from reports.models import EvaluationPeriod

    staff = StaffProfile.objects.get(user__username="staff")
    return {
        "code": [Framework.objects.order_by("pk").first().code, Unit.objects.order_by("depth", "pk").first().code],
        "course_id": [CoursePage.objects.live().order_by("pk").first().pk],
        "quiz_id": [QuizPage.objects.live().order_by("pk").first().pk],
        "employee_number": [staff.employee_number],
        "period_id": [EvaluationPeriod.objects.order_by("pk").first().pk],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "hr"])
def test_every_api_response_validates_against_the_published_schema(schema, demo, role):
    params = _real_parameters(role)
    validated = Counter()
    attempt_ids = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        if any(name not in params and name != "attempt_id" for name in names):
            pytest.fail(f"no real value for the path parameters of {operation.label}: {names}")
        if operation.method.upper() != "GET" and "attempt_id" not in names and "quiz_id" not in names:
            continue
        choices = [dict(zip(names, combo, strict=True)) for combo in _combinations(names, params, attempt_ids)]
        for values in choices:
            body = {"answers": {}} if operation.path.endswith("/answers") else None
            case = operation.Case(path_parameters=values, **({"body": body} if body is not None else {}))
            response = case.call(headers=_headers(demo, role))
            case.validate_response(response, checks=CHECKS)
            validated[response.status_code] += 1
            if operation.path.endswith("/attempts") and response.status_code in (200, 201):
                attempt_ids.append(response.json()["id"])
    assert validated[200] >= 8, validated


def _combinations(names, params, attempt_ids):
    from itertools import product

    pools = [attempt_ids[:1] if name == "attempt_id" else params[name] for name in names]
    return list(product(*pools)) if all(pools) else ([()] if not names else [])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "hr"])
def test_fuzz_every_operation_no_server_error_no_schema_break(schema, demo, role):
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(headers=_headers(demo, role), checks=CHECKS)

        try:
            fuzz()
        except (AssertionError, BaseExceptionGroup) as exc:  # every operation's failures, reported together
            failures.append(f"{operation.label}: {exc}")
    assert failures == [], "\n\n".join(failures)
