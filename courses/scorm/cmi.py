"""Checking a CMI commit from the player, for SCORM 1.2 and SCORM 2004: pure, no ORM, no clock.

The player (scorm-again) sends the learner's CMI data model flattened
(``{"cmi.core.lesson_status": "passed", ...}``). scorm-again already refuses bad values in the
browser, but the browser is not trusted: ``cmi_check(version, values)`` checks again every
element we keep and returns a version-neutral ``CMIState``, or raises ``CMIError`` carrying the
SCORM error code the standard gives for the first bad value (SCORM 1.2: 405 "incorrect data
type", used by 1.2 for out-of-range values too; SCORM 2004: 406 "type mismatch", 407 "value out
of range"). The caller then stores nothing of the commit.

Elements the server owns (learner id and name, credit, mode, entry, total time, launch data,
mastery score) are ignored when sent: the server sets them at launch and computes the total time
itself (the total before this session plus this session's time).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import CMIError

V12 = "1.2"
V2004 = "2004"

MAX_KEYS = 3000
MAX_EXTRA_VALUE = 4096
MAX_EXTRA_TOTAL = 256 * 1024
MAX_SESSION_SECONDS = 9999 * 3600

COMPLETION_VALUES = frozenset({"completed", "incomplete", "not attempted", "unknown"})
SUCCESS_VALUES = frozenset({"passed", "failed", "unknown"})
LESSON_STATUS_12 = frozenset({"passed", "completed", "failed", "incomplete", "browsed", "not attempted"})
EXIT_12 = frozenset({"", "time-out", "suspend", "logout"})
EXIT_2004 = frozenset({"", "timeout", "suspend", "logout", "normal"})

DECIMAL_RE = re.compile(r"^-?\d{0,10}(\.\d{0,18})?$")
TIMESPAN_12_RE = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
DURATION_RE = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)
# The parts of the data model kept as they came (bounded), for the record and for resume.
EXTRA_PREFIXES = ("cmi.interactions.", "cmi.objectives.", "cmi.comments", "cmi.student_preference.")
EXTRA_PREFIXES_2004 = ("cmi.interactions.", "cmi.objectives.", "cmi.comments_from_learner.", "cmi.learner_preference.")


@dataclass
class CMIState:
    """What one commit says, in the same terms for both versions."""

    location: str = ""
    suspend_data: str = ""
    completion_status: str = "unknown"
    success_status: str = "unknown"
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    progress_measure: float | None = None
    session_seconds: float | None = None
    exit: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _type_code(version: str) -> int:
    return 405 if version == V12 else 406


def _range_code(version: str) -> int:
    return 405 if version == V12 else 407


def _type_error(version: str, element: str, value) -> CMIError:
    return CMIError(
        _("%(element)s: %(value)r is not of the type SCORM requires.") % {"element": element, "value": str(value)[:60]},
        scorm_code=_type_code(version),
        element=element,
    )


def _range_error(version: str, element: str, value) -> CMIError:
    return CMIError(
        _("%(element)s: %(value)r is out of range.") % {"element": element, "value": str(value)[:60]},
        scorm_code=_range_code(version),
        element=element,
    )


def _text(version: str, element: str, value, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _type_error(version, element, value)
    text = str(value)
    if len(text) > limit:
        raise _range_error(version, element, f"{text[:20]}… ({len(text)})")
    return text


def _vocab(version: str, element: str, value, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _type_error(version, element, value)
    return value


def _decimal(version: str, element: str, value, low: float | None = None, high: float | None = None) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _type_error(version, element, value)
    text = str(value).strip()
    if not DECIMAL_RE.match(text) or text in ("", "-", ".", "-."):
        raise _type_error(version, element, value)
    try:
        number = float(Decimal(text))
    except (InvalidOperation, ValueError):
        raise _type_error(version, element, value) from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise _range_error(version, element, value)
    return number


def timespan_seconds(version: str, element: str, value) -> float | None:
    """Seconds in a SCORM 1.2 timespan (``HHHH:MM:SS.SS``) or a 2004 ISO 8601 duration."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _type_error(version, element, value)
    if version == V12:
        match = TIMESPAN_12_RE.match(value)
        if not match:
            raise _type_error(version, element, value)
        hours, minutes, seconds, fraction = match.groups()
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds) + float(fraction or 0)
    else:
        match = DURATION_RE.match(value)
        if not match or value in ("P", "PT") or value.endswith("T"):
            raise _type_error(version, element, value)
        years, months, weeks, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
        total = ((years * 365 + months * 30 + weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds
    # A session cannot last longer than SCORM 1.2's timespan can write (9,999 hours); an absurd or infinite
    # duration ("PT" and 400 nines) would otherwise be added to the total time and break every later display.
    if not math.isfinite(total) or total > MAX_SESSION_SECONDS:
        raise _range_error(version, element, value[:40])
    return total


def format_timespan(version: str, seconds: float) -> str:
    """``seconds`` as SCORM 1.2 ``HHHH:MM:SS.SS`` or a 2004 duration ``PT#H#M#S``."""
    seconds = float(seconds)
    seconds = max(0.0, round(seconds, 2)) if math.isfinite(seconds) else 0.0
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac = round(seconds - whole, 2)
    if version == V12:
        return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}" + (f".{int(round(frac * 100)):02d}" if frac else "")
    sec_text = f"{secs + frac:.2f}".rstrip("0").rstrip(".")
    return f"PT{hours}H{minutes}M{sec_text}S"


def _extra(version: str, values: dict, prefixes: tuple[str, ...]) -> dict[str, str]:
    kept: dict[str, str] = {}
    total = 0
    for key, value in values.items():
        if not key.startswith(prefixes) or key.endswith("._count") or key.endswith("._children"):
            continue
        text = _text(version, key, value, MAX_EXTRA_VALUE)
        total += len(key) + len(text)
        if total > MAX_EXTRA_TOTAL:
            raise CMIError(
                _("The interactions and objectives sent are too large."), scorm_code=_range_code(version), element=key
            )
        kept[key] = text
    return kept


def _scaled_from_raw(raw: float | None, low: float | None, high: float | None) -> float | None:
    if raw is None:
        return None
    low = 0.0 if low is None else low
    high = 100.0 if high is None else high
    if high <= low:
        return None
    return max(0.0, min(1.0, (raw - low) / (high - low)))


def cmi_check(version: str, values, *, mastery_score: float | None = None) -> CMIState:
    """Check a flattened CMI commit; see the module docstring. ``mastery_score`` (SCORM 1.2,
    from the manifest) turns a "completed" SCO with a raw score into passed or failed."""
    if version not in (V12, V2004):
        raise ValueError(f"unknown SCORM version {version!r}")
    if not isinstance(values, dict) or len(values) > MAX_KEYS or not all(isinstance(k, str) for k in values):
        raise CMIError(_("The CMI data must be an object of element names and values."), scorm_code=201)
    if version == V12:
        return _check_12(values, mastery_score)
    return _check_2004(values)


def _check_12(values: dict, mastery_score: float | None) -> CMIState:
    v = V12
    state = CMIState()
    state.location = _text(v, "cmi.core.lesson_location", values.get("cmi.core.lesson_location"), 255)
    state.suspend_data = _text(v, "cmi.suspend_data", values.get("cmi.suspend_data"), 4096)
    status = values.get("cmi.core.lesson_status")
    status = _vocab(v, "cmi.core.lesson_status", status, LESSON_STATUS_12) if status not in (None, "") else ""
    state.score_raw = _decimal(v, "cmi.core.score.raw", values.get("cmi.core.score.raw"), 0, 100)
    state.score_min = _decimal(v, "cmi.core.score.min", values.get("cmi.core.score.min"), 0, 100)
    state.score_max = _decimal(v, "cmi.core.score.max", values.get("cmi.core.score.max"), 0, 100)
    state.session_seconds = timespan_seconds(v, "cmi.core.session_time", values.get("cmi.core.session_time"))
    exit_value = values.get("cmi.core.exit")
    state.exit = _vocab(v, "cmi.core.exit", exit_value, EXIT_12) if exit_value is not None else ""
    state.score_scaled = _scaled_from_raw(state.score_raw, state.score_min, state.score_max)
    if status == "completed" and mastery_score is not None and state.score_raw is not None:
        status = "passed" if state.score_raw >= mastery_score else "failed"
    # The 1.2 lesson status folds completion and success into one value (as scorm-again reads it).
    state.completion_status = {
        "passed": "completed",
        "completed": "completed",
        "failed": "incomplete",
        "incomplete": "incomplete",
        "browsed": "incomplete",
        "not attempted": "not attempted",
        "": "unknown",
    }[status]
    state.success_status = {"passed": "passed", "failed": "failed"}.get(status, "unknown")
    state.extra = _extra(v, values, EXTRA_PREFIXES)
    return state


def _check_2004(values: dict) -> CMIState:
    v = V2004
    state = CMIState()
    state.location = _text(v, "cmi.location", values.get("cmi.location"), 1000)
    state.suspend_data = _text(v, "cmi.suspend_data", values.get("cmi.suspend_data"), 64000)
    completion = values.get("cmi.completion_status")
    if completion not in (None, ""):
        state.completion_status = _vocab(v, "cmi.completion_status", completion, COMPLETION_VALUES)
    success = values.get("cmi.success_status")
    if success not in (None, ""):
        state.success_status = _vocab(v, "cmi.success_status", success, SUCCESS_VALUES)
    state.score_scaled = _decimal(v, "cmi.score.scaled", values.get("cmi.score.scaled"), -1, 1)
    state.score_raw = _decimal(v, "cmi.score.raw", values.get("cmi.score.raw"))
    state.score_min = _decimal(v, "cmi.score.min", values.get("cmi.score.min"))
    state.score_max = _decimal(v, "cmi.score.max", values.get("cmi.score.max"))
    state.progress_measure = _decimal(v, "cmi.progress_measure", values.get("cmi.progress_measure"), 0, 1)
    state.session_seconds = timespan_seconds(v, "cmi.session_time", values.get("cmi.session_time"))
    exit_value = values.get("cmi.exit")
    state.exit = _vocab(v, "cmi.exit", exit_value, EXIT_2004) if exit_value is not None else ""
    if state.score_scaled is None and state.score_raw is not None and state.score_max is not None:
        state.score_scaled = _scaled_from_raw(state.score_raw, state.score_min, state.score_max)
    state.extra = _extra(v, values, EXTRA_PREFIXES_2004)
    return state
