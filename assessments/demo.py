"""Demo competency data: target profiles for the demo positions and 24 months of evidence for demo staff.

Idempotent: profiles are upserted; evidence is added only once (rows with ``source_ref`` "demo:…").
Evidence goes in with one bulk insert, then a full recompute builds scores and the monthly history.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lms.models import StaffProfile

from .models import Competency, Evidence, Framework, ProficiencyLevel, TargetProfile, TargetRequirement
from .services.frameworks import frameworks_ensure
from .services.scores import scores_recompute

DESK = ["Chuyên viên", "Chuyên viên chính", "Bí thư thứ hai", "Bí thư thứ nhất"]
HEADS = ["Trưởng phòng", "Tham tán"]
IT = ["Cán bộ đầu mối CNTT"]

# code, framework, name_vi, name_en, positions, default level, {competency code: level}
PROFILES = [
    (
        "desk-officer",
        "VN-DCF",
        "Chuyên viên, cán bộ ngoại giao",
        "Desk officer",
        DESK,
        "TC1",
        {"3.4": "CB2", "4.1": "TC2", "4.2": "TC2", "2.5": "TC2", "6.1": "TC1", "6.2": "TC1", "6.3": "CB2"},
    ),
    (
        "head-of-unit",
        "VN-DCF",
        "Lãnh đạo đơn vị",
        "Head of unit",
        HEADS,
        "TC2",
        {"3.4": "CB2", "2.4": "NC1", "4.2": "NC1", "5.4": "NC1", "6.3": "TC2"},
    ),
    (
        "it-focal-point",
        "VN-DCF",
        "Cán bộ đầu mối công nghệ thông tin",
        "IT focal point",
        IT,
        "NC1",
        {"4.1": "NC2", "4.2": "NC2", "5.1": "NC2", "3.4": "TC2", "4.3": "TC1", "4.4": "TC1"},
    ),
    (
        "mofa-all-staff",
        "MOFA-DP",
        "Mọi cán bộ — nền tảng số của Bộ",
        "All staff — the Ministry's platforms",
        DESK + HEADS,
        "TC1",
        {"AT1": "TC2", "NT2": "TC2"},
    ),
    (
        "mofa-it-focal-point",
        "MOFA-DP",
        "Đầu mối CNTT — nền tảng số của Bộ",
        "IT focal point — the Ministry's platforms",
        IT,
        "NC1",
        {"AT1": "NC2", "NT4": "NC2"},
    ),
]

MONTHS = 24


def seed_profiles() -> int:
    count = 0
    for code, fw_code, name_vi, name_en, positions, default, overrides in PROFILES:
        framework = Framework.objects.current().get(code=fw_code)
        levels = {lv.code: lv for lv in ProficiencyLevel.objects.filter(framework=framework)}
        profile, _ = TargetProfile.objects.update_or_create(
            code=code,
            defaults={
                "framework": framework,
                "name_vi": name_vi,
                "name_en": name_en,
                "positions": "\n".join(positions),
            },
        )
        TargetRequirement.objects.filter(profile=profile).delete()
        TargetRequirement.objects.bulk_create(
            [
                TargetRequirement(profile=profile, competency=c, level=levels[overrides.get(c.code, default)])
                for c in Competency.objects.filter(framework=framework)
            ]
        )
        count += 1
    return count


def _evidence_rows(now) -> list[Evidence]:
    rng = random.Random(6)
    trainer = get_user_model().objects.filter(username="trainer").first()
    comps = {
        code: list(Competency.objects.filter(framework__code=code, framework__is_current=True))
        for code in ("VN-DCF", "MOFA-DP")
    }
    rows = []
    people = StaffProfile.objects.active().order_by("pk")
    for person in people:
        is_demo_learner = person.employee_number == "CB0001"
        ability = rng.uniform(0.25, 0.75) if not is_demo_learner else 0.45
        growth = rng.uniform(0.0, 0.25)
        chosen = rng.sample(comps["VN-DCF"], 24 if is_demo_learner else rng.randint(5, 12))
        chosen += rng.sample(comps["MOFA-DP"], 6 if is_demo_learner else rng.randint(1, 4))
        attempt = 0
        for comp in chosen:
            # The demo learner is still weak in safety and AI, so their page shows gaps to close.
            base = 0.18 if is_demo_learner and comp.code[:2] in ("4.", "6.", "AT") else ability
            for _ in range(rng.randint(2, 6)):
                days_ago = rng.randint(0, MONTHS * 30 - 5)
                progress = 1 - days_ago / (MONTHS * 30)  # later results reflect learning
                score = min(1.0, max(0.0, rng.gauss(base + growth * progress, 0.12)))
                source = rng.choices(["quiz", "h5p", "manual"], weights=[6, 3, 1])[0]
                attempt += 1
                rows.append(
                    Evidence(
                        person=person,
                        competency=comp,
                        score=round(score, 3),
                        weight=rng.choice([0.5, 1.0, 1.0]),
                        source=source,
                        source_ref=f"demo:{source}:{person.pk}:{attempt}",
                        self_reported=source == "h5p" and rng.random() < 0.5,
                        note="Quan sát thao tác thực tế (dữ liệu minh hoạ)" if source == "manual" else "",
                        recorded_at=now - timedelta(days=days_ago, hours=rng.randint(0, 12)),
                        recorded_by=trainer if source == "manual" else None,
                    )
                )
    return rows


def seed(stdout=None) -> None:
    with transaction.atomic():
        frameworks_ensure()
        profiles = seed_profiles()
        created = 0
        if not Evidence.objects.filter(source_ref__startswith="demo:").exists():
            created = len(Evidence.objects.bulk_create(_evidence_rows(timezone.now()), batch_size=2000))
    report = scores_recompute(history_months=MONTHS)
    if stdout is not None:
        stdout.write(
            f"Competencies: {profiles} target profiles, {created} evidence rows added, "
            f"{report.scores_checked} scores and {report.snapshots_written} monthly snapshots computed."
        )
