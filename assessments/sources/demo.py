"""The demo's practical assessments: a year of a digital-skills programme, recorded through the real service.

Runs after the quizzes' demo (whose simulated attempts, through the quiz services at past dates, give the
quiz evidence): the ministry's assessor (the demo trainer, with an assessor permission up to the advanced
band) observes a share of officers at work, each observation through ``manual_assessment_record`` at its
past date, so every evidence row of the demo opens to its source and has its audit entry. Then the scores
and their monthly history are computed once. Idempotent: nothing is added when assessments exist.

The picture is a ministry a year into its programme: the pilot units (the Embassy in France, the Digital
Transformation Centre) had a baseline assessment of every competency at the start and an observation
since; elsewhere most officers have a few results (one or two quizzes, perhaps an observation), IT focal
points were observed more, and nobody's record is invented: an officer nobody assessed has no evidence.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.models import Competency, Framework, ProficiencyLevel
from assessments.services.scores import scores_recompute
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


def _level_for(levels: list[ProficiencyLevel], score: float, cap_rank: int) -> ProficiencyLevel | None:
    """The level an observation at ``score`` shows on the framework's scale (at most the assessor's cap)."""
    reached = [lv for lv in levels if lv.min_score <= score and lv.rank <= cap_rank]
    return reached[-1] if reached else None


def _sessions(rng: random.Random, people, comps: dict[str, list[Competency]], now):
    """(person, moment, note, [(competency, score)]) for the year's assessment sessions."""
    practical = [c for c in comps["VN-DCF"] + comps["MOFA-DP"] if c.code in PRACTICAL[c.framework.code]]
    out = []
    for person in people:
        it = "CNTT" in (person.position or "")
        demo_learner = person.user is not None and person.user.username == "staff"
        ability = 0.45 if demo_learner else rng.uniform(0.35, 0.85 if it else 0.78)

        def result(competency, days_ago, base=ability, demo_learner=demo_learner):
            weak = demo_learner and competency.code[:2] in ("4.", "AT")  # gaps for the demo learner to close
            growth = 0.15 * (1 - days_ago / (MONTHS * 30))  # later observations reflect the training
            return round(min(1.0, max(0.0, rng.gauss((0.25 if weak else base) + growth, 0.1))), 2)

        if person.unit.code in PILOT_UNITS:
            days_ago = rng.randint(MONTHS * 30 - 40, MONTHS * 30 - 20)
            moment = now - timedelta(days=days_ago, hours=rng.randint(1, 8))
            everything = comps["VN-DCF"] + comps["MOFA-DP"]
            out.append((person, moment, BASELINE_NOTE, [(c, result(c, days_ago)) for c in everything]))
        if demo_learner or it or person.unit.code in PILOT_UNITS or rng.random() < OBSERVED_SHARE:
            days_ago = rng.randint(3, MONTHS * 30 - 60)
            moment = now - timedelta(days=days_ago, hours=rng.randint(1, 8))
            chosen = rng.sample(practical, rng.randint(3, 5) if it else rng.randint(1, 3))
            out.append((person, moment, rng.choice(NOTES), [(c, result(c, days_ago)) for c in chosen]))
    return out


def seed(stdout=None) -> None:
    assessor = get_user_model().objects.filter(username="trainer").first()
    created = 0
    if assessor is not None and not ManualAssessment.objects.exists():
        with transaction.atomic():
            created = _seed_assessments(assessor)
    report = scores_recompute(history_months=MONTHS)
    if stdout is not None:
        stdout.write(
            f"Practical assessments: {created} recorded; {report.scores_checked} scores and "
            f"{report.snapshots_written} monthly snapshots computed."
        )


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
        observations = [
            Observation(
                competency=competency,
                score=score,
                level=_level_for(levels[competency.framework.code], score, caps[competency.framework.code]),
            )
            for competency, score in results
        ]
        made += len(
            manual_assessments_record(
                actor=assessor, person=person, observations=observations, recorded_at=moment, note=note
            )
        )
    return made
