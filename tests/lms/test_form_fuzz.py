"""Property-based fuzz of every HTML form a learner, trainer (admin included) or HR person meets on the pages of
the shared list (tests/e2e/pages.py), on the demo organisation: each form is posted with generated values in its
own field names (hostile text, NUL characters, huge numbers, very long strings, empty values). No answer may be
a server error (issue 18). Bounded examples per form, so the suite stays fast."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e import pages as shared_pages

EXAMPLES = 6  # per form and role
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "a\x00b", "9" * 400, "-1", "1e999", "NaN", "", " ", "<script>", "../../etc/passwd"]),
    st.text(min_size=2000, max_size=3000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


class Forms(HTMLParser):
    """Every ``<form method="post">`` of a page: its action and the names (and first values) of its fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea", "button") and self._current is not None and attrs.get("name"):
            if attrs.get("type") != "file":
                self._current["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def signed_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def forms_of(role: str) -> list[tuple[str, str, dict]]:
    """(page, action, fields) of every post form on the role's pages, each once."""
    client, found, seen = signed_in(shared_pages.USERNAMES[role]), [], set()
    for _label, path in shared_pages.pages_for(role):
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urljoin(path, form["action"] or path)
            key = (action, tuple(sorted(form["fields"])))
            if key not in seen and "logout" not in action:
                seen.add(key)
                found.append((path, action, form["fields"]))
    return found


def fuzz_form(role: str, page: str, action: str, names: list[str]):
    @given(values=st.fixed_dictionaries({name: HOSTILE for name in names}))
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def post(values):
        client = signed_in(shared_pages.USERNAMES[role])
        with transaction.atomic():
            response = client.post(action, values)
            transaction.set_rollback(True)  # each example starts from the same demo
        assert response.status_code < 500, (page, action, values, response.status_code)

    return post


@pytest.mark.django_db
@pytest.mark.parametrize("role", [shared_pages.LEARNER, shared_pages.TRAINER, shared_pages.HR])
def test_no_form_answers_a_server_error_whatever_it_is_sent(demo, role):
    forms = forms_of(role)
    assert forms, f"no form found on the {role}'s pages"
    failures = []
    for page, action, fields in forms:
        names = sorted(name for name in fields if name != "csrfmiddlewaretoken")
        try:
            fuzz_form(role, page, action, names)()
        except AssertionError as exc:
            failures.append(str(exc)[:500])
    assert failures == [], "\n".join(failures)
