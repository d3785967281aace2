"""The demo's practical assessments: a year of a digital-skills programme, recorded through the real service.

Runs after the quizzes' demo (whose simulated attempts, through the quiz services at past dates, give the
quiz evidence): the ministry's assessor (the demo trainer, with an assessor permission up to the advanced
band) observes a share of officers at work, each observation through ``manual_assessment_record`` at its
past date, so every evidence row of the demo opens to its source and has its audit entry. The scores and
their monthly history are computed once, by the reports' demo, which runs after every demo that records
evidence (the placement demo comes after this one). Idempotent: nothing is added when assessments exist.

The picture is a ministry a year into its programme: the pilot units (the Embassy in France, the Digital
Transformation Centre) had a baseline assessment of every competency at the start, a review half-way and
an observation since; elsewhere most officers have a few results (one or two quizzes, perhaps an observation), IT focal
points were observed more, and nobody's record is invented: an officer nobody assessed has no evidence.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.models import Competency, Framework, ProficiencyLevel
from lms.models import StaffProfile

from .models import AssessorGrant, ManualAssessment
from .services import Observation, manual_assessments_record

MONTHS = 12
# The pilot units had a baseline assessment of every competency at the start of the programme.
PILOT_UNITS = ("DSQ-FR", "TTCDS")
# Elsewhere the assessor observed a share of officers at work during the year, a few competencies each.
OBSERVED_SHARE = 0.25
# What an assessor looks at in practice (the ministry's systems and safe, everyday digital work).
PRACTICAL = {
    "VN-DCF": ["1.1", "2.1", "2.4", "3.1", "3.4", "4.1", "4.2", "5.1"],
    "MOFA-DP": ["NT1", "NT2", "NT3", "NT4", "AT1"],
}
NOTES = [
    "Ký số và phát hành công văn đi trên hệ thống quản lý văn bản, không cần hỗ trợ.",
    "Tiếp nhận, phân loại và chuyển xử lý văn bản đến đúng quy trình.",
    "Đăng tin lên Cổng thông tin điện tử của Bộ, kiểm tra lại hiển thị trên điện thoại.",
    "Nhận diện thư giả mạo trong bài thực hành, báo cáo đầu mối CNTT đúng quy định.",
    "Khai thác dữ liệu dùng chung qua nền tảng chia sẻ dữ liệu, lưu đúng thư mục được phân quyền.",
    "Còn lúng túng khi thiết lập chữ ký số trên thiết bị mới; cần hướng dẫn thêm.",
]
BASELINE_NOTE = "Đánh giá đầu vào của chương trình chuyển đổi số (đơn vị thí điểm): quan sát thực hành từng năng lực."
REVIEW_NOTE = "Đánh giá giữa kỳ của chương trình (đơn vị thí điểm): quan sát lại thực hành từng năng lực."


def _sessions(rng: random.Random, people, comps: dict[str, list[Competency]], now):
    """(person, moment, note, [(competency, level rank observed, score)]) for the year's assessment sessions.

    An assessor names the level they saw the officer work at and how well they did at it: an officer's
    level follows their ability (and grows a little over the year), and the result at that level is
    mostly a pass (70 % and more); the demo learner is still weak in safety and AI, so their page shows gaps.
    """
    practical = [c for c in comps["VN-DCF"] + comps["MOFA-DP"] if c.code in PRACTICAL[c.framework.code]]
    everything = comps["VN-DCF"] + comps["MOFA-DP"]
    out = []
    for person in people:
        it = "CNTT" in (person.position or "")
        demo_learner = person.user is not None and person.user.username == "staff"
        ability = 0.45 if demo_learner else rng.uniform(0.3, 0.9 if it else 0.75)

        def result(competency, grown, ability=ability, demo_learner=demo_learner):
            if demo_learner and competency.code[:2] in ("4.", "AT"):
                return 1 + grown, round(min(1.0, max(0.0, rng.gauss(0.5, 0.08))), 2)
            rank = 1 + int(min(0.99, max(0.0, rng.gauss(ability, 0.08))) * 6) + grown
            return rank, round(min(1.0, max(0.0, rng.gauss(0.82, 0.08))), 2)

        def session(days_ago, competencies, note, grown=0, person=person, result=result):
            moment = now - timedelta(days=days_ago, hours=rng.randint(1, 8))
            return (person, moment, note, [(c, *result(c, grown)) for c in competencies])

        if person.unit.code in PILOT_UNITS:
            out.append(session(rng.randint(MONTHS * 30 - 40, MONTHS * 30 - 20), everything, BASELINE_NOTE))
            out.append(session(rng.randint(100, 160), everything, REVIEW_NOTE, grown=int(rng.random() < 0.4)))
        if demo_learner or it or person.unit.code in PILOT_UNITS or rng.random() < OBSERVED_SHARE:
            chosen = rng.sample(practical, rng.randint(3, 5) if it else rng.randint(1, 3))
            out.append(session(rng.randint(3, MONTHS * 30 - 60), chosen, rng.choice(NOTES)))
    return out


def seed(stdout=None) -> None:
    assessor = get_user_model().objects.filter(username="trainer").first()
    created = 0
    if assessor is not None and not ManualAssessment.objects.exists():
        with transaction.atomic():
            created = _seed_assessments(assessor)
    played = h5p_attempts_seed()
    if stdout is not None:
        stdout.write(f"Practical assessments: {created} recorded; H5P: {played} attempts played.")


# Statements captured from the H5P players (test material), replayed as the learners' browsers send them.
CAPTURED = "xapi/h5p-captured-standalone-3.8.2/{library}.statements.json"
DEMO_SITE = "http://127.0.0.1:8000/"
H5P_LEARNERS = 12


def _replay(statements: list[dict], activity_pk: int, *, wrong: bool) -> list[dict]:
    """A captured run pointed at our activity (as our player sets the object IRI); ``wrong`` flips a
    true/false answer, so the server grades it wrong whatever the statement claims."""
    import json

    text = json.dumps(statements)
    prefix = statements[0]["object"]["id"].split("?", 1)[0]
    out = json.loads(text.replace(prefix, f"{DEMO_SITE}h5p/activities/{activity_pk}/"))
    for statement in out:
        statement.pop("id", None)
        response = (statement.get("result") or {}).get("response")
        if wrong and response in ("true", "false"):
            statement["result"]["response"] = "false" if response == "true" else "true"
    return out


def h5p_attempts_seed(*, now=None) -> int:
    """Attempts at the demo's H5P activities (when it has any, and the captured statements of their
    type are in the test material): enrolled officers play them at past dates, some twice (a reload
    or a re-check), every statement through the real intake (``statement_record``), the evidence through
    the real service. Returns the number of attempts played; nothing when attempts exist."""
    import json

    from courses.h5p.models import H5PActivity, H5PAttempt
    from courses.h5p.selectors import lessons_using
    from courses.h5p.services.evidence import attempts_evidence_record
    from courses.h5p.services.statements import statement_record
    from courses.models import Enrolment
    from courses.selectors import course_of_lesson
    from lms.policy import can
    from lms.testdata import find_testdata

    root = find_testdata()
    if root is None or H5PAttempt.objects.exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(5)
    played = 0
    for activity in H5PActivity.objects.filter(competency_links__isnull=False).distinct().select_related("package"):
        path = root / CAPTURED.format(library=activity.package.main_library)
        lesson = lessons_using(activity).first()
        if not path.is_file() or lesson is None:
            continue
        captured = json.loads(path.read_text())
        course = course_of_lesson(lesson)
        enrolments = list(
            Enrolment.objects.filter(course__translation_key=course.translation_key, person__is_active=True)
            .select_related("person__user")
            .order_by("pk")
        )
        for enrolment in rng.sample(enrolments, min(H5P_LEARNERS, len(enrolments))):
            person = enrolment.person
            # Only who may play it (the lesson open to them: prerequisites, language, publication).
            if person.user is None or not can(person.user, "h5p.play", activity):
                continue
            moment = max(now - timedelta(days=rng.randint(5, 300)), enrolment.enrolled_at + timedelta(hours=1))
            for _run in range(rng.choice([1, 1, 2])):
                moment = min(moment, now - timedelta(hours=1))
                for step, statement in enumerate(_replay(captured, activity.pk, wrong=rng.random() < 0.3)):
                    statement_record(
                        user=person.user,
                        person=person,
                        statement=statement,
                        home_page=DEMO_SITE,
                        now=moment + timedelta(seconds=20 * (step + 1)),
                    )
                played += 1
                moment += timedelta(days=rng.randint(1, 20))
    pending = list(H5PAttempt.objects.filter(evidence_recorded_at__isnull=True).values_list("pk", flat=True))
    attempts_evidence_record(attempt_ids=pending)  # now, not when the queued task gets to it
    return played


def _seed_assessments(assessor) -> int:
    rng = random.Random(13)
    now = timezone.now()
    frameworks = {fw.code: fw for fw in Framework.objects.current().filter(code__in=PRACTICAL)}
    levels = {
        code: list(ProficiencyLevel.objects.filter(framework=fw).order_by("rank")) for code, fw in frameworks.items()
    }
    caps = {}
    for code, fw in frameworks.items():
        # The assessor may certify up to the top of the advanced band (the third band of four).
        cap = levels[code][max(0, (len(levels[code]) * 3) // 4 - 1)]
        AssessorGrant.objects.get_or_create(user=assessor, framework=fw, defaults={"max_level": cap})
        caps[code] = cap.rank
    comps = {
        code: list(Competency.objects.filter(framework=fw).select_related("framework").order_by("sort_order", "pk"))
        for code, fw in frameworks.items()
    }
    people = list(StaffProfile.objects.active().exclude(user=assessor).select_related("user", "unit").order_by("pk"))
    made = 0
    for person, moment, note, results in _sessions(rng, people, comps, now):
        observations = []
        for competency, rank, score in results:
            scale = levels[competency.framework.code]
            level = scale[min(rank, caps[competency.framework.code], len(scale)) - 1]
            observations.append(Observation(competency=competency, score=score, level=level))
        made += len(
            manual_assessments_record(
                actor=assessor, person=person, observations=observations, recorded_at=moment, note=note
            )
        )
    return made
