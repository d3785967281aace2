"""Placement campaigns: HR assign the diagnostic within their scope, audited; reminders like assigned training."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assessments.placement.errors import CampaignInvalid
from assessments.placement.models import CampaignReminder, DiagnosticCampaign
from assessments.placement.services.bank import form_publish
from assessments.placement.services.campaigns import (
    campaign_counts,
    campaign_create,
    campaign_reminders_send,
    campaign_update,
)
from assessments.placement.services.sessions import current_item, session_answer, session_start
from reports.models import AuditEntry
from tests.factories import make_admin, make_hr, make_person, make_unit


def place(person, form, answer="true"):
    session, _ = session_start(person=person, form=form)
    while session.is_open:
        item = current_item(session)
        session = session_answer(session_id=session.pk, person=person, position=item.position, raw=answer)
    return session


@pytest.fixture
def published(form):
    form_publish(form=form)
    form.refresh_from_db()
    return form


@pytest.fixture
def org(db):
    root = make_unit("MIN", kind="ministry")
    eu = make_unit("EU", root, kind="other")
    fr = make_unit("FR", eu, kind="embassy")
    jp = make_unit("JP", root, kind="embassy")
    return {"MIN": root, "EU": eu, "FR": fr, "JP": jp}


@pytest.fixture
def hr_eu(org):
    return make_hr("hr_eu", org["MIN"], org["EU"])


TODAY = datetime.date(2026, 12, 1)


def test_hr_assign_within_their_scope_and_it_is_audited(org, hr_eu, published):
    # given
    a = make_person("fr-a", org["FR"], position="Bí thư thứ hai")
    make_person("fr-b", org["FR"])
    make_person("jp-a", org["JP"])
    # when
    campaign = campaign_create(
        actor=hr_eu.user,
        title="Đánh giá đầu vào châu Âu",
        form=published,
        units=[org["EU"]],
        positions=[],
        due_date=TODAY + datetime.timedelta(days=20),
        today=TODAY,
    )
    # then
    entry = AuditEntry.objects.get(action="placement.campaign_create")
    assert entry.actor == hr_eu.user and entry.params["units"] == ["EU"] and entry.unit == org["EU"]
    assert campaign_counts(campaign) == {"total": 2, "taken": 0, "in_progress": 0, "not_started": 2}
    place(a, published)
    assert campaign_counts(campaign)["taken"] == 1
    # a change is audited with what changed
    campaign = campaign_update(
        actor=hr_eu.user,
        campaign=campaign,
        title=campaign.title,
        form=published,
        units=[org["FR"]],
        positions=["Bí thư thứ hai"],
        due_date=TODAY + datetime.timedelta(days=30),
        today=TODAY,
    )
    change = AuditEntry.objects.get(action="placement.campaign_change")
    assert set(change.params["changes"]) == {"units", "positions", "due_date"}
    assert campaign_counts(campaign) == {"total": 1, "taken": 1, "in_progress": 0, "not_started": 0}


@pytest.mark.parametrize(
    ("units", "positions", "due", "field"),
    [
        (["JP"], [], 10, "units"),  # outside the scope
        ([], [], 10, "units"),  # nobody
        ([], ["Chuyên viên"], 10, "units"),  # ministry-wide by position: administrators only
        (["FR"], [], -1, "due_date"),
    ],
)
def test_bad_campaigns_are_refused_and_nothing_is_written(org, hr_eu, published, units, positions, due, field):
    with pytest.raises(CampaignInvalid) as refused:
        campaign_create(
            actor=hr_eu.user,
            title="x",
            form=published,
            units=[org[u] for u in units],
            positions=positions,
            due_date=TODAY + datetime.timedelta(days=due),
            today=TODAY,
        )
    assert field in refused.value.errors
    assert not DiagnosticCampaign.objects.exists() and not AuditEntry.objects.exists()


def test_a_draft_form_cannot_be_assigned(org, hr_eu, form):
    with pytest.raises(CampaignInvalid) as refused:
        campaign_create(
            actor=hr_eu.user, title="x", form=form, units=[org["FR"]], positions=[], due_date=TODAY, today=TODAY
        )
    assert "form" in refused.value.errors


def test_reminders_go_once_to_those_not_placed(org, published, settings):
    admin = make_admin()
    done = make_person("fr-done", org["FR"])
    waiting = make_person("fr-wait", org["FR"])
    place(done, published)
    today = timezone.localdate()
    campaign_create(
        actor=admin,
        title="Chiến dịch",
        form=published,
        units=[org["FR"]],
        positions=[],
        due_date=today + datetime.timedelta(days=3),
        today=today,
    )
    assert campaign_reminders_send(today=today) == 1
    assert campaign_reminders_send(today=today) == 0  # each reminder goes out once
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]
    assert "Chiến dịch" in mail.outbox[0].subject
    # once overdue, one more
    assert campaign_reminders_send(today=today + datetime.timedelta(days=4)) == 1
    assert CampaignReminder.objects.filter(person=waiting).count() == 2


def test_campaign_pages_for_hr_only_and_bad_input_is_a_message(client, org, hr_eu, published):
    staff = make_person("fr-staff", org["FR"])
    client.force_login(staff.user)
    assert client.get("/placement/campaigns/").status_code == 404
    assert client.get("/placement/campaigns/new/").status_code == 404
    client.force_login(hr_eu.user)
    assert client.get("/placement/campaigns/").status_code == 200
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    # a unit outside the scope is not even a choice
    bad = client.post(
        "/placement/campaigns/new/", {"title": "T", "form": published.pk, "units": [org["JP"].pk], "due_date": due}
    )
    assert bad.status_code == 200 and not DiagnosticCampaign.objects.exists()
    past = client.post(
        "/placement/campaigns/new/",
        {"title": "T", "form": published.pk, "units": [org["FR"].pk], "due_date": "2001-01-01"},
    )
    assert past.status_code == 200 and "Hạn hoàn thành không được ở trong quá khứ." in past.content.decode()
    good = client.post(
        "/placement/campaigns/new/",
        {"title": "Pháp", "form": published.pk, "units": [org["FR"].pk], "due_date": due, "include_subunits": "on"},
    )
    campaign = DiagnosticCampaign.objects.get()
    assert good["Location"] == f"/placement/campaigns/{campaign.pk}/"
    page = client.get(good["Location"]).content.decode()
    assert "1 cán bộ được giao: 0 đã làm, 0 đang làm, 1 chưa bắt đầu." in page
    # another HR outside the campaign's units cannot open it
    other = make_hr("hr_jp", org["MIN"], org["JP"])
    client.force_login(other.user)
    assert client.get(good["Location"]).status_code == 404
