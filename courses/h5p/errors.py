"""Errors raised by the H5P services; messages are translatable and name what was wrong."""

from __future__ import annotations


class H5PError(ValueError):
    """Base class; ``code`` is a stable machine-readable reason, ``str(err)`` the message for people."""

    code = "h5p_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code


class H5PPackageError(H5PError):
    """The uploaded package was refused; nothing was stored."""

    code = "package_invalid"


class StatementError(H5PError):
    """An xAPI statement was refused. ``status`` is the HTTP status the xAPI spec asks for."""

    def __init__(self, message, *, status: int = 400, code: str = "bad_statement"):
        super().__init__(message, code=code)
        self.status = status
