"""One strict JSON reader for every request body (xAPI intake, H5P resume state, the API, quiz answers).

Python's ``json`` accepts more than a database or the code behind it can take: nesting deep enough to exhaust
the recursion limit of whatever walks the value next, lone UTF-16 surrogates (``"\\ud800"``) that cannot be
encoded as UTF-8, NUL characters that PostgreSQL refuses in text, ``NaN``/``Infinity``, and integers of any
length. Each is refused here with a translated reason, before the value reaches anything that writes.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.utils.translation import gettext as _

from .errors import BadInput

DEFAULT_MAX_DEPTH = 32
MAX_INT = 2**63 - 1  # what a bigint column, PostgreSQL's jsonb arithmetic and most JSON readers agree on
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted without recursion (strings skipped)."""
    deepest = depth = 0
    for match in _BRACKETS.finditer(_STRINGS.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _constant(name: str):
    raise BadInput(_("%(value)s is not a JSON number.") % {"value": name})


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadInput(_("The number %(value)s is out of range.") % {"value": text[:40]})
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(int(text)) > MAX_INT:
        raise BadInput(
            _("The number %(value)s is out of range.") % {"value": text[:40] + ("…" if len(text) > 40 else "")}
        )
    return int(text)


def _check_strings(value: Any) -> None:
    """Every key and string value, walked without recursion: no NUL, no lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _FORBIDDEN.search(item)
            if found is not None:
                if found.group() == "\x00":
                    raise BadInput(_("The text holds a NUL character (\\u0000)."))
                raise BadInput(
                    _("The text holds a lone UTF-16 surrogate (\\u%(code)04x).") % {"code": ord(found.group())}
                )
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def read_json(body: bytes | str, *, max_bytes: int | None = None, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """The value of ``body``, or :class:`BadInput` saying why it is refused (size, encoding, syntax,
    nesting deeper than ``max_depth``, a number out of range, a NUL or a lone surrogate)."""
    size = len(body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body)
    if max_bytes is not None and size > max_bytes:
        raise BadInput(_("The request is larger than %(limit)d bytes.") % {"limit": max_bytes}, status=413)
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(_("The body is not UTF-8 text (byte %(offset)d).") % {"offset": exc.start}) from exc
    else:
        text = body
    if text.startswith("\ufeff"):
        text = text[1:]
    if _depth(text) > max_depth:
        raise BadInput(_("The JSON is nested more than %(limit)d deep.") % {"limit": max_depth})
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except BadInput:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise BadInput(_("The body is not valid JSON (%(reason)s).") % {"reason": exc}) from exc
    _check_strings(value)
    return value
