"""Reading a request body into statements: strict JSON, refused early with a reason."""

from __future__ import annotations

from typing import Any

from lms.boundaries import BadInput, read_json

from .rules import XAPIError


def parse_statements(body: bytes | str, *, max_statements: int = 50) -> list[Any]:
    """Strict JSON: NaN, Infinity, numbers beyond a double and NUL characters are refused here,
    where the sender can be told, rather than by the database later."""
    try:
        data = read_json(body)  # lms.boundaries: depth, surrogates, NUL, number range, all refused here
    except BadInput as exc:
        raise XAPIError(exc.message) from exc
    statements = data if isinstance(data, list) else [data]
    if not statements:
        raise XAPIError("the body holds an empty list")
    if len(statements) > max_statements:
        raise XAPIError(f"at most {max_statements} statements per request")
    return statements
