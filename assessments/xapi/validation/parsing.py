"""Reading a request body into statements: strict JSON, refused early with a reason."""

from __future__ import annotations

import json
import math
from typing import Any

from .rules import XAPIError


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _has_nul(value: Any) -> bool:
    """A NUL character anywhere (PostgreSQL stores no U+0000 in text or JSON)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def parse_statements(body: bytes | str, *, max_statements: int = 50) -> list[Any]:
    """Strict JSON: NaN, Infinity, numbers beyond a double and NUL characters are refused here,
    where the sender can be told, rather than by the database later."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise XAPIError(f"the body is not valid JSON ({exc})") from exc
    if _has_nul(data):
        raise XAPIError("the body holds a NUL character (\\u0000)")
    statements = data if isinstance(data, list) else [data]
    if not statements:
        raise XAPIError("the body holds an empty list")
    if len(statements) > max_statements:
        raise XAPIError(f"at most {max_statements} statements per request")
    return statements
