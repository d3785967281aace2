"""Demo: the scores and monthly history of the demo's evidence, their roll-ups, and the ministry-wide 2026
evaluation period (open). Runs last (``HOCSO_APPS`` order), after every demo that records evidence, so the
history is computed once from all of it. Idempotent: a second run rewrites the same rows."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from lms.models import Unit

from .models import EvaluationPeriod
from .services.evaluation import evaluation_period_open

NAME_EN = "2026 evaluation"

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def seed(stdout=None) -> None:
    from assessments.services.scores import scores_recompute
    from assessments.sources.demo import MONTHS

    from .services.rollups import unit_months_refresh

    ministry = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if ministry is None:
        return
    report = scores_recompute(history_months=MONTHS)
    if stdout is not None:
        stdout.write(f"Scores: {report.scores_checked} computed, with {report.snapshots_written} monthly snapshots.")
    unit_months_refresh()  # the demo's simulated history, rolled up as the nightly task would have done
    existing = EvaluationPeriod.objects.filter(unit=ministry, starts_on=START, ends_on=END).first()
    if existing is not None:
        if not existing.name_en:  # demos seeded before periods had an English name
            EvaluationPeriod.objects.filter(pk=existing.pk).update(name_en=NAME_EN)
        return
    actor = (
        get_user_model().objects.filter(username="admin").first()
        or get_user_model().objects.filter(is_superuser=True).first()
    )
    from assessments.models import Framework

    framework = Framework.objects.current().filter(code="VN-DCF").first()
    evaluation_period_open(
        actor=actor,
        unit=ministry,
        name="Đánh giá năm 2026",
        name_en=NAME_EN,
        starts_on=START,
        ends_on=END,
        framework=framework,
    )
    if stdout is not None:
        stdout.write("Reports: opened the 2026 evaluation period for the whole ministry.")
