"""calibrate_items: fits from recorded responses, keeps items with too few, refuses constant data."""

from __future__ import annotations

import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from assessments.placement.models import DiagnosticSession, ItemParameters, SessionItem, SessionStatus
from assessments.placement.services.bank import form_bank
from assessments.scoring import irt
from tests.factories import make_person


def _simulate(form, officer_unit, *, people, truth, rng, constant=None):
    """Record sessions in which every person answered every item by the 2PL model with ``truth`` parameters."""
    bank = [item for items in form_bank(form).values() for item in items]
    now = timezone.now()
    for n in range(people):
        person = make_person(f"sim{n}", officer_unit, second_factor=False)
        theta = rng.gauss(0, 1)
        session = DiagnosticSession.objects.create(
            form=form, person=person, seed=n, started_at=now, completed_at=now, status=SessionStatus.COMPLETED
        )
        rows = []
        for pos, item in enumerate(bank, start=1):
            a, b = truth[item.question_id]
            score = constant if constant is not None else float(rng.random() < irt.p_correct(theta, a, b))
            rows.append(
                SessionItem(
                    session=session,
                    position=pos,
                    area_id=item.area_id,
                    competency_id=item.competency_id,
                    question_id=item.question_id,
                    version_id=item.version_id,
                    a=item.a,
                    b=item.b,
                    served_at=now,
                    answered_at=now,
                    response=True,
                    score=score,
                )
            )
        SessionItem.objects.bulk_create(rows)
    return bank


def test_calibration_recovers_generating_difficulties(form, officer):
    rng = random.Random(4)
    truth = {q.pk: (rng.uniform(0.8, 2.0), rng.uniform(-1.5, 1.5)) for q in form.pool.questions.all()}
    bank = _simulate(form, officer.unit, people=300, truth=truth, rng=rng)
    call_command("calibrate_items", "--framework", "T-DIAG", "--min-responses", "100")
    params = {p.version_id: p for p in ItemParameters.objects.all()}
    fitted = [params[i.version_id].b for i in bank]
    true_b = [truth[i.question_id][1] for i in bank]
    mean_f, mean_t = sum(fitted) / len(fitted), sum(true_b) / len(true_b)
    cov = sum((f - mean_f) * (t - mean_t) for f, t in zip(fitted, true_b, strict=True))
    var_f = sum((f - mean_f) ** 2 for f in fitted)
    var_t = sum((t - mean_t) ** 2 for t in true_b)
    assert cov / (var_f * var_t) ** 0.5 > 0.9
    p = params[bank[0].version_id]
    assert p.provenance == "calibrated" and p.response_count == 300 and p.fitted_at is not None
    assert p.infit is not None and p.outfit is not None


def test_items_with_too_few_responses_never_move(form, officer):
    rng = random.Random(5)
    truth = {q.pk: (1.0, 0.0) for q in form.pool.questions.all()}
    _simulate(form, officer.unit, people=20, truth=truth, rng=rng)
    with translation.override("en"), pytest.raises(CommandError, match="at least 50 responses"):
        call_command("calibrate_items", "--min-responses", "50")
    assert not ItemParameters.objects.filter(provenance="calibrated").exists()


def test_constant_responses_are_refused_with_a_message(form, officer):
    rng = random.Random(6)
    truth = {q.pk: (1.0, 0.0) for q in form.pool.questions.all()}
    _simulate(form, officer.unit, people=12, truth=truth, rng=rng, constant=1.0)
    with translation.override("en"), pytest.raises(CommandError, match="all right or all wrong"):
        call_command("calibrate_items", "--min-responses", "10")
    assert not ItemParameters.objects.filter(provenance="calibrated").exists()
