"""Calibration: fit the 2PL parameters of the diagnostic items from every recorded response.

Responses come from diagnostic sessions and quiz attempts (the same question versions). Rules:

* an item is fitted only from at least ``min_responses`` responses; below that it keeps its parameters
  (prior or an earlier calibration) and is reported as skipped;
* an item whose responses are all the same (all right or all wrong) cannot be fitted: it keeps its
  parameters and is flagged ``constant_responses``;
* after the fit, each item's infit/outfit are computed from the respondents' EAP abilities under the new
  parameters and the flags stored (``irt.item_fit``), with when and from how many responses it was fitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from assessments.quizzes.models import AttemptQuestion, Question, QuestionCompetency, QuestionVersion
from assessments.scoring import irt

from .. import errors, irt_fit
from ..models import ItemParameters, Provenance, SessionItem


@dataclass
class CalibrationReport:
    fitted: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # too few responses: not moved
    constant: list[dict] = field(default_factory=list)  # all right or all wrong: flagged, not moved
    respondents: int = 0


def _diagnostic_versions(framework_code: str | None) -> dict[int, int]:
    """version id → difficulty, for versions of questions linked to a competency (of the framework)."""
    links = QuestionCompetency.objects.all()
    if framework_code:
        links = links.filter(competency__framework__code=framework_code, competency__framework__is_current=True)
    question_ids = links.values_list("question_id", flat=True)
    return dict(QuestionVersion.objects.filter(question_id__in=question_ids).values_list("pk", "question__difficulty"))


def _responses(version_ids: set[int]) -> dict[str, dict[int, float]]:
    """respondent → version → score 0..1 (sessions as ``s<id>``, quiz attempts as ``a<id>``)."""
    table: dict[str, dict[int, float]] = {}
    for sid, vid, score in SessionItem.objects.filter(
        version_id__in=version_ids, answered_at__isnull=False, score__isnull=False
    ).values_list("session_id", "version_id", "score"):
        table.setdefault(f"s{sid}", {})[vid] = float(score)
    for aid, vid, points, max_points in AttemptQuestion.objects.filter(
        version_id__in=version_ids, points__isnull=False, attempt__status="submitted"
    ).values_list("attempt_id", "version_id", "points", "max_points"):
        if max_points:
            table.setdefault(f"a{aid}", {})[vid] = float(points) / float(max_points)
    return table


@transaction.atomic
def items_calibrate(
    *, framework_code: str | None = None, min_responses: int = 200, now: datetime | None = None
) -> CalibrationReport:
    now = now or timezone.now()
    min_responses = max(int(min_responses), 2)
    difficulty = _diagnostic_versions(framework_code)
    table = _responses(set(difficulty))
    by_item: dict[int, list[float]] = {}
    for row in table.values():
        for vid, score in row.items():
            by_item.setdefault(vid, []).append(score)
    report = CalibrationReport(respondents=len(table))
    existing = {p.version_id: p for p in ItemParameters.objects.filter(version_id__in=list(by_item))}
    eligible: list[int] = []
    for vid, scores in sorted(by_item.items()):
        if len(scores) < min_responses:
            report.skipped.append({"version": vid, "responses": len(scores)})
        elif len({s >= 0.5 for s in scores}) == 1:
            report.constant.append({"version": vid, "responses": len(scores)})
        else:
            eligible.append(vid)
    if not eligible:
        if report.constant:
            raise errors.CalibrationRefused(errors.CONSTANT_DATA)
        raise errors.CalibrationRefused(errors.NO_DATA, min=min_responses)
    for entry in report.constant:
        vid = entry["version"]
        p = existing.get(vid)
        if p is None:
            a, b = irt.prior_params(difficulty[vid])
            p = ItemParameters(version_id=vid, a=a, b=b)
        p.flags = [irt.CONSTANT_RESPONSES]
        p.save()
    fitted = irt_fit.fit_2pl(table, eligible)
    params = {vid: fitted.get(vid) for vid in by_item}
    for vid in by_item:
        if params[vid] is None:
            old = existing.get(vid)
            params[vid] = (old.a, old.b) if old else irt.prior_params(difficulty[vid])
    abilities = {
        person: irt.eap([irt.Response(a=params[v][0], b=params[v][1], score=s) for v, s in row.items()]).theta
        for person, row in table.items()
    }
    observations: dict[int, list[tuple[float, float]]] = {vid: [] for vid in eligible}
    for person, row in table.items():
        for vid, score in row.items():
            if vid in observations:
                observations[vid].append((abilities[person], score))
    rows = []
    for vid in eligible:
        a, b = fitted[vid]
        fit = irt.item_fit(observations[vid], a=a, b=b)
        p = existing.get(vid) or ItemParameters(version_id=vid)
        p.a, p.b = round(a, 4), round(b, 4)
        p.provenance = Provenance.CALIBRATED
        p.fitted_at = now
        p.response_count = fit.responses
        p.infit, p.outfit, p.flags = fit.infit, fit.outfit, list(fit.flags)
        rows.append(p)
        report.fitted.append(
            {
                "version": vid,
                "responses": fit.responses,
                "a": p.a,
                "b": p.b,
                "infit": fit.infit,
                "outfit": fit.outfit,
                "flags": list(fit.flags),
            }
        )
    for p in rows:
        p.save()
    return report


def parameters_for_questions(question_ids: list[int]) -> dict[int, ItemParameters]:
    """question id → parameters of its current version (for the item analysis page; one query)."""
    rows = ItemParameters.objects.filter(
        version__question_id__in=question_ids,
        version_id__in=Question.objects.filter(pk__in=question_ids).values("current_version_id"),
    ).select_related("version")
    return {p.version.question_id: p for p in rows}
