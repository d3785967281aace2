"""“My competencies” and the person page: content, permissions (self, their HR, administrators), queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.demo import seed_profiles
from assessments.models import Evidence
from assessments.recommendations import courses_for_competencies
from assessments.services.evidence import EvidenceItem, evidence_record, evidence_supersede
from tests.factories import make_admin, make_hr, make_person, source_ref

PASSWORD = "correct horse battery staple"


@pytest.fixture
def lan(org, vn):
    person = make_person("lan", org["FR"], position="Bí thư thứ hai", full_name="Nguyễn Thị Lan")
    seed_profiles()
    now = timezone.now()
    for i in range(3):
        evidence_record(
            person=person,
            items=[EvidenceItem(vn["1.1"].pk, 0.9, band="specialised"), EvidenceItem(vn["4.2"].pk, 0.1 + 0.05 * i)],
            source="manual",
            source_ref=source_ref(person, f"quiz-attempt:{i}"),
            recorded_at=now - timedelta(days=30 * i),
        )
    evidence_record(
        person=person,
        items=[EvidenceItem(vn["6.1"].pk, 0.5)],
        source="manual",
        source_ref=source_ref(person, "h5p-attempt:1"),
        self_reported=True,
    )
    return person


def url(person=None):
    if person is None:
        return reverse("assessments:my_competencies")
    return reverse("assessments:person_competencies", args=[person.pk])


def test_my_competencies_shows_levels_target_gaps_and_evidence(client, lan, vn):
    client.force_login(lan.user)
    response = client.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Browsing, searching and filtering data, information and digital content" in html
    assert "Desk officer" in html  # the target profile of a second secretary
    rows = {row.competency.code: row for row in response.context["overview"].rows}
    assert rows["1.1"].status == "met" and rows["1.1"].level.code == "CS2"
    assert rows["4.2"].status == "gap" and rows["4.2"].required.code == "TC2"
    assert rows["6.1"].status == "insufficient"  # one piece of evidence: not enough yet
    assert rows["2.1"].status == "none"
    assert [r.competency.code for r in response.context["overview"].gaps][:2] == ["1.2", "1.3"]
    assert source_ref(lan, "quiz-attempt:2") in html and source_ref(lan, "h5p-attempt:1") in html
    for evidence in Evidence.objects.filter(person=lan):  # every row opens to its source
        assert f'href="/people/{lan.pk}/evidence/{evidence.pk}/"' in html
    assert "Self-reported" in html
    assert 'id="competency-table"' in html  # the table alternative to the chart
    assert "/static/plotly/plotly-cartesian.min.js" in html
    assert "cdn" not in html.lower()


def test_evidence_shares_add_up_and_superseded_rows_are_shown_but_do_not_count(client, lan, vn):
    evidence_supersede(
        person=lan,
        source_ref=source_ref(lan, "quiz-attempt:0"),
        source="manual",
        items=[EvidenceItem(vn["1.1"].pk, 0.7)],
    )
    client.force_login(lan.user)
    row = {r.competency.code: r for r in client.get(url()).context["overview"].rows}["1.1"]
    assert len(row.evidence) == 4
    assert sum(line.share for line in row.evidence) == pytest.approx(1.0)
    superseded = [line for line in row.evidence if not line.evidence.is_live]
    assert len(superseded) == 1 and superseded[0].share == 0


def test_framework_switch_projects_scores_through_the_crosswalk(client, lan):
    client.force_login(lan.user)
    response = client.get(url(), {"framework": "DIGCOMP"})
    assert response.context["overview"].framework.code == "DIGCOMP"
    rows = {row.competency.code: row for row in response.context["overview"].rows}
    assert len(rows) == 21
    # DigComp 1.1 has no evidence of its own; it shows VN-DCF 1.1 (equivalent) with the DigComp scale
    assert rows["1.1"].score is None and [c.code for c in rows["1.1"].via] == ["1.1"]
    assert rows["1.1"].value == pytest.approx(0.9) and rows["1.1"].level.code == "8"
    assert rows["2.1"].value is None and rows["2.1"].status == "none"
    assert (
        "via the crosswalk from" in response.content.decode() or "theo bảng đối chiếu từ" in response.content.decode()
    )
    mofa = client.get(url(), {"framework": "MOFA-DP"}).context["overview"]
    assert all(row.value is None for row in mofa.rows)  # partial mappings are not projected
    assert client.get(url(), {"framework": "NOPE"}).status_code == 404


def test_person_page_is_for_self_their_hr_and_administrators(client, lan, org):
    other = make_person("binh", org["FR"])
    hr_eu = make_hr("hr_eu", org["BNG"], org["EU"])
    hr_ap = make_hr("hr_ap", org["BNG"], org["AP"])
    admin = make_admin()
    for user, status in [(lan.user, 200), (hr_eu.user, 200), (admin, 200), (other.user, 404), (hr_ap.user, 404)]:
        client.force_login(user)
        assert client.get(url(lan)).status_code == status, user.username
    client.logout()
    response = client.get(url(lan))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(url()).status_code == 302


def test_user_without_a_staff_profile_has_no_own_page(client, lan):
    client.force_login(make_admin("root"))
    assert client.get(url()).status_code == 404


def test_page_runs_a_fixed_number_of_queries(client, lan, vn, django_assert_max_num_queries):
    client.force_login(lan.user)
    client.get(url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url())
    for i in range(20):
        evidence_record(
            person=lan,
            items=[EvidenceItem(c.pk, 0.5) for c in list(vn.values())[i % 5 : i % 5 + 4]],
            source="manual",
            source_ref=source_ref(lan, f"more:{i}"),
        )
    with django_assert_max_num_queries(len(few)):
        client.get(url())


def test_recommendations_wait_for_courses_to_link_competencies(vn):
    # Until courses.CoursePage has target_competencies, nothing is recommended (and nothing breaks).
    assert courses_for_competencies([vn["4.2"].pk]) == []


def test_page_speaks_vietnamese_by_default(client, lan):
    client.cookies.clear()
    client.force_login(lan.user)
    html = client.get(url()).content.decode()
    assert "Năng lực của tôi" in html and "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số" in html
    assert "Chuyên viên, cán bộ ngoại giao" in html and "Chưa đủ minh chứng" in html


def test_a_level_past_the_frameworks_validity_shows_reassessment_due_with_courses(client, vn, org, frameworks):
    from assessments.models import Framework
    from tests.courses.conftest import make_course

    person = make_person("minh", org["FR"], full_name="Lê Văn Minh")
    old = timezone.now() - timedelta(days=500)  # older than the 12 months set below
    for i in range(2):
        evidence_record(
            person=person,
            items=[EvidenceItem(vn["3.1"].pk, 0.9, band="advanced")],
            source="manual",
            source_ref=source_ref(person, f"old {i}"),
            recorded_at=old,
        )
    Framework.objects.filter(pk=frameworks["VN-DCF"].pk).update(validity_months=12)
    course = make_course(title="Sáng tạo nội dung số", slug="noi-dung-so")
    course.target_competencies.set([vn["3.1"]])
    course.save()
    client.force_login(person.user)
    response = client.get(url())
    row = {r.competency.code: r for r in response.context["overview"].rows}["3.1"]
    assert row.due and row.status == "due" and row.level is None and row.due_level.code == "NC2"
    assert row in response.context["overview"].gaps and course in row.courses
    html = response.content.decode()
    assert "reassessment due" in html and "Sáng tạo nội dung số" in html
