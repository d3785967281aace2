"""Taking the diagnostic through the services: serving, answering, refusals, placement and evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from assessments.models import Evidence
from assessments.placement import errors
from assessments.placement.models import (
    DiagnosticSession,
    FormStatus,
    ItemParameters,
    SectionResult,
    SessionItem,
    SessionStatus,
)
from assessments.placement.services.bank import form_bank, form_publish
from assessments.placement.services.sessions import current_item, session_answer, session_start

from .conftest import make_bank


def _publish(form):
    form_publish(form=form)
    form.refresh_from_db()
    return form


def _take(session, person, answer="true", now=None):
    """Answer every item with ``answer`` until the session ends; returns the number answered."""
    n = 0
    while True:
        session.refresh_from_db()
        if not session.is_open:
            return n
        item = current_item(session)
        session_answer(session_id=session.pk, person=person, position=item.position, raw=answer, now=now)
        n += 1
        assert n < 50


def test_publish_refuses_a_short_area_and_names_it(form):
    form.max_items = 7  # each area has 2 competencies × 3 items = 6
    form.save()
    with pytest.raises(errors.FormNotReady) as exc:
        form_publish(form=form)
    with translation.override("en"):
        assert "Area 1 has 6 diagnostic items; the test form needs at least 7" in str(exc.value)
    with translation.override("vi"):
        assert "Lĩnh vực 1 có 6 câu hỏi" in str(exc.value)
    form.refresh_from_db()
    assert form.status == FormStatus.DRAFT


def test_publish_refuses_cut_scores_that_do_not_rise(form):
    form.cut_scores = {"L2": 0.5, "L3": 0.2}
    form.save()
    with pytest.raises(errors.FormNotReady):
        form_publish(form=form)


def test_unpublished_form_cannot_be_started(form, officer):
    with pytest.raises(errors.FormNotReady):
        session_start(person=officer, form=form)
    assert not DiagnosticSession.objects.exists()


def test_bank_uses_priors_from_difficulty(form):
    bank = form_bank(form)
    assert sum(len(v) for v in bank.values()) == 12
    item = next(i for items in bank.values() for i in items)
    assert item.provenance == "prior" and item.a == 1.0


def test_a_whole_session_places_every_area_and_writes_evidence(form, officer):
    form = _publish(form)
    session, created = session_start(person=officer, form=form)
    assert created
    # a second tab resumes the same session and the same current item
    again, created = session_start(person=officer, form=form)
    assert again.pk == session.pk and not created
    first = current_item(session)
    assert first.position == 1
    n = _take(session, officer, "true")
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    sections = list(SectionResult.objects.filter(session=session).select_related("level"))
    assert len(sections) == 2
    for s in sections:
        assert 2 <= s.items <= 4
        assert s.theta > 0  # everything right
    assert n == sum(s.items for s in sections)
    # content balancing: each area's first two items cover both of its competencies
    for area_id in {s.area_id for s in sections}:
        first_two = SessionItem.objects.filter(session=session, area_id=area_id).order_by("position")[:2]
        assert len({it.competency_id for it in first_two}) == 2
    evidence = list(Evidence.objects.filter(source_ref=session.source_ref))
    assert len(evidence) == 4  # one per competency
    assert all(e.source == "diagnostic" and 0 < e.weight <= 1 for e in evidence)
    # at the level placed (its band), scored by how sure the placement is
    level_of_area = {s.area_id: s for s in sections}
    for e in evidence:
        section = level_of_area[e.competency.area_id]
        assert e.observed_level_id == section.level_id and e.band == section.level.band
        assert e.score == pytest.approx(section.at_least)
        assert 0.5 <= section.at_least <= 1.0
    # every row opens to its source: the placement session
    from assessments.sources import registry

    resolved = registry.kind_of(session.source_ref).resolve(evidence[0], officer.user)
    assert resolved is not None and str(session.started_at.date()) in resolved.title
    # every served version got its parameters stored (prior) for calibration
    assert ItemParameters.objects.count() == SessionItem.objects.values("version").distinct().count()


def test_refusals_write_nothing(form, officer):
    form = _publish(form)
    session, _ = session_start(person=officer, form=form)
    item = current_item(session)
    with pytest.raises(errors.NotServed):
        session_answer(session_id=session.pk, person=officer, position=item.position + 1, raw="true")
    with pytest.raises(errors.InvalidAnswer):
        session_answer(session_id=session.pk, person=officer, position=item.position, raw=None)
    with pytest.raises(errors.InvalidAnswer):
        session_answer(session_id=session.pk, person=officer, position=item.position, raw="maybe")
    assert SessionItem.objects.filter(session=session).count() == 1
    session_answer(session_id=session.pk, person=officer, position=item.position, raw="false")
    # a replay of the same answer (another tab, a double click) is refused and changes nothing
    with pytest.raises(errors.AlreadyAnswered):
        session_answer(session_id=session.pk, person=officer, position=item.position, raw="true")
    item.refresh_from_db()
    assert item.score == 0.0
    assert SessionItem.objects.filter(session=session).count() == 2


def test_someone_elses_session_is_not_found(form, officer):
    from tests.factories import make_person

    form = _publish(form)
    session, _ = session_start(person=officer, form=form)
    other = make_person("intruder", officer.unit)
    with pytest.raises(DiagnosticSession.DoesNotExist):
        session_answer(session_id=session.pk, person=other, position=1, raw="true")


def test_finished_session_refuses_answers_and_retake_waits(form, officer):
    form = _publish(form)
    session, _ = session_start(person=officer, form=form)
    _take(session, officer)
    with pytest.raises(errors.SessionFinished):
        session_answer(session_id=session.pk, person=officer, position=1, raw="true")
    with pytest.raises(errors.RetakeTooSoon):
        session_start(person=officer, form=form)


def test_retake_supersedes_the_previous_placement(form, officer):
    form = _publish(form)
    old = timezone.now() - timedelta(days=200)
    first, _ = session_start(person=officer, form=form, now=old)
    _take(first, officer, "true", now=old)
    second, created = session_start(person=officer, form=form)
    assert created
    _take(second, officer, "false")
    first.refresh_from_db()
    assert first.superseded_at is not None
    live = Evidence.objects.live().filter(source="diagnostic")
    assert set(live.values_list("source_ref", flat=True)) == {second.source_ref}
    assert Evidence.objects.filter(source_ref=first.source_ref, superseded_at__isnull=False).count() == 4
    low = SectionResult.objects.filter(session=second).select_related("level")
    assert all(s.level.code in ("L1", "L2") and s.theta < 0 for s in low)


def test_bank_too_small_for_the_cap_stops_when_exhausted(small_framework, pool, officer):
    from assessments.placement.models import DiagnosticForm

    make_bank(small_framework, pool, per_competency=1)  # 2 items per area
    form = DiagnosticForm.objects.create(
        title_vi="x",
        title_en="x",
        framework=small_framework,
        pool=pool,
        min_items=1,
        max_items=2,
        se_target=0.05,
        stop_confidence=0.0,
    )
    form = _publish(form)
    session, _ = session_start(person=officer, form=form)
    assert _take(session, officer) == 4


def test_a_confident_band_ends_the_section_early(form, officer):
    form.stop_confidence = 0.5  # the test framework has a single band: certain from the first answers
    form.save()
    form = _publish(form)
    session, _ = session_start(person=officer, form=form)
    _take(session, officer)
    assert all(s.items == form.min_items for s in SectionResult.objects.filter(session=session))


def test_editing_a_served_item_makes_a_new_version(form, officer):
    from assessments.quizzes.services.versions import question_version_refresh

    form = _publish(form)
    session, _ = session_start(person=officer, form=form)
    served = current_item(session)
    question = served.question
    question.stem = "<p>Reworded</p>"
    question.save()
    version = question_version_refresh(question=question)
    assert version.pk != served.version_id
    served.version.refresh_from_db()
    assert "Reworded" not in served.version.snapshot["stem"]
