from .evidence import CompetencyScore, CompetencyScoreSnapshot, Evidence, EvidenceSource
from .frameworks import (
    Competency,
    CompetencyArea,
    CompetencyMapping,
    Framework,
    LevelIndicator,
    ProficiencyLevel,
)
from .grading import GradingMethod
from .profiles import TargetProfile, TargetRequirement, normalise_position

__all__ = [
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
