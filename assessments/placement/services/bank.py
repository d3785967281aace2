"""The calibrated item bank of a test form, and publishing a form (which checks the bank is big enough)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments.models import CompetencyArea, ProficiencyLevel
from assessments.quizzes.models import Question, QuestionCompetency, QuestionVersion
from assessments.quizzes.services.versions import question_versions_current, questions_with_content
from assessments.scoring import irt

from .. import errors
from ..models import DiagnosticForm, FormStatus, ItemParameters, Provenance


@dataclass(frozen=True)
class BankItem:
    question_id: int
    version_id: int
    area_id: int
    competency_id: int
    a: float
    b: float
    provenance: str

    @property
    def params(self) -> irt.ItemParams:
        return irt.ItemParams(id=self.question_id, a=self.a, b=self.b, competency=self.competency_id)


def form_areas(form: DiagnosticForm) -> list[CompetencyArea]:
    return list(CompetencyArea.objects.filter(framework_id=form.framework_id).order_by("sort_order", "code"))


def form_levels(form: DiagnosticForm) -> list[ProficiencyLevel]:
    return list(ProficiencyLevel.objects.filter(framework_id=form.framework_id).order_by("rank"))


def form_cuts(form: DiagnosticForm, levels: list[ProficiencyLevel] | None = None) -> list[tuple[int, float]]:
    """``[(level id, min θ)]``: the form's cut scores by level code, or the documented default."""
    levels = levels if levels is not None else form_levels(form)
    defaults = dict(irt.default_cuts([lv.code for lv in levels]))
    stored = form.cut_scores or {}
    return [(lv.pk, float(stored.get(lv.code, defaults[lv.code]))) for lv in levels]


def band_cuts(form: DiagnosticForm, levels: list[ProficiencyLevel]) -> list[tuple[str, float]]:
    """``[(band, min θ)]``: a band (tier of levels) starts at the cut of its lowest level."""
    cuts = dict(form_cuts(form, levels))
    out: list[tuple[str, float]] = []
    for lv in levels:
        band = getattr(lv, "band", "") or lv.tier_en or lv.tier_vi or lv.code
        if not out or out[-1][0] != band:
            out.append((band, cuts[lv.pk]))
    return out


def check_cuts(form: DiagnosticForm, levels: list[ProficiencyLevel]) -> None:
    stored = form.cut_scores or {}
    if not isinstance(stored, dict):
        raise errors.FormNotReady(errors.BAD_CUTS, detail="{level code: θ}")
    codes = {lv.code for lv in levels}
    unknown = sorted(set(stored) - codes)
    if unknown:
        raise errors.FormNotReady(errors.BAD_CUTS, detail=", ".join(unknown))
    try:
        cuts = [c for _, c in form_cuts(form, levels)][1:]
    except (TypeError, ValueError):
        raise errors.FormNotReady(errors.BAD_CUTS, detail="θ")
    if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
        raise errors.FormNotReady(errors.BAD_CUTS, detail=", ".join(f"{c:g}" for c in cuts))


def _strongest_links(question_ids: list[int], framework_id: int) -> dict[int, tuple[int, int]]:
    """question id → (competency id, area id) of its strongest link into the framework."""
    best: dict[int, tuple[float, int, int]] = {}
    rows = QuestionCompetency.objects.filter(
        question_id__in=question_ids, competency__framework_id=framework_id
    ).values_list("question_id", "competency_id", "competency__area_id", "weight")
    for qid, cid, area_id, weight in rows:
        if qid not in best or (weight, -cid) > (best[qid][0], -best[qid][1]):
            best[qid] = (weight, cid, area_id)
    return {qid: (cid, area_id) for qid, (_, cid, area_id) in best.items()}


def form_bank(form: DiagnosticForm) -> dict[int, list[BankItem]]:
    """area id → the form's items, each at its current version with its parameters (prior when uncalibrated).

    A fixed number of queries whatever the bank's size (plus versioning questions that have no version yet).
    """
    questions = list(Question.objects.filter(pool_id=form.pool_id).select_related("current_version"))
    links = _strongest_links([q.pk for q in questions], form.framework_id)
    questions = [q for q in questions if q.pk in links]
    # The admin refreshes a question's current version on every edit (quizzes' after_edit_snippet hook), so
    # the current version is served as is; only questions that have none yet are versioned here.
    versions = {q.pk: q.current_version for q in questions if q.current_version_id}
    missing = [q.pk for q in questions if not q.current_version_id]
    if missing:
        versions.update(question_versions_current(questions=list(questions_with_content(missing))))
    params = {p.version_id: p for p in ItemParameters.objects.filter(version_id__in=[v.pk for v in versions.values()])}
    bank: dict[int, list[BankItem]] = defaultdict(list)
    for q in questions:
        version = versions[q.pk]
        competency_id, area_id = links[q.pk]
        p = params.get(version.pk)
        if p is None:
            a, b = irt.prior_params(q.difficulty)
            provenance = Provenance.PRIOR
        else:
            a, b, provenance = p.a, p.b, p.provenance
        bank[area_id].append(
            BankItem(
                question_id=q.pk,
                version_id=version.pk,
                area_id=area_id,
                competency_id=competency_id,
                a=a,
                b=b,
                provenance=provenance,
            )
        )
    return dict(bank)


def params_ensure(*, items: list[BankItem], difficulty_of: dict[int, int] | None = None) -> None:
    """Store the prior of served versions that have no parameters yet, so every answer has a row to calibrate."""
    missing = [i for i in items if i.provenance == Provenance.PRIOR]
    if not missing:
        return
    have = set(
        ItemParameters.objects.filter(version_id__in=[i.version_id for i in missing]).values_list(
            "version_id", flat=True
        )
    )
    ItemParameters.objects.bulk_create(
        [
            ItemParameters(version_id=i.version_id, a=i.a, b=i.b, provenance=Provenance.PRIOR)
            for i in missing
            if i.version_id not in have
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def form_publish(*, form: DiagnosticForm, now=None) -> DiagnosticForm:
    """Publish a form once every area has at least ``max_items`` items and the cut scores rise with the level.

    Refuses (nothing written) naming the first area that is short.
    """
    form = DiagnosticForm.objects.select_for_update().get(pk=form.pk)
    areas = form_areas(form)
    if not areas:
        raise errors.FormNotReady(errors.NO_AREAS)
    check_cuts(form, form_levels(form))
    # Bring every item's version up to date once (edits made outside the admin), then read the bank.
    ids = list(Question.objects.filter(pool_id=form.pool_id).values_list("pk", flat=True))
    question_versions_current(questions=list(questions_with_content(ids)))
    bank = form_bank(form)
    for area in areas:
        count = len(bank.get(area.pk, []))
        if count < form.max_items:
            raise errors.FormNotReady(errors.TOO_FEW_ITEMS, area=area.code, count=count, needed=form.max_items)
    form.status = FormStatus.PUBLISHED
    form.published_at = now or timezone.now()
    form.save(update_fields=["status", "published_at"])
    return form


def version_snapshots(version_ids: list[int]) -> dict[int, dict]:
    return dict(QuestionVersion.objects.filter(pk__in=version_ids).values_list("pk", "snapshot"))
