"""Reads for H5P: which activities a person may play, attempts for the results page."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import H5PActivity, H5PAttempt, H5PUserData


def activity_playable(user, activity) -> bool:
    """Whether ``activity`` is something a learner may play.

    Lessons do not place activities yet, so every stored activity counts; when LessonPage has
    the H5P block this checks the activity sits in a live lesson of a course the person may take.
    """
    return isinstance(activity, H5PActivity) and activity.pk is not None


def attempts_for_activity(activity: H5PActivity) -> QuerySet[H5PAttempt]:
    """Attempts with their person and unit (two joins, one query)."""
    return (
        H5PAttempt.objects.filter(activity=activity)
        .select_related("person", "person__unit")
        .order_by("person__full_name", "-started_at", "-id")
    )


def user_data_for(person, activity) -> dict[str, dict[str, str]]:
    """Resume state in H5P core's shape: ``{subContentId: {dataType: json_text}}``."""
    rows = H5PUserData.objects.filter(person=person, activity=activity).order_by("data_type", "sub_content_id")
    data: dict[str, dict[str, str]] = {}
    for row in rows:
        data.setdefault(row.sub_content_id, {})[row.data_type] = row.data
    return data
