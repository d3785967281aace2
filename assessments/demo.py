"""Demo competency data: the frameworks and the target profiles of the demo positions. Idempotent.

There is no invented evidence: the demo's evidence comes from its simulated activity, recorded through
the real services at past dates (quiz attempts in ``assessments.quizzes.demo``, practical assessments in
``assessments.sources.demo``, which also computes the scores and their monthly history).
"""

from __future__ import annotations

from django.db import transaction

from .models import Competency, Framework, ProficiencyLevel, TargetProfile, TargetRequirement
from .services.frameworks import frameworks_ensure

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


def seed(stdout=None) -> None:
    with transaction.atomic():
        frameworks_ensure()
        profiles = seed_profiles()
    if stdout is not None:
        stdout.write(f"Competencies: {profiles} target profiles.")
