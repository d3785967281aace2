"""The boundaries of HocSo: where bytes from outside become values.

Every request body read as JSON goes through :func:`read_json` and every path and query parameter through
:mod:`lms.boundaries.params`, so a malformed input is refused once, with a reason the sender can act on, before
any code that might half-write it runs. Both raise :class:`BadInput`.
"""

from __future__ import annotations

from .errors import BadInput
from .strict_json import read_json

__all__ = ["BadInput", "read_json"]
