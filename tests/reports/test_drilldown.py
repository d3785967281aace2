from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person, source_ref


def _staff_page_queries(client, unit) -> int:
    from django.core.cache import cache

    cache.clear()  # cold each time: what the page caches (head counts, positions) must not hide a query
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/reports/units/{unit.pk}/staff/?sort=-score")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_staff_list_runs_a_constant_number_of_queries(client, hr_eu, scored, training, org, django_assert_num_queries):
    client.force_login(hr_eu.user)
    few = _staff_page_queries(client, org["EU"])
    for i in range(30):
        make_person(f"extra{i}", org["DE"], full_name=f"Đỗ Văn Thêm {i}")
    many = _staff_page_queries(client, org["EU"])
    assert few == many
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(many):
        client.get(f"/reports/units/{org['EU'].pk}/staff/?sort=name&page=2")


def test_staff_list_sorts_searches_and_paginates(client, hr_eu, scored, training, org, settings):
    settings.REPORTS_STAFF_PAGE_SIZE = 2
    client.force_login(hr_eu.user)
    page1 = client.get(f"/reports/units/{org['EU'].pk}/staff/?sort=-score").content.decode()
    # FR: fr1 mean 80, fr2 50; DE: de1 (60 + 20) / 2 = 40
    assert page1.index("Nguyễn Thị Ánh Tuyết") < page1.index("Trần Đức Thắng")
    assert "Lê Thị Hồng Nhung" not in page1 and "page=2" in page1
    found = client.get(f"/reports/units/{org['EU'].pk}/staff/?q=Hồng").content.decode()
    assert "Lê Thị Hồng Nhung" in found and "Trần Đức Thắng" not in found
    overdue = client.get(f"/reports/units/{org['EU'].pk}/staff/?sort=-overdue").content.decode()
    assert overdue.index("Lê Thị Hồng Nhung") < overdue.index("Nguyễn Thị Ánh Tuyết")


def test_staff_list_and_person_outside_scope_are_404(client, hr_eu, people, org):
    client.force_login(hr_eu.user)
    assert client.get(f"/reports/units/{org['JP'].pk}/staff/").status_code == 404
    assert client.get(f"/reports/units/{org['BNG'].pk}/staff/").status_code == 404
    assert client.get(f"/reports/people/{people['jp1'].pk}/").status_code == 404
    assert client.get(f"/reports/people/{hr_eu.pk}/").status_code == 404  # their own record lives in VP


def test_person_profile_shows_levels_against_target_evidence_and_courses(
    client, hr_eu, people, vn, target_chuyen_vien, training
):
    from assessments.services.evidence import EvidenceItem, evidence_record

    evidence_record(
        person=people["fr2"],
        items=[
            EvidenceItem(competency_id=vn["c"]["1.1"].pk, score=0.9),
            EvidenceItem(competency_id=vn["c"]["1.1"].pk, score=0.7),
        ],
        source="manual",
        source_ref=source_ref(people["fr2"], "quiz-attempt:42"),
    )
    client.force_login(hr_eu.user)
    body = client.get(f"/reports/people/{people['fr2'].pk}/").content.decode()
    assert "Trần Đức Thắng" in body and source_ref(people["fr2"], "quiz-attempt:42") in body
    for row in people["fr2"].competency_evidence.all():  # each row opens to its source
        assert f'href="/people/{row.person_id}/evidence/{row.pk}/"' in body
    assert 'id="chart-radar"' in body and "Cổng thông tin điện tử" in body
    assert "NC2" in body and "TC1" in body  # the target levels of the profile


def test_person_profile_lists_quiz_attempts(client, hr_eu, people, training):
    from django.utils import timezone

    from assessments.quizzes.models import Attempt
    from tests.assessments.quizzes.conftest import make_quiz

    quiz = make_quiz(training["a"], title="Kiểm tra chữ ký số")
    Attempt.objects.create(
        quiz=quiz,
        person=people["fr2"],
        number=1,
        status="submitted",
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        percent=72.0,
        passed=True,
    )
    client.force_login(hr_eu.user)
    body = client.get(f"/reports/people/{people['fr2'].pk}/").content.decode()
    assert "Kiểm tra chữ ký số" in body and "72%" in body
