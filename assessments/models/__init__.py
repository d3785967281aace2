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
from .grading import GradingMethod
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
    "GradingMethod",
    "LevelIndicator",
    "ProficiencyLevel",
    "TargetProfile",
    "TargetRequirement",
    "normalise_position",
]
