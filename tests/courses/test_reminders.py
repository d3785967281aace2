import datetime as dt

from django.core import mail
from django.utils import timezone

from courses.models import ReminderSent
from courses.services.enrolment import enrolment_create
from courses.services.reminders import reminders_send
from tests.factories import make_person


def test_each_reminder_is_sent_exactly_once(course, learner, unit):
    today = timezone.localdate()
    soon = enrolment_create(person=learner, course=course, due_date=today + dt.timedelta(days=3))
    late_person = make_person("late", unit, language="en")
    late = enrolment_create(person=late_person, course=course, due_date=today - dt.timedelta(days=2))
    far = make_person("far", unit)
    enrolment_create(person=far, course=course, due_date=today + dt.timedelta(days=60))

    assert reminders_send(today=today) == 2
    assert reminders_send(today=today) == 0
    assert reminders_send(today=today + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Cổng thông tin điện tử" in by_to[learner.user.email].subject
    assert by_to[late_person.user.email].subject.startswith("Overdue")
    assert set(ReminderSent.objects.values_list("enrolment_id", "kind")) == {
        (soon.pk, "due_soon"),
        (late.pk, "overdue"),
    }

    # the due-soon learner later goes overdue: one more, and only one
    assert reminders_send(today=today + dt.timedelta(days=4)) == 1
    assert reminders_send(today=today + dt.timedelta(days=5)) == 0
    assert len(mail.outbox) == 3


def test_completed_enrolments_get_no_reminder(course, learner):
    from courses.services.progress import lesson_complete
    from tests.courses.conftest import lessons_of

    enrolment_create(person=learner, course=course, due_date=timezone.localdate() + dt.timedelta(days=1))
    for lesson in lessons_of(course):
        lesson_complete(person=learner, lesson=lesson)
    assert reminders_send() == 0 and mail.outbox == []


def test_failed_send_is_retried_next_time(course, learner, monkeypatch):
    from courses.services import reminders

    enrolment_create(person=learner, course=course, due_date=timezone.localdate() + dt.timedelta(days=2))

    def refuse(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    try:
        reminders_send()
    except ConnectionError:
        pass
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert reminders_send() == 1 and len(mail.outbox) == 1
