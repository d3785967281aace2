"""Certificates: issue on completion, public verification, PDF, renewal before expiry."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Certificate, CourseCompletion, CoursePage, EnrolmentSource
from ..selectors import translations_in

# No 0/O, 1/I/L: the code is read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def certificate_code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:12]}" if len(cleaned) == 12 else cleaned


@transaction.atomic
def certificate_issue(*, completion: CourseCompletion) -> Certificate:
    """One certificate per completion (issuing twice returns the first)."""
    existing = Certificate.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    course: CoursePage = completion.course
    issued = completion.completed_at
    expires = None
    if course.certificate_valid_days:
        expires = timezone.localdate(issued) + timedelta(days=course.certificate_valid_days)
    code = certificate_code_new()
    while Certificate.objects.filter(code=code).exists():
        code = certificate_code_new()
    return Certificate.objects.create(
        completion=completion,
        person=completion.person,
        course=course,
        code=code,
        full_name=completion.person.full_name,
        issued_at=issued,
        expires_on=expires,
    )


def certificate_course_title(certificate: Certificate, language: str) -> str:
    course = certificate.course
    return translations_in(CoursePage, [course], language).get(course.translation_key, course).title


def certificate_pdf(*, certificate: Certificate, language: str, verify_url: str) -> bytes:
    """The certificate as a PDF in ``language``; DejaVu fonts carry the Vietnamese diacritics.

    ``verify_url`` is the full address (scheme and host) where anyone can check the code; it is printed
    and drawn as a QR code, so a printed certificate can be checked from a phone."""
    from weasyprint import HTML

    from lms.qr import qr_svg

    with translation.override(language):
        html = render_to_string(
            "courses/certificate_pdf.html",
            {
                "certificate": certificate,
                "course_title": certificate_course_title(certificate, language),
                "language": language,
                "verify_url": verify_url,
                "qr": qr_svg(verify_url, size_mm=26, title=verify_url),
            },
        )
    return HTML(string=html).write_pdf()


@transaction.atomic
def certificate_renewals_open(*, today: date | None = None) -> int:
    """Re-enrol people whose certificate expires within the course's renewal window; returns how many.

    Only the latest certificate of a person for a course is renewed, and only once
    (``renewal_enrolment`` remembers it), so running this every day is harmless.
    """
    from .enrolment import enrolment_create

    today = today or timezone.localdate()
    candidates = (
        Certificate.objects.select_for_update(of=("self",))
        .filter(expires_on__isnull=False, renewal_enrolment__isnull=True, expires_on__lte=today + timedelta(days=366))
        .select_related("course", "person")
        .exclude(
            Exists(
                Certificate.objects.filter(
                    person=OuterRef("person"), course=OuterRef("course"), issued_at__gt=OuterRef("issued_at")
                )
            )
        )
    )
    count = 0
    for cert in candidates:
        if cert.expires_on - timedelta(days=cert.course.renew_days_before) > today:
            continue
        if not cert.person.is_active or not cert.course.live:
            continue
        enrolment = enrolment_create(
            person=cert.person, course=cert.course, source=EnrolmentSource.RENEWAL, due_date=cert.expires_on
        )
        cert.renewal_enrolment = enrolment
        cert.save(update_fields=["renewal_enrolment"])
        count += 1
    return count
