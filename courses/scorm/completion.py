"""Course completion: a required lesson placing a SCORM activity needs that activity completed."""

from __future__ import annotations

from courses.completion import Requirement
from lms.boundaries.params import digits


def scorm_requirements(person, course) -> list[Requirement]:
    """One requirement per SCORM activity placed in a live required lesson of the course."""
    from wagtail.models import ReferenceIndex

    from courses.models import LessonPage

    from .models import SCORMActivity, SCORMAttempt

    lessons = list(LessonPage.objects.child_of(course).live().filter(required=True).values_list("pk", flat=True))
    if not lessons:
        return []
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    activity_type = ContentType.objects.get_for_model(SCORMActivity)
    ids = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in lessons],
            to_content_type=activity_type,
        )
        .values_list("to_object_id", flat=True)
        .distinct()
    )
    activities = list(SCORMActivity.objects.filter(pk__in=[int(i) for i in ids if digits(str(i))]).order_by("pk"))
    if not activities:
        return []
    done = set(
        SCORMAttempt.objects.filter(person=person, activity__in=activities, completed_at__isnull=False).values_list(
            "activity_id", flat=True
        )
    )
    return [Requirement(key=f"scorm:{a.pk}", label=a.title, met=a.pk in done, required=True) for a in activities]
