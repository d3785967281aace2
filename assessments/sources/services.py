"""Recording manual assessments: the assessment, its evidence and its audit entry in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments import errors
from assessments.errors import EvidenceError
from assessments.models import Competency, EvidenceSource, ProficiencyLevel
from lms import policy
from lms.models import StaffProfile

from .models import AssessorGrant, ManualAssessment


def assessor_max_level(*, actor, framework_id: int) -> ProficiencyLevel | None | bool:
    """The highest level ``actor`` may certify in a framework: ``True`` for any (administrators), a level
    (their grant), or ``None`` (no grant: results without a level only)."""
    if policy.is_admin(actor):
        return True
    grant = (
        AssessorGrant.objects.select_related("max_level").filter(user_id=actor.pk, framework_id=framework_id).first()
    )
    return grant.max_level if grant else None


def _check_level(*, competency: Competency, level: ProficiencyLevel | None, allowed) -> None:
    """``allowed``: what ``assessor_max_level`` says for the competency's framework."""
    if level is None:
        return
    framework = competency.framework
    if level.framework_id != competency.framework_id:
        raise EvidenceError(
            errors.LEVEL_OF_OTHER_FRAMEWORK % {"level": level.code, "competency": competency.code}, field="level"
        )
    if allowed is True:
        return
    if allowed is None:
        raise EvidenceError(errors.NO_LEVEL_PERMISSION % {"framework": framework.code}, field="level")
    if level.rank > allowed.rank:
        raise EvidenceError(
            errors.LEVEL_ABOVE_PERMISSION % {"allowed": allowed.code, "framework": framework.code, "level": level.code},
            field="level",
            code="above_permission",
        )


def _level_within_permission(scale: list[ProficiencyLevel], score: float, grants: dict) -> ProficiencyLevel | None:
    """The level an observation shows when the assessor named none: the highest level whose minimum score
    the result reaches, but no higher than the assessor may certify (without a permission: the lowest
    level, so such a result never certifies above the beginner band)."""
    if not scale:
        return None
    allowed = grants.get(scale[0].framework_id)
    cap = scale[-1].rank if allowed is True else allowed.rank if allowed else scale[0].rank
    reached = [lv for lv in scale if lv.min_score <= score + 1e-9 and lv.rank <= cap]
    return reached[-1] if reached else None


@dataclass(frozen=True)
class Observation:
    """One competency observed in a practical assessment: the result (0..1) and the level shown."""

    competency: Competency
    score: float
    level: ProficiencyLevel | None = None


def _score(value, i: int) -> float:
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else -1.0
    if not (number == number and 0.0 <= number <= 1.0):  # NaN fails the first test
        raise EvidenceError(errors.BAD_SCORE % {"value": value}, field=f"items[{i}].score")
    return number


@transaction.atomic
def manual_assessment_record(
    *,
    actor,
    person: StaffProfile,
    competency: Competency,
    score: float,
    level: ProficiencyLevel | None = None,
    recorded_at=None,
    note: str = "",
) -> ManualAssessment:
    """A trainer's manual (practical) assessment: the assessment, one evidence row pointing at it
    ("manual-assessment:<id>") and its audit entry, in one transaction.

    ``score`` is normalised 0..1; ``level`` is the level observed, which the assessor must be allowed
    to certify (``AssessorGrant``; administrators any). Raises EvidenceError (nothing written, nothing
    audited) when the actor may not assess this person, for a level of another framework or above the
    assessor's permission, and for everything ``evidence_record`` refuses.
    """
    (assessment,) = manual_assessments_record(
        actor=actor,
        person=person,
        observations=[Observation(competency=competency, score=score, level=level)],
        recorded_at=recorded_at,
        note=note,
    )
    return assessment


