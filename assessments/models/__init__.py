from .evidence import CompetencyScore, CompetencyScoreSnapshot, Evidence, EvidenceSource
from .frameworks import (
    Competency,
    CompetencyArea,
    CompetencyMapping,
    Framework,
    LevelIndicator,
    ProficiencyLevel,
)
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
    "LevelIndicator",
    "ProficiencyLevel",
    "TargetProfile",
    "TargetRequirement",
    "normalise_position",
]
