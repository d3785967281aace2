"""Closed network: no page a learner, trainer, HR officer or administrator visits makes the browser ask
anything of another host (no Gravatar, no Wagtail release check, no CDN, no fonts or analytics)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.e2e import pages
from tests.e2e.conftest import sign_in


@pytest.fixture
def demo(transactional_db, settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_no_page_requests_anything_outside_the_host(browser, live_server, demo):
    home = urlsplit(live_server.url).netloc
    outside: dict[str, set[str]] = {}
    visited = 0
    sweeps = [(role, pages.USERNAMES[role], pages.pages_for(role)) for role in pages.USERNAMES] + [
        (f"{role} (admin)", username, pages.admin_pages_for(role)) for role, username in pages.ADMIN_USERNAMES.items()
    ]
    for role, username, paths in sweeps:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30000)
        current = {"page": f"{role}: sign-in"}

        def guard(route, current=current):
            parts = urlsplit(route.request.url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != home:
                outside.setdefault(current["page"], set()).add(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        try:
            sign_in(page, username, demo)
            for label, path in paths:
                current["page"] = f"{role}: {label} ({path})"
                response = page.goto(path)
                assert response is not None and response.status < 400, (current["page"], response and response.status)
                page.wait_for_load_state("networkidle")
                visited += 1
        finally:
            context.close()
    assert outside == {}, outside
    assert visited >= 25
