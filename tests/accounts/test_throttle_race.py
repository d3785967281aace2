"""Issue 18: simultaneous wrong passwords must not be checked beyond the limit (real threads, real server)."""

import re
import threading

import pytest
import requests

from tests.accounts.hashers import CountingSlowHasher
from tests.factories import make_person, make_unit

ATTEMPTS = 16


def _attempt(base_url: str, results: list, barrier: threading.Barrier) -> None:
    with requests.Session() as http:
        page = http.get(f"{base_url}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        barrier.wait(timeout=30)
        response = http.post(
            f"{base_url}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": "racer", "username": "racer", "password": "wrong password!"},
            headers={"Referer": f"{base_url}/accounts/login/"},
            timeout=60,
        )
        results.append(response.status_code)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_are_checked_at_most_limit_times(live_server, settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.CountingSlowHasher"]
    person = make_person("racer", make_unit("RACE"))
    person.user.set_password("the right password 2026")
    person.user.save()
    CountingSlowHasher.checks = 0

    results: list[int] = []
    barrier = threading.Barrier(ATTEMPTS)
    threads = [threading.Thread(target=_attempt, args=(live_server.url, results, barrier)) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == ATTEMPTS
    assert CountingSlowHasher.checks <= settings.LOGIN_FAILURE_LIMIT, (
        f"{CountingSlowHasher.checks} of {ATTEMPTS} simultaneous wrong passwords were checked "
        f"against a limit of {settings.LOGIN_FAILURE_LIMIT}"
    )
    assert results.count(429) >= ATTEMPTS - settings.LOGIN_FAILURE_LIMIT