@transaction.atomic
def manual_assessments_record(
    *, actor, person: StaffProfile, observations: list[Observation], recorded_at=None, note: str = ""
) -> list[ManualAssessment]:
    """Several competencies observed in one session (a baseline assessment): one assessment, one evidence
    row and one audit entry per competency, written with a fixed number of queries whatever their number.
    The same checks as ``manual_assessment_record``, for every observation before anything is written."""
    from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many
    from lms.accounts import audit
    from reports.models import AuditEntry

    if not observations:
        raise EvidenceError(errors.NO_ITEMS, field="items")
    if not person.is_active:
        raise EvidenceError(errors.INACTIVE_PERSON % {"person": str(person)}, field="person", code="inactive")
    if not policy.can(actor, "competency.assess_manually", person):
        raise EvidenceError(errors.NOT_ALLOWED_TO_ASSESS, field="person", code="forbidden")
    competencies = Competency.objects.select_related("framework").in_bulk([o.competency.pk for o in observations])
    grants: dict[int, ProficiencyLevel | None | bool] = {}
    scores = []
    for i, observation in enumerate(observations):
        competency = competencies.get(observation.competency.pk)
        if competency is None:
            raise EvidenceError(
                errors.UNKNOWN_COMPETENCY % {"ref": f"#{observation.competency.pk}"}, field=f"items[{i}].competency_id"
            )
        if competency.framework_id not in grants:
            grants[competency.framework_id] = assessor_max_level(actor=actor, framework_id=competency.framework_id)
        _check_level(competency=competency, level=observation.level, allowed=grants[competency.framework_id])
        scores.append(_score(observation.score, i))
    scales: dict[int, list[ProficiencyLevel]] = {}
    for level in ProficiencyLevel.objects.filter(framework_id__in=list(grants)).order_by("rank"):
        scales.setdefault(level.framework_id, []).append(level)
    levels = [
        o.level or _level_within_permission(scales.get(competencies[o.competency.pk].framework_id, []), score, grants)
        for o, score in zip(observations, scores, strict=True)
    ]
    observed_at = recorded_at or timezone.now()
    if timezone.is_naive(observed_at):
        observed_at = timezone.make_aware(observed_at)
    profile = policy.profile_of(actor)
    assessor_name = (profile.full_name if profile else "") or actor.get_full_name() or actor.get_username()
    assessments = ManualAssessment.objects.bulk_create(
        [
            ManualAssessment(
                person=person,
                competency=competencies[o.competency.pk],
                level=level,
                score=score,
                observed_at=observed_at,
                note=note,
                assessor=actor,
                assessor_name=assessor_name,
            )
            for o, score, level in zip(observations, scores, levels, strict=True)
        ]
    )
    written = evidence_supersede_many(
        person=person,
        source=EvidenceSource.MANUAL,
        records=[
            SourceEvidence(
                source_ref=a.source_ref,
                items=[EvidenceItem(competency_id=a.competency_id, score=a.score, level_id=a.level_id)],
                recorded_at=observed_at,
            )
            for a in assessments
        ],
        recorded_by=actor,
        note=note,
    )
    audit.record_many(
        actor=actor,
        action="competency.manual_assessment",
        rows=[
            audit.Row(
                ManualAssessment,
                a.pk,
                str(a),
                person.unit_id,
                {
                    "person": person.employee_number,
                    "competency": a.competency.code,
                    "framework": a.competency.framework.code,
                    "level": a.level.code if a.level else None,
                    "level_named_by_assessor": observation.level is not None,
                    "band": a.level.band if a.level else None,
                    "score_percent": round(a.score * 100, 2),
                    "recorded_at": observed_at.isoformat(),
                    "source_ref": a.source_ref,
                    "evidence": written[a.source_ref][0].pk,
                    "note": note,
                },
            )
            for a, observation in zip(assessments, observations, strict=True)
        ],
    )
    entries = dict(
        AuditEntry.objects.filter(
            action="competency.manual_assessment",
            target_type=ManualAssessment._meta.label,
            target_id__in=[str(a.pk) for a in assessments],
        ).values_list("target_id", "pk")
    )
    for a in assessments:
        a.audit_entry_id = entries[str(a.pk)]
    ManualAssessment.objects.bulk_update(assessments, ["audit_entry"])
    return assessments
