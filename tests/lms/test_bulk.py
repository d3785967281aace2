"""lms.bulk.rows_update: many rows' fields in one UPDATE (the H5P writer's closed attempts)."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from lms.bulk import rows_update

pytestmark = pytest.mark.django_db


def test_one_statement_writes_each_rows_own_values_and_nulls(django_assert_num_queries):
    # given
    User = get_user_model()
    users = [User.objects.create(username=f"u{i}", first_name="before", is_active=True) for i in range(5)]
    untouched = User.objects.create(username="other", first_name="before")
    at = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    for i, user in enumerate(users):
        user.first_name = f"name {i}"
        user.is_active = i % 2 == 0
        user.last_login = at if i < 3 else None
    # when
    with django_assert_num_queries(1):
        matched = rows_update(User, users, ["first_name", "is_active", "last_login"])
    # then
    assert matched == 5
    rows = list(
        User.objects.filter(pk__in=[u.pk for u in users])
        .order_by("pk")
        .values_list("first_name", "is_active", "last_login")
    )
    assert rows == [(f"name {i}", i % 2 == 0, at if i < 3 else None) for i in range(5)]
    assert User.objects.get(pk=untouched.pk).first_name == "before"


def test_nothing_to_write_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_update(get_user_model(), [], ["first_name"]) == 0
