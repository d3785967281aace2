"""Demo step (run by seed_demo): the VN-DCF placement bank in Vietnamese and English, two published forms and
a few officers placed through the real services (about 60 answers each, so only a few: seed_demo stays fast).
Items start from their priors; `python manage.py calibrate_items` fits them once enough responses exist.

A ministry-wide campaign (assigned by ``hr``, due in 30 days) asks everyone to take it: a few officers are
placed, a few stopped part-way, the rest not started.

Idempotent: the bank, forms and campaign are found by title; officers who already have a session are skipped.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from assessments.models import Competency, Framework
from assessments.quizzes.models import Question, QuestionCompetency, QuestionPool
from assessments.scoring import irt
from lms import policy
from lms.models import StaffProfile

from .demo_items import ITEMS
from .errors import PlacementError
from .models import DiagnosticCampaign, DiagnosticForm, DiagnosticSession, FormStatus
from .services.bank import form_publish
from .services.sessions import current_item, session_answer, session_start

FRAMEWORK = "VN-DCF"
POOLS = {"vi": "Đánh giá xếp mức VN-DCF (tiếng Việt)", "en": "Placement test VN-DCF (English)"}
TITLES = {
    "vi": ("Đánh giá xếp mức năng lực số", "Digital skills placement (Vietnamese)"),
    "en": ("Đánh giá xếp mức năng lực số (tiếng Anh)", "Digital skills placement"),
}
# Officers placed in the demo (the first of the active staff, by employee number): part of the ministry.
PLACED = 6
# The next few have started and stopped part-way (the campaign's "in progress").
STARTED = 3
CAMPAIGN_TITLE = "Đánh giá đầu vào năng lực số 2026"
CAMPAIGN_DAYS = 30


def _bank(framework: Framework, language: str) -> QuestionPool:
    pool, _ = QuestionPool.objects.get_or_create(
        name=POOLS[language], defaults={"description": "Demo placement bank (issue 15)"}
    )
    if Question.objects.filter(pool=pool).exists():
        return pool
    competencies = {c.code: c for c in Competency.objects.filter(framework=framework)}
    for n, (code, difficulty, truth, vi, en) in enumerate(ITEMS, start=1):
        question = Question(
            title=f"Placement {code} #{n} ({language})",
            kind="true_false",
            locale=Locale.objects.get_or_create(language_code=language)[0],
            stem=f"<p>{vi if language == 'vi' else en}</p>",
            true_false_answer=truth,
            difficulty=difficulty,
            pool=pool,
        )
        question.competency_links.add(QuestionCompetency(competency=competencies[code], weight=1.0))
        question.save()
    return pool


def _form(framework: Framework, language: str, pool: QuestionPool) -> DiagnosticForm:
    title_vi, title_en = TITLES[language]
    form = DiagnosticForm.objects.filter(title_vi=title_vi, framework=framework).first()
    if form is None:
        form = DiagnosticForm.objects.create(title_vi=title_vi, title_en=title_en, framework=framework, pool=pool)
    if form.status != FormStatus.PUBLISHED:
        form = form_publish(form=form)
    return form


def _place(form: DiagnosticForm, people: list[StaffProfile], *, rng: random.Random, when) -> int:
    """Each person answers by the 2PL model at an ability drawn per area (true/false items: "true"/"false")."""
    done = 0
    for person in people:
        if DiagnosticSession.objects.filter(form=form, person=person).exists():
            continue
        ability = {}
        try:
            session, _ = session_start(person=person, form=form, now=when)
            while session.is_open:
                item = current_item(session)
                theta = ability.setdefault(item.area_id, rng.gauss(-0.3, 1.0))
                truth = bool(item.version.snapshot.get("true_false"))
                right = rng.random() < irt.p_correct(theta, item.a, item.b)
                answer = "true" if right == truth else "false"
                session = session_answer(
                    session_id=session.pk, person=person, position=item.position, raw=answer, now=when
                )
        except PlacementError:
            continue
        done += 1
    return done


def _start(form: DiagnosticForm, people: list[StaffProfile], *, rng: random.Random, when, answers: int = 3) -> int:
    """Each person starts the test and answers a few items, then leaves (the session stays in progress)."""
    started = 0
    for person in people:
        if DiagnosticSession.objects.filter(form=form, person=person).exists():
            continue
        try:
            session, _ = session_start(person=person, form=form, now=when)
            for _n in range(answers):
                item = current_item(session)
                if item is None or not session.is_open:
                    break
                answer = rng.choice(["true", "false"])
                session = session_answer(
                    session_id=session.pk, person=person, position=item.position, raw=answer, now=when
                )
        except PlacementError:
            continue
        started += 1
    return started


def _campaign(form: DiagnosticForm, *, today) -> tuple[DiagnosticCampaign | None, bool]:
    """The ministry-wide campaign, assigned by HR through the audited service (found by title: made once)."""
    from django.contrib.auth import get_user_model

    from lms.models import Unit

    from .services.campaigns import campaign_create

    found = DiagnosticCampaign.objects.filter(title=CAMPAIGN_TITLE).first()
    if found is not None:
        return found, False
    actor = get_user_model().objects.filter(username="hr").first()
    roots = list(Unit.objects.filter(depth=Unit.objects.order_by("depth").values("depth")[:1]).order_by("path"))
    if actor is None or not roots or not all(policy.can(actor, "placement.campaign", u) for u in roots):
        actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None or not roots:
        return None, False
    campaign = campaign_create(
        actor=actor,
        title=CAMPAIGN_TITLE,
        form=form,
        units=roots,
        positions=[],
        due_date=today + timedelta(days=CAMPAIGN_DAYS),
        today=today,
    )
    return campaign, True


def seed(stdout=None) -> None:
    if stdout is None:
        import io

        stdout = io.StringIO()
    framework = Framework.objects.current().filter(code=FRAMEWORK).first()
    if framework is None:
        stdout.write("Placement demo: no VN-DCF framework, skipped.")
        return
    forms = {}
    with transaction.atomic():
        for language in ("vi", "en"):
            forms[language] = _form(framework, language, _bank(framework, language))
    people = list(StaffProfile.objects.filter(is_active=True).order_by("employee_number")[:PLACED])
    rng = random.Random(15)
    when = timezone.now() - timedelta(days=7)
    placed = _place(forms["vi"], people, rng=rng, when=when)
    others = list(StaffProfile.objects.filter(is_active=True).order_by("employee_number")[PLACED : PLACED + STARTED])
    started = _start(forms["vi"], others, rng=rng, when=when)
    campaign, created = _campaign(forms["vi"], today=timezone.localdate())
    stdout.write(
        f"Placement demo: {len(ITEMS)} items per language, 2 published forms, {placed} officers placed, "
        f"{started} part-way; "
        + (f"campaign “{campaign.title}” {'created' if created else 'already there'}." if campaign else "no campaign.")
    )
