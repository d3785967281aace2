"""Changes that move a score or a rating are audited with the actor and the affected unit."""

import pytest
from django.urls import reverse

from assessments.models import TargetProfile
from lms import roles
from reports.models import AuditEntry
from tests.factories import make_admin, make_person


@pytest.fixture
def admin(client, frameworks):
    roles.sync_roles()
    user = make_admin()
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return user


def _framework_form(fw, changes=None):
    changes = changes or {}
    data = {
        "code": fw.code,
        "version": fw.version,
        "name_vi": fw.name_vi,
        "name_en": fw.name_en,
        "description_vi": fw.description_vi,
        "description_en": fw.description_en,
        "source": fw.source,
        "is_current": "on" if fw.is_current else "",
        "is_draft": "on" if fw.is_draft else "",
        "validity_months": fw.validity_months,
    }
    levels = list(fw.levels.order_by("rank"))
    data.update(
        {
            "levels-TOTAL_FORMS": str(len(levels)),
            "levels-INITIAL_FORMS": str(len(levels)),
            "levels-MIN_NUM_FORMS": "0",
            "levels-MAX_NUM_FORMS": "1000",
        }
    )
    for i, lv in enumerate(levels):
        for field in ("rank", "code", "band", "min_score", "name_vi", "name_en", "tier_vi", "tier_en"):
            data[f"levels-{i}-{field}"] = changes.get((lv.code, field), getattr(lv, field))
        data[f"levels-{i}-id"] = lv.pk
        data[f"levels-{i}-ORDER"] = str(i + 1)
        data[f"levels-{i}-DELETE"] = ""
    return data


def test_a_level_threshold_change_is_audited(client, admin, frameworks, org):
    fw = frameworks["VN-DCF"]
    old = fw.levels.get(code="TC1").min_score
    response = client.post(
        reverse("wagtailsnippets_assessments_framework:edit", args=[fw.pk]),
        _framework_form(fw, {("TC1", "min_score"): 0.5}),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    entry = AuditEntry.objects.get(action="competency.framework_change")
    assert entry.actor == admin and entry.unit == org["BNG"]  # ministry-wide: the root unit
    before = dict((code, score) for _rank, code, score in entry.params["before"]["levels"])
    after = dict((code, score) for _rank, code, score in entry.params["after"]["levels"])
    assert (before["TC1"], after["TC1"]) == (old, 0.5)
    assert set(entry.params["after"]) == {"levels"}  # only what changed
    # saving without a change writes nothing
    client.post(reverse("wagtailsnippets_assessments_framework:edit", args=[fw.pk]), _framework_form(fw))
    assert AuditEntry.objects.filter(action="competency.framework_change").count() == 1


def test_target_profiles_are_audited(client, admin, frameworks, vn, org):
    fw = frameworks["VN-DCF"]
    level = fw.levels.get(code="TC2")
    data = {
        "framework": fw.pk,
        "code": "consular-officer",
        "name_vi": "Cán bộ lãnh sự",
        "name_en": "Consular officer",
        "positions": "Lãnh sự",
        "description": "",
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-competency": vn["4.2"].pk,
        "requirements-0-level": level.pk,
        "requirements-0-id": "",
        "requirements-0-ORDER": "1",
        "requirements-0-DELETE": "",
    }
    assert client.post(reverse("wagtailsnippets_assessments_targetprofile:add"), data).status_code == 302
    entry = AuditEntry.objects.get(action="competency.target_profile_create")
    assert entry.params["after"]["requirements"] == [["4.2", "TC2"]] and entry.unit == org["BNG"]
    profile = TargetProfile.objects.get(code="consular-officer")
    response = client.post(reverse("wagtailsnippets_assessments_targetprofile:delete", args=[profile.pk]))
    assert response.status_code == 302
    gone = AuditEntry.objects.get(action="competency.target_profile_delete")
    assert gone.params["before"]["code"] == "consular-officer" and gone.actor == admin


def test_quiz_overrides_are_audited_for_the_persons_unit(client, admin, org):
    from assessments.quizzes.models import QuizOverride
    from tests.assessments.quizzes.conftest import make_quiz
    from tests.courses.conftest import make_course

    quiz = make_quiz(make_course(title="Chữ ký số", slug="chu-ky-so"))
    officer = make_person("officer", org["FR"])
    base = {
        "quiz": quiz.pk,
        "person": officer.pk,
        "extra_minutes": 15,
        "extra_attempts": 1,
        "closes_at": "",
        "note": "",
    }
    assert client.post(reverse("quiz_overrides:add"), base).status_code == 302
    override = QuizOverride.objects.get()
    assert (
        client.post(reverse("quiz_overrides:edit", args=[override.pk]), {**base, "extra_attempts": 3}).status_code
        == 302
    )
    assert client.post(reverse("quiz_overrides:delete", args=[override.pk])).status_code == 302
    entries = list(AuditEntry.objects.filter(action__startswith="quiz.override").order_by("pk"))
    assert [e.action for e in entries] == ["quiz.override_create", "quiz.override_change", "quiz.override_delete"]
    assert {e.unit for e in entries} == {org["FR"]} and {e.actor for e in entries} == {admin}
    assert entries[1].params["before"]["extra_attempts"] == 1 and entries[1].params["after"]["extra_attempts"] == 3
