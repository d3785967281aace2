import datetime as dt
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from courses.models import Certificate, Enrolment, EnrolmentSource
from courses.services.certificates import certificate_pdf, certificate_renewals_open, normalise_code
from courses.services.enrolment import enrolment_create
from courses.services.progress import lesson_complete
from tests.courses.conftest import lessons_of
from tests.factories import make_person


def complete(person, course):
    enrolment_create(person=person, course=course)
    for lesson in lessons_of(course):
        lesson_complete(person=person, lesson=lesson)
    return Certificate.objects.filter(person=person, course=course).latest("issued_at")


def test_codes_are_unique_and_normalised(course, learner, unit):
    first = complete(learner, course)
    other = complete(make_person("other", unit), course)
    assert first.code != other.code
    assert normalise_code(first.code.lower().replace("-", " ")) == first.code


def test_public_verification_shows_name_course_date_and_nothing_else(client, course, learner):
    certificate = complete(learner, course)
    response = client.get(reverse("courses:certificate_verify"), {"code": certificate.code.lower()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" in body and "Cổng thông tin điện tử" in body
    result = body.split('class="verify-result"')[1].split("</section>")[0]
    assert "Nguyễn Thị Hồng Nhung" in result
    assert learner.employee_number not in body and learner.unit.name not in result and learner.user.email not in body
    assert response.context["valid"] is True


def test_unknown_and_expired_codes(client, course, learner):
    response = client.get(reverse("courses:certificate_verify"), {"code": "AAAA-BBBB-CCCC"})
    assert response.context["certificate"] is None
    certificate = complete(learner, course)
    certificate.expires_on = timezone.localdate() - dt.timedelta(days=1)
    certificate.save()
    response = client.get(reverse("courses:certificate_verify"), {"code": certificate.code})
    assert response.context["valid"] is False


def test_pdf_contains_the_vietnamese_name_intact(course, learner):
    certificate = complete(learner, course)
    pdf = certificate_pdf(certificate=certificate, language="vi", verify_url="https://x.example/v/")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = unicodedata.normalize("NFC", text)
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "Cổng thông tin điện tử" in text and certificate.code in text


def test_pdf_download_is_for_the_owner_only(client, course, learner, unit):
    certificate = complete(learner, course)
    url = reverse("courses:certificate_pdf", args=[certificate.code])
    client.force_login(make_person("stranger", unit).user)
    assert client.get(url).status_code == 404
    client.force_login(learner.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_pdf_prints_the_full_verification_address_and_its_qr_code(client, course, learner, settings):
    """The PDF said "verify at /certificates/verify/": no host, no code in it, nothing to scan."""
    settings.ALLOWED_HOSTS = ["hocso.mofa.example"]
    certificate = complete(learner, course)
    client.force_login(learner.user)
    response = client.get(reverse("courses:certificate_pdf", args=[certificate.code]), HTTP_HOST="hocso.mofa.example")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    address = f"http://hocso.mofa.example/certificates/verify/?code={certificate.code}"
    assert address in text
    # The QR code (segno's SVG of the same address) is drawn on the page as vector strokes, one per run of
    # dark modules: hundreds of line segments the rest of the certificate does not have.
    assert len(reader.pages) == 1
    assert reader.pages[0].get_contents().get_data().count(b" l\n") > 150


def test_expiring_certificate_reenrols_once(course, learner):
    course.certificate_valid_days = 365
    course.renew_days_before = 30
    course.save()
    certificate = complete(learner, course)
    assert certificate.expires_on == timezone.localdate() + dt.timedelta(days=365)
    assert certificate_renewals_open(today=timezone.localdate()) == 0
    day = certificate.expires_on - dt.timedelta(days=30)
    assert certificate_renewals_open(today=day) == 1
    renewal = Enrolment.objects.get(person=learner, course=course, status="active")
    assert renewal.source == EnrolmentSource.RENEWAL and renewal.due_date == certificate.expires_on
    assert certificate_renewals_open(today=day + dt.timedelta(days=1)) == 0
    assert Enrolment.objects.filter(person=learner, course=course, status="active").count() == 1


@pytest.mark.parametrize("language", ["en"])
def test_pdf_in_english_uses_the_english_title(course, learner, english, language):
    translated = course.copy_for_translation(english, copy_parents=True)
    translated.title = "Electronic information portal"
    translated.save_revision().publish()
    certificate = complete(learner, course)
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(certificate_pdf(certificate=certificate, language=language, verify_url="https://x.example/v/"))
        ).pages
    )
    assert "Electronic information portal" in text and "Certificate of completion" in text
