"""Content-Security-Policy (issue 18): every page a learner, trainer (Wagtail admin included) or HR visits sends
the policy of lms/content_policy.py, and the browser reports no violation of it (no inline script, no plugin, no foreign
frame ancestor). The pages come from the shared list tests/e2e/pages.py. Only the Wagtail admin may run inline
scripts (lms/content_policy.py says why)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tests.e2e import pages as shared_pages
from tests.e2e.conftest import sign_in

ROLES = {shared_pages.LEARNER: "staff", shared_pages.TRAINER: "trainer", shared_pages.HR: "hr"}
# Collects every violation the document (and its same-origin frames) reports, before any page script runs.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                     line: e.lineNumber, sample: e.sample});
});
"""
REQUIRED = ("script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'")


@pytest.fixture
def demo(transactional_db, settings):
    call_command("seed_demo", verbosity=0)
    return settings.DEMO_PASSWORD


@pytest.mark.parametrize("role", list(ROLES))
def test_no_csp_violation_on_any_page(browser, live_server, demo, role):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        sign_in(page, ROLES[role], demo)
        found, missing = {}, {}
        visited = shared_pages.pages_for(role)
        assert visited, role
        for label, path in visited:
            response = page.goto(path)
            page.wait_for_load_state("networkidle")
            header = response.headers.get("content-security-policy", "")
            lacking = [part for part in REQUIRED if part not in header]
            script_src = next((d for d in header.split(";") if d.strip().startswith("script-src")), "")
            if "'unsafe-inline'" in script_src and not path.startswith("/admin/"):  # only Wagtail's admin
                lacking.append("script-src without 'unsafe-inline'")
            if lacking:
                missing[f"{label} ({path})"] = lacking
            violations = page.evaluate("window.__csp")
            if violations:
                found[f"{label} ({path})"] = violations
        assert missing == {}, json.dumps(missing, indent=1)
        assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
        assert console == [], console
    finally:
        context.close()
