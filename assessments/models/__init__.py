from .evidence import CompetencyScore, CompetencyScoreSnapshot, Evidence, EvidenceSource
from .frameworks import (
    BAND_ORDER,
    Band,
    Competency,
    CompetencyArea,
    CompetencyMapping,
    Framework,
    LevelIndicator,
    ProficiencyLevel,
    band_for_course_level,
)
from .profiles import TargetProfile, TargetRequirement, normalise_position

__all__ = [
    "BAND_ORDER",
    "Band",
    "band_for_course_level",
    "Competency",
    "CompetencyArea",
    "CompetencyMapping",
    "CompetencyScore",
    "CompetencyScoreSnapshot",
    "Evidence",
    "EvidenceSource",
    "Framework",
    "LevelIndicator",
    "ProficiencyLevel",
    "TargetProfile",
    "TargetRequirement",
    "normalise_position",
]
