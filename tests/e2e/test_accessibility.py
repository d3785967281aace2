"""axe-core (npm, pinned in package.json) on every page a learner, trainer or HR user visits, on a desk and
on a 390 px phone: no serious or critical violation. The pages come from the shared list
``tests/e2e/pages.py`` that the CSP and off-host sweeps use too.

The context bypasses the page's Content-Security-Policy only to inject axe itself (an inline script the
policy rightly refuses); the page's own scripts run as they do for everyone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ROLES = {"learner": "staff", "trainer": "trainer", "hr": "hr"}
VIEWPORTS = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def role_pages(role: str) -> list[tuple[str, str]]:
    """(label, path) of the pages ``role`` visits, from the shared list whichever shape it has."""
    from tests.e2e import pages

    if hasattr(pages, "pages_for"):
        return [(label, path) for label, path in pages.pages_for(role)]
    role_name = {"learner": "staff"}.get(role, role)
    return [(visit.label, visit.url) for visit in pages.visits(role_name)]


def serious_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return result


@pytest.fixture
def demo(transactional_db, settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_no_serious_or_critical_axe_violation(browser, live_server, demo, role, viewport):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `make setup` (npm ci)")
    try:
        pages = role_pages(role)
    except ImportError:
        pytest.fail("tests/e2e/pages.py (the shared page list) is missing")
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[viewport],
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        bypass_csp=True,
    )
    context.set_default_timeout(30000)
    page = context.new_page()
    try:
        sign_in(page, ROLES[role], demo)
        found = {}
        for label, path in pages:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            violations = serious_violations(page)
            if violations:
                found[f"{label} ({path})"] = violations
        assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        context.close()
