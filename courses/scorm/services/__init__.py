from .imports import scorm_activity_create, scorm_activity_import, scorm_package_import
from .runtime import scorm_commit, scorm_launch

__all__ = ["scorm_activity_create", "scorm_activity_import", "scorm_commit", "scorm_launch", "scorm_package_import"]
