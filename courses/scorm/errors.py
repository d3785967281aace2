"""Errors raised by the SCORM services; messages are translatable and name what was wrong."""

from __future__ import annotations


class SCORMError(ValueError):
    """Base class; ``code`` is a stable machine-readable reason, ``str(err)`` the message for people."""

    code = "scorm_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code


class SCORMPackageError(SCORMError):
    """The uploaded package was refused; nothing was stored."""

    code = "package_invalid"


class CMIError(SCORMError):
    """A committed CMI value was refused; nothing of the commit was stored.

    ``scorm_code`` is the SCORM run-time error code the standard names for it (1.2: 405 incorrect
    data type; 2004: 406 type mismatch, 407 value out of range; 201 invalid argument; 101 general)."""

    code = "cmi_invalid"

    def __init__(self, message, *, scorm_code: int, element: str = "", code: str | None = None):
        super().__init__(message, code=code)
        self.scorm_code = scorm_code
        self.element = element


class CommitRefused(SCORMError):
    """A commit that cannot be accepted for a reason other than its values (stale, expired, opened elsewhere)."""

    def __init__(self, message, *, status: int = 409, code: str = "commit_refused"):
        super().__init__(message, code=code)
        self.status = status
