"""The built-in source kinds (see ``registry``). Models are imported inside the methods: the apps that
own them (quizzes, H5P) depend on assessments, not the other way round."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lms import policy
from lms.boundaries.params import digits

from .registry import Resolved, SourceKind, register


def _ints(keys: list[str]) -> list[int]:
    return [int(k) for k in keys if digits(k)]


class QuizAttemptKind(SourceKind):
    prefix = "quiz-attempt"
    source = "quiz"

    def existing(self, person_id, keys):
        from assessments.quizzes.models import Attempt

        found = Attempt.objects.filter(pk__in=_ints(keys), person_id=person_id).values_list("pk", flat=True)
        return {str(pk) for pk in found}

    def resolve(self, evidence, viewer):
        from assessments.quizzes.models import Attempt, AttemptQuestion

        attempt = (
            Attempt.objects.select_related("quiz").filter(
                pk=self.key_of(evidence.source_ref), person_id=evidence.person_id
            )
        ).first()
        if attempt is None:
            return None
        questions = list(
            AttemptQuestion.objects.filter(attempt=attempt)
            .select_related("question")
            .order_by("position")
            .values_list("position", "question__title", "points", "max_points")
        )
        open_url = None
        quiz = attempt.quiz.specific if hasattr(attempt.quiz, "specific") else attempt.quiz
        if attempt.submitted_at and evidence.person.user_id == viewer.pk and policy.can(viewer, "quizzes.take", quiz):
            open_url = quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])
        elif policy.can(viewer, "quizzes.manage", quiz):
            open_url = reverse("quizzes_results", args=[quiz.pk])
        return Resolved(
            title=_("Attempt %(number)s at the quiz “%(quiz)s”") % {"number": attempt.number, "quiz": quiz.title},
            template="sources/quiz_attempt.html",
            context={"attempt": attempt, "quiz": quiz, "questions": questions},
            open_url=open_url,
        )


def _h5p_results_url(viewer, activity) -> str | None:
    return reverse("h5p:results", args=[activity.pk]) if policy.can(viewer, "h5p.view_results", activity) else None


class H5PActivityKind(SourceKind):
    """An H5P activity's result for a person: every finished attempt, combined by its grading method."""

    prefix = "h5p-activity"
    source = "h5p"

    def existing(self, person_id, keys):
        from courses.h5p.models import H5PAttempt

        found = H5PAttempt.objects.filter(
            activity_id__in=_ints(keys), person_id=person_id, completed_at__isnull=False
        ).values_list("activity_id", flat=True)
        return {str(pk) for pk in found}

    def resolve(self, evidence, viewer):
        from assessments.scoring.grading import AttemptResult, combine_results
        from courses.h5p.models import Grading, H5PActivity, H5PAttempt

        activity = H5PActivity.objects.filter(pk=self.key_of(evidence.source_ref)).first()
        if activity is None:
            return None
        attempts = list(
            H5PAttempt.objects.filter(
                activity=activity, person_id=evidence.person_id, completed_at__isnull=False
            ).order_by("completed_at", "pk")
        )
        if not attempts:
            return None
        # Which attempts the current result rests on (the evidence may be an older, superseded one).
        scored = [
            AttemptResult(a.pk, a.completed_at, a.score_raw / a.score_max, a.grading != Grading.SERVER)
            for a in attempts
            if a.score_max
        ]
        combined = combine_results(scored, method=activity.grading_method)
        counted = set(combined.counted) if combined else set()
        return Resolved(
            title=_("Attempts at the H5P activity “%(activity)s”") % {"activity": activity.title},
            template="sources/h5p_activity.html",
            context={"activity": activity, "attempts": attempts, "counted": counted},
            open_url=_h5p_results_url(viewer, activity),
        )


class H5PAttemptKind(SourceKind):
    """One H5P attempt (evidence recorded per attempt, before attempts were combined per activity)."""

    prefix = "h5p-attempt"
    source = "h5p"
    legacy = True

    def existing(self, person_id, keys):
        from courses.h5p.models import H5PAttempt

        found = H5PAttempt.objects.filter(pk__in=_ints(keys), person_id=person_id).values_list("pk", flat=True)
        return {str(pk) for pk in found}

    def resolve(self, evidence, viewer):
        from courses.h5p.models import H5PAttempt

        attempt = (
            H5PAttempt.objects.select_related("activity")
            .filter(pk=self.key_of(evidence.source_ref), person_id=evidence.person_id)
            .first()
        )
        if attempt is None:
            return None
        return Resolved(
            title=_("Attempt at the H5P activity “%(activity)s”") % {"activity": attempt.activity.title},
            template="sources/h5p_activity.html",
            context={"activity": attempt.activity, "attempts": [attempt], "counted": {attempt.pk}},
            open_url=_h5p_results_url(viewer, attempt.activity),
        )


def _audit_url(viewer, entry) -> str | None:
    if entry is None or not policy.can(viewer, "reports.access"):
        return None
    return reverse("reports:audit") + f"?action={entry.action}"


class ManualAssessmentKind(SourceKind):
    prefix = "manual-assessment"
    source = "manual"

    def existing(self, person_id, keys):
        from .models import ManualAssessment

        found = ManualAssessment.objects.filter(pk__in=_ints(keys), person_id=person_id).values_list("pk", flat=True)
        return {str(pk) for pk in found}

    def resolve(self, evidence, viewer):
        from .models import ManualAssessment

        assessment = (
            ManualAssessment.objects.select_related("competency__framework", "level", "audit_entry")
            .filter(pk=self.key_of(evidence.source_ref), person_id=evidence.person_id)
            .first()
        )
        if assessment is None:
            return None
        return Resolved(
            title=_("Manual assessment by %(assessor)s") % {"assessor": assessment.assessor_name},
            template="sources/manual_assessment.html",
            context={"assessment": assessment, "entry": assessment.audit_entry},
            open_url=_audit_url(viewer, assessment.audit_entry),
        )


