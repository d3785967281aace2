"""HR see, per unit, who has a level due for reassessment (older than the framework's validity)."""

from datetime import timedelta

from django.utils import timezone

from assessments.models import CompetencyScore, Framework
from tests.reports.conftest import put_score


def test_counts_per_unit_and_people_due_within_scope(client, hr_eu, people, vn, django_assert_max_num_queries):
    c, lv = vn["c"], vn["level"]
    for key in ("fr1", "fr2", "de1", "jp1"):
        put_score(people[key], c["1.1"], 0.8, 6, lv)
    long_ago = timezone.now() - timedelta(days=900)
    CompetencyScore.objects.filter(person__in=[people["fr1"], people["de1"], people["jp1"]]).update(
        level_evidence_at=long_ago
    )
    client.force_login(hr_eu.user)
    eu = people["fr1"].unit.parent
    with django_assert_max_num_queries(25):
        response = client.get(f"/reports/units/{eu.pk}/reassessments/")
    assert response.status_code == 200
    units = {u["person__unit__code"]: u["people"] for u in response.context["units"]}
    assert units == {"FR": 1, "DE": 1}  # Japan is outside this HR's scope
    names = [p["person__full_name"] for p in response.context["people"]]
    assert sorted(names) == ["Lê Thị Hồng Nhung", "Nguyễn Thị Ánh Tuyết"]
    assert "Trần Đức Thắng" not in response.content.decode()
    # A longer validity makes the same levels current again.
    Framework.objects.filter(pk=vn["framework"].pk).update(validity_months=36)
    assert client.get(f"/reports/units/{eu.pk}/reassessments/").context["units"] == []
    jp = people["jp1"].unit
    assert client.get(f"/reports/units/{jp.pk}/reassessments/").status_code == 404
