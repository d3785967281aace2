"""The audit trail in words: each recorded action as a sentence in the reader's language, its parameters as
labelled values (never a Python dict).

Entries keep their action code and raw parameters (the record is append-only and language-neutral); this
module turns them into text when they are shown. An action or parameter it does not know yet (a new feature
that records before it is described here) is still shown readably: its code and "label: value" pairs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lms import formatting

# What each action did, as a sentence after the actor's name ("hr closed the evaluation period …").
# %(what)s is the entry's target as recorded (a person, a period, a unit, a report).
ACTIONS: dict[str, tuple[Any, Any]] = {
    # code: (short label for the filter, sentence)
    "evaluation.open": (
        gettext_lazy("Evaluation period opened"),
        gettext_lazy("opened the evaluation period “%(what)s”"),
    ),
    "evaluation.close": (
        gettext_lazy("Evaluation period closed"),
        gettext_lazy("closed the evaluation period “%(what)s”"),
    ),
    "evaluation.reopen": (
        gettext_lazy("Evaluation period reopened"),
        gettext_lazy("reopened the evaluation period “%(what)s”"),
    ),
    "evaluation.comment": (
        gettext_lazy("Evaluation comment"),
        gettext_lazy("wrote an HR comment on the evaluation of %(what)s"),
    ),
    "placement.campaign_create": (
        gettext_lazy("Placement campaign created"),
        gettext_lazy("assigned the placement test (campaign “%(what)s”)"),
    ),
    "placement.campaign_change": (
        gettext_lazy("Placement campaign changed"),
        gettext_lazy("changed the placement campaign “%(what)s”"),
    ),
    "reports.export": (gettext_lazy("Report exported"), gettext_lazy("exported a report")),
    "reports.download": (gettext_lazy("Report downloaded"), gettext_lazy("downloaded a prepared report")),
    "competency.manual_assessment": (
        gettext_lazy("Manual assessment"),
        gettext_lazy("recorded a manual assessment (%(what)s)"),
    ),
    "accounts.staff_import": (gettext_lazy("Staff import"), gettext_lazy("imported the staff list")),
    "accounts.roles_change": (gettext_lazy("Roles changed"), gettext_lazy("changed the roles of %(what)s")),
    "accounts.hr_scope_add": (
        gettext_lazy("HR responsibility given"),
        gettext_lazy("made %(what)s responsible for a unit in HR"),
    ),
    "accounts.hr_scope_remove": (
        gettext_lazy("HR responsibility removed"),
        gettext_lazy("removed the HR responsibility of %(what)s for a unit"),
    ),
    "accounts.invite": (gettext_lazy("Invitation sent"), gettext_lazy("invited %(what)s to sign in")),
    "accounts.deactivate_by_import": (
        gettext_lazy("Leaver deactivated"),
        gettext_lazy("deactivated %(what)s (no longer in the staff list)"),
    ),
    "accounts.second_factor_reset": (
        gettext_lazy("Second factor reset"),
        gettext_lazy("reset the second factor of %(what)s"),
    ),
    "accounts.second_factor_enrol": (
        gettext_lazy("Second factor set up"),
        gettext_lazy("set up a second factor for %(what)s"),
    ),
    "accounts.second_factor_remove": (
        gettext_lazy("Second factor removed"),
        gettext_lazy("removed a second factor of %(what)s"),
    ),
    "accounts.recovery_codes_regenerate": (
        gettext_lazy("Recovery codes renewed"),
        gettext_lazy("made new recovery codes for %(what)s"),
    ),
    "accounts.sign_in_locked": (
        gettext_lazy("Sign-in locked"),
        gettext_lazy("locked signing in as %(what)s for a while after too many failed attempts"),
    ),
}

PARAMS: dict[str, Any] = {
    "name": pgettext_lazy("audit", "Name"),
    "name_en": pgettext_lazy("audit", "Name in English"),
    "starts_on": pgettext_lazy("audit", "Starts"),
    "ends_on": pgettext_lazy("audit", "Ends"),
    "thresholds": pgettext_lazy("evaluation rating", "Band thresholds"),
    "people": pgettext_lazy("audit", "People"),
    "period": pgettext_lazy("audit", "Evaluation period"),
    "length": pgettext_lazy("audit", "Length (characters)"),
    "reason": pgettext_lazy("audit", "Reason"),
    "closed_version": pgettext_lazy("audit", "Closed version"),
    "closed_at": pgettext_lazy("audit", "Closed at"),
    "report": pgettext_lazy("audit", "Report"),
    "format": pgettext_lazy("audit", "Format"),
    "filters": pgettext_lazy("audit", "Filters"),
    "background": pgettext_lazy("audit", "Prepared in the background"),
    "rows": pgettext_lazy("audit", "Rows"),
    "lang": pgettext_lazy("audit", "Language"),
    "person": pgettext_lazy("audit", "Employee number"),
    "competency": pgettext_lazy("audit", "Competency"),
    "score_percent": pgettext_lazy("audit", "Score (%)"),
    "recorded_at": pgettext_lazy("audit", "Recorded at"),
    "source_ref": pgettext_lazy("audit", "Source"),
    "note": pgettext_lazy("audit", "Note"),
    "full": pgettext_lazy("audit", "Full list"),
    "created": pgettext_lazy("audit", "Created"),
    "updated": pgettext_lazy("audit", "Updated"),
    "unchanged": pgettext_lazy("audit", "Unchanged"),
    "skipped": pgettext_lazy("audit", "Skipped"),
    "deactivated": pgettext_lazy("audit", "Deactivated"),
    "added": pgettext_lazy("audit", "Added"),
    "removed": pgettext_lazy("audit", "Removed"),
    "source": pgettext_lazy("audit", "Source"),
    "unit": pgettext_lazy("audit", "Unit"),
    "title": pgettext_lazy("audit", "Title"),
    "form": pgettext_lazy("audit", "Placement test"),
    "units": pgettext_lazy("audit", "Units"),
    "include_subunits": pgettext_lazy("audit", "Including the units below"),
    "positions": pgettext_lazy("audit", "Positions"),
    "due_date": pgettext_lazy("audit", "Due date"),
    "active": pgettext_lazy("audit", "Active"),
    "changes": pgettext_lazy("audit", "Changes"),
    "resend": pgettext_lazy("audit", "Sent again"),
    "authenticators_removed": pgettext_lazy("audit", "Authenticators removed"),
    "type": pgettext_lazy("audit", "Type"),
    "login": pgettext_lazy("audit", "Sign-in name"),
    "address": pgettext_lazy("audit", "Address"),
}

ROLES = {
    "Staff": pgettext_lazy("role", "Staff"),
    "Trainers": pgettext_lazy("role", "Trainers"),
    "HR": pgettext_lazy("role", "HR"),
    "Administrators": pgettext_lazy("role", "Administrators"),
}
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


@dataclass(frozen=True)
class AuditText:
    label: str  # the action, short (the filter, the "Action" column)
    sentence: str  # who did what to what
    details: list[tuple[str, str]]  # the parameters, labelled


def action_label(code: str) -> str:
    known = ACTIONS.get(code)
    return str(known[0]) if known else code


def _value(key: str, value: Any, periods: dict[int, str]) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "period" and isinstance(value, int):
        return periods.get(value, f"#{value}")
    if key == "lang":
        return LANGUAGES.get(value, str(value))
    if key == "format":
        return str(value).upper()
    if key == "report":
        from . import tables

        table = tables.get(str(value))
        return str(table.title) if table is not None else str(value)
    if key in ("added", "removed") and isinstance(value, list):
        return ", ".join(str(ROLES.get(v, v)) for v in value)
    if isinstance(value, int | float):
        return formatting.format_number(value)
    if isinstance(value, list):
        return ", ".join(_value(key, v, periods) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_param_label(k)}: {_value(k, v, periods)}" for k, v in value.items())
    if isinstance(value, str):
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None:
            return formatting.format_datetime(moment)
        day = parse_date(value) if len(value) == 10 else None
        if isinstance(day, dt.date):
            return formatting.format_date(day)
    return str(value)


def _param_label(key: str) -> str:
    label = PARAMS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def describe(entry, periods: dict[int, str] | None = None) -> AuditText:
    """The entry in words. ``periods``: {period id: name} for entries that name a period by its id."""
    periods = periods or {}
    known = ACTIONS.get(entry.action)
    actor = entry.actor_name if entry.actor_name != "system" else _("The system")
    if known is not None:
        label = str(known[0])
        what = str(known[1]) % {"what": entry.target_repr or "—"}
    else:
        label = entry.action
        what = entry.action + (f" ({entry.target_repr})" if entry.target_repr else "")
    details = [(_param_label(k), _value(k, v, periods)) for k, v in (entry.params or {}).items()]
    return AuditText(label=label, sentence=f"{actor} {what}.", details=details)


def period_ids(entries) -> set[int]:
    return {
        e.params["period"] for e in entries if isinstance(e.params, dict) and isinstance(e.params.get("period"), int)
    }