class LegacyManualKind(SourceKind):
    """A manual assessment recorded before assessments were a model: its audit entry holds what was observed."""

    prefix = "manual"
    source = "manual"
    numeric_keys = False
    legacy = True

    def _entries(self, person_id, keys):
        from reports.models import AuditEntry

        refs = [f"manual:{k}" for k in keys]
        return AuditEntry.objects.filter(action="competency.manual_assessment", params__source_ref__in=refs)

    def existing(self, person_id, keys):
        from assessments.models import Evidence

        # The audit entry names the evidence row (target_id); the row names the person.
        entries = dict(self._entries(person_id, keys).values_list("target_id", "params__source_ref"))
        ids = [int(pk) for pk in entries if digits(pk)]
        mine = Evidence.objects.filter(pk__in=ids, person_id=person_id).values_list("pk", flat=True)
        return {entries[str(pk)].split(":", 1)[1] for pk in mine}

    def resolve(self, evidence, viewer):
        entry = self._entries(evidence.person_id, [self.key_of(evidence.source_ref)]).first()
        if entry is None:
            return None
        return Resolved(
            title=_("Manual assessment by %(assessor)s") % {"assessor": entry.actor_name},
            template="sources/manual_assessment.html",
            context={"assessment": None, "entry": entry, "legacy": entry.params},
            open_url=_audit_url(viewer, entry),
        )


def _model(label: str):
    """A model of an app that may not be installed (a sub-app landing later): None without it."""
    from django.apps import apps

    try:
        return apps.get_model(label)
    except LookupError:
        return None


class _AttemptOfAppKind(SourceKind):
    """A source that is one row with a ``person`` of another app (placement session, SCORM attempt)."""

    model_label = ""
    template = "sources/generic_attempt.html"

    def existing(self, person_id, keys):
        model = _model(self.model_label)
        if model is None:
            return set()
        found = model.objects.filter(pk__in=_ints(keys), person_id=person_id).values_list("pk", flat=True)
        return {str(pk) for pk in found}

    def title(self, row) -> str:
        return str(row)

    def resolve(self, evidence, viewer):
        model = _model(self.model_label)
        row = (
            model.objects.filter(pk=self.key_of(evidence.source_ref), person_id=evidence.person_id).first()
            if model
            else None
        )
        if row is None:
            return None
        facts = [
            (model._meta.get_field(name).verbose_name, getattr(row, name))
            for name in ("started_at", "completed_at", "passed", "score_scaled", "status")
            if hasattr(row, name)
        ]
        return Resolved(title=self.title(row), template=self.template, context={"row": row, "facts": facts})


class PlacementKind(_AttemptOfAppKind):
    prefix = "placement"
    source = "diagnostic"
    model_label = "placement.DiagnosticSession"

    def title(self, row) -> str:
        return _("Placement test taken on %(day)s") % {"day": row.started_at.date().isoformat()}


class SCORMAttemptKind(_AttemptOfAppKind):
    prefix = "scorm-attempt"
    source = "scorm"
    model_label = "scorm.SCORMAttempt"

    def title(self, row) -> str:
        return _("Attempt at the SCORM package “%(activity)s”") % {"activity": row.activity}


class XAPIStatementKind(SourceKind):
    """A statement another tool sent through the LRS about an activity an administrator mapped."""

    prefix = "xapi"
    source = "xapi"
    numeric_keys = False

    @staticmethod
    def _uuids(keys: list[str]) -> list[str]:
        import uuid

        out = []
        for key in keys:
            try:
                out.append(str(uuid.UUID(key)))
            except ValueError:
                continue
        return out

    def existing(self, person_id, keys):
        model = _model("xapi.Statement")
        if model is None:
            return set()
        found = model.objects.filter(statement_id__in=self._uuids(keys), person_id=person_id).values_list(
            "statement_id", flat=True
        )
        wanted = {str(k).lower(): k for k in keys}
        return {wanted[str(pk)] for pk in found if str(pk) in wanted}

    def resolve(self, evidence, viewer):
        model = _model("xapi.Statement")
        keys = self._uuids([self.key_of(evidence.source_ref)])
        row = (
            model.objects.filter(statement_id__in=keys, person_id=evidence.person_id).first()
            if model and keys
            else None
        )
        if row is None:
            return None
        raw = row.raw or {}
        obj = raw.get("object") or {}
        verb = (raw.get("verb") or {}).get("id", "")
        facts = [
            (_("Activity"), obj.get("id", "")),
            (_("Verb"), verb),
            (_("Result"), ((raw.get("result") or {}).get("score") or {}).get("scaled")),
            (_("Stored"), row.stored),
            (_("Voided"), row.voided),
        ]
        return Resolved(
            title=_("Statement from another tool"), template="sources/generic_attempt.html", context={"facts": facts}
        )


for _kind in (
    XAPIStatementKind(),
    QuizAttemptKind(),
    H5PActivityKind(),
    H5PAttemptKind(),
    ManualAssessmentKind(),
    LegacyManualKind(),
    PlacementKind(),
    SCORMAttemptKind(),
):
    register(_kind)
