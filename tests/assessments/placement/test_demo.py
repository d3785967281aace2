"""The demo step: a bilingual bank of 120 items per language, two published forms, a few officers placed."""

from __future__ import annotations

import io

from assessments.models import Competency, Evidence
from assessments.placement import demo
from assessments.placement.demo_items import ITEMS
from assessments.placement.models import DiagnosticForm, DiagnosticSession
from assessments.quizzes.models import Question
from tests.factories import make_person, make_unit


def test_demo_bank_covers_every_competency_and_places_officers(frameworks, monkeypatch):
    monkeypatch.setattr(demo, "PLACED", 2)
    codes = set(Competency.objects.filter(framework=frameworks["VN-DCF"]).values_list("code", flat=True))
    assert len(codes) == 24
    assert {code for code, *_ in ITEMS} == codes
    assert all(sum(1 for c, *_ in ITEMS if c == code) >= 5 for code in codes)
    assert {d for *_, d, _t, _vi, _en in [(i[0], i[1], i[2], i[3], i[4]) for i in ITEMS]} <= {1, 2, 3, 4, 5}
    unit = make_unit("DEMO-P")
    for n in range(3):
        make_person(f"demo-p{n}", unit)
    out = io.StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)  # idempotent
    assert Question.objects.filter(pool__name=demo.POOLS["vi"], locale__language_code="vi").count() == 120
    assert Question.objects.filter(pool__name=demo.POOLS["en"], locale__language_code="en").count() == 120
    assert DiagnosticForm.objects.filter(status="published").count() == 2
    sessions = DiagnosticSession.objects.filter(status="completed")
    assert sessions.count() == 2
    assert Evidence.objects.filter(source="diagnostic").count() == 2 * 24


def test_demo_campaign_is_made_once_with_part_of_the_ministry_done(frameworks, monkeypatch):
    from assessments.placement.models import DiagnosticCampaign
    from assessments.placement.services.campaigns import campaign_counts
    from reports.models import AuditEntry
    from tests.factories import make_hr

    monkeypatch.setattr(demo, "PLACED", 2)
    monkeypatch.setattr(demo, "STARTED", 1)
    root = make_unit("DEMO-MIN", kind="ministry")
    make_hr("hr", root, root)
    for n in range(4):
        make_person(f"demo-c{n}", make_unit(f"DEMO-U{n}", root))
    demo.seed()
    demo.seed()  # idempotent: no second campaign, no second audit entry, no new session
    campaign = DiagnosticCampaign.objects.get()
    assert campaign.title == demo.CAMPAIGN_TITLE and campaign.created_by.username == "hr"
    assert AuditEntry.objects.filter(action="placement.campaign_create").count() == 1
    assert campaign_counts(campaign) == {"total": 5, "taken": 2, "in_progress": 1, "not_started": 2}
