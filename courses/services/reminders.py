"""Reminder e-mails before a due date and once overdue, each sent once."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import CoursePage, Enrolment, ReminderKind, ReminderSent
from ..selectors import translations_in

REMIND_DAYS_BEFORE = 7


def _pending(kind: str, today: date):
    already = ReminderSent.objects.filter(enrolment=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date"))
    qs = Enrolment.objects.open().filter(person__is_active=True, due_date__isnull=False)
    if kind == ReminderKind.DUE_SOON:
        qs = qs.filter(due_date__gte=today, due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
    else:
        qs = qs.filter(due_date__lt=today)
    return qs.exclude(Exists(already)).select_related("person__user", "course").order_by("pk")


def _send_one(enrolment: Enrolment, kind: str, today: date, titles: dict) -> bool:
    person = enrolment.person
    email = person.user.email
    if not email:
        return False
    try:
        with transaction.atomic():
            # The row is the claim: a second beat run (or a retry) hits the unique constraint and skips.
            ReminderSent.objects.create(enrolment=enrolment, kind=kind, due_date=enrolment.due_date)
            language = person.language or settings.LANGUAGE_CODE
            with translation.override(language):
                context = {
                    "person": person,
                    "course_title": titles.get((enrolment.course_id, language), enrolment.course.title),
                    "due_date": enrolment.due_date,
                    "days_left": (enrolment.due_date - today).days,
                    "kind": kind,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/my-learning/",
                }
                subject = render_to_string("courses/email/reminder_subject.txt", context).strip()
                body = render_to_string("courses/email/reminder_body.txt", context)
            # Sending inside the transaction: if the mail server refuses, the claim is rolled back and retried.
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: date | None = None) -> int:
    """Send every due reminder (due within 7 days; overdue); returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for kind in (ReminderKind.DUE_SOON, ReminderKind.OVERDUE):
        pending = list(_pending(kind, today))
        courses = {e.course_id: e.course for e in pending}
        titles = {}
        for language, _name in settings.LANGUAGES:
            for course in courses.values():
                titles[(course.pk, language)] = course.title
            shown = translations_in(CoursePage, list(courses.values()), language)
            for course in courses.values():
                if course.translation_key in shown:
                    titles[(course.pk, language)] = shown[course.translation_key].title
        for enrolment in pending:
            sent += _send_one(enrolment, kind, today, titles)
    return sent
