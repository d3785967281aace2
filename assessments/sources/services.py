"""Recording manual assessments: the assessment, its evidence and its audit entry in one transaction."""

from __future__ import annotations

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


def _check_level(*, actor, competency: Competency, level: ProficiencyLevel | None) -> None:
    if level is None:
        return
    framework = competency.framework
    if level.framework_id != competency.framework_id:
        raise EvidenceError(
            errors.LEVEL_OF_OTHER_FRAMEWORK % {"level": level.code, "competency": competency.code}, field="level"
        )
    allowed = assessor_max_level(actor=actor, framework_id=framework.pk)
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
    from assessments.services.evidence import EvidenceItem, evidence_record
    from reports.services.audit import audit_record

    if not person.is_active:
        raise EvidenceError(errors.INACTIVE_PERSON % {"person": str(person)}, field="person", code="inactive")
    if not policy.can(actor, "competency.assess_manually", person):
        raise EvidenceError(errors.NOT_ALLOWED_TO_ASSESS, field="person", code="forbidden")
    competency = Competency.objects.select_related("framework").get(pk=competency.pk)
    _check_level(actor=actor, competency=competency, level=level)
    observed_at = recorded_at or timezone.now()
    if timezone.is_naive(observed_at):
        observed_at = timezone.make_aware(observed_at)
    score_value = float(score) if isinstance(score, int | float) and not isinstance(score, bool) else -1.0
    if not 0.0 <= score_value <= 1.0:
        raise EvidenceError(errors.BAD_SCORE % {"value": score}, field="items[0].score")
    assessment = ManualAssessment.objects.create(
        person=person,
        competency=competency,
        level=level,
        score=score_value,
        observed_at=observed_at,
        note=note,
        assessor=actor,
        assessor_name=actor.get_full_name() or actor.get_username(),
    )
    (evidence,) = evidence_record(
        person=person,
        # The level observed sets the evidence's band (at most that level can be supported); without one,
        # the evidence is at the framework's lowest band.
        items=[EvidenceItem(competency_id=competency.pk, score=score_value, level_id=level.pk if level else None)],
        source=EvidenceSource.MANUAL,
        source_ref=assessment.source_ref,
        recorded_at=observed_at,
        recorded_by=actor,
        note=note,
    )
    entry = audit_record(
        actor=actor,
        action="competency.manual_assessment",
        target=assessment,
        params={
            "person": person.employee_number,
            "competency": competency.code,
            "framework": competency.framework.code,
            "level": level.code if level else None,
            "score_percent": round(score_value * 100, 2),
            "recorded_at": observed_at,
            "source_ref": assessment.source_ref,
            "evidence": evidence.pk,
            "note": note,
        },
        unit=person.unit,
    )
    ManualAssessment.objects.filter(pk=assessment.pk).update(audit_entry=entry)
    assessment.audit_entry = entry
    return assessment
