"""How the LRS returns a stored statement: pure, no Django.

``complete`` adds what the LRS sets (xAPI 1.0.3 Data 2.4.7-2.4.10): ``stored``, ``authority``,
``version`` ("1.0.0" when the sender gave none) and ``timestamp`` (the stored time when the sender
gave none). ``shaped`` applies the ``format`` parameter:

- ``exact``: the statement as received (with the properties above);
- ``ids``: agents, groups, activities and verbs reduced to what identifies them (an anonymous
  group keeps its members, each reduced);
- ``canonical``: every language map reduced to one language, the reader's first choice that the
  map holds (``Accept-Language``), else English, else the first one.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from .keys import IFIS

LANGUAGE_MAP_KEYS = frozenset({"display", "name", "description"})


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def complete(raw: dict, *, stored: datetime, authority: dict | None) -> dict:
    statement = dict(raw)
    statement["stored"] = iso(stored)
    if authority:
        statement["authority"] = authority
    statement.setdefault("version", "1.0.0")
    statement.setdefault("timestamp", statement["stored"])
    return statement


def shaped(statement: dict, fmt: str, languages: list[str]) -> dict:
    if fmt == "ids":
        return _ids_statement(statement)
    if fmt == "canonical":
        return _canonical(copy.deepcopy(statement), languages)
    return statement


# ---- ids ----


def _ids_actor(actor: Any) -> Any:
    if not isinstance(actor, dict):
        return actor
    reduced = {key: actor[key] for key in IFIS if key in actor}
    reduced["objectType"] = actor.get("objectType", "Agent")
    if reduced["objectType"] == "Group" and not any(key in actor for key in IFIS):
        reduced["member"] = [_ids_actor(member) for member in actor.get("member") or []]
    return reduced


def _ids_activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    return {"objectType": "Activity", "id": activity.get("id")}


def _ids_object(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return _ids_actor(obj)
    if kind == "SubStatement":
        return _ids_statement(obj)
    if kind == "StatementRef":
        return obj
    return _ids_activity(obj)


def _ids_context(context: Any) -> Any:
    if not isinstance(context, dict):
        return context
    reduced = dict(context)
    for key in ("instructor", "team"):
        if key in reduced:
            reduced[key] = _ids_actor(reduced[key])
    activities = reduced.get("contextActivities")
    if isinstance(activities, dict):
        reduced["contextActivities"] = {
            key: [_ids_activity(item) for item in (items if isinstance(items, list) else [items])]
            for key, items in activities.items()
        }
    return reduced


def _ids_statement(statement: dict) -> dict:
    reduced = dict(statement)
    if "actor" in reduced:
        reduced["actor"] = _ids_actor(reduced["actor"])
    if isinstance(reduced.get("verb"), dict):
        reduced["verb"] = {"id": reduced["verb"].get("id")}
    if "object" in reduced:
        reduced["object"] = _ids_object(reduced["object"])
    if "context" in reduced:
        reduced["context"] = _ids_context(reduced["context"])
    if "authority" in reduced:
        reduced["authority"] = _ids_actor(reduced["authority"])
    return reduced


# ---- canonical ----


def pick_language(language_map: dict, languages: list[str]) -> dict:
    if len(language_map) <= 1:
        return language_map
    lowered = {tag.lower(): tag for tag in language_map}
    for wanted in [*languages, "en-us", "en"]:
        wanted = wanted.lower()
        if wanted in lowered:
            return {lowered[wanted]: language_map[lowered[wanted]]}
        for low, tag in lowered.items():
            if low.split("-")[0] == wanted.split("-")[0]:
                return {tag: language_map[tag]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def _canonical(value: Any, languages: list[str]) -> Any:
    if isinstance(value, list):
        return [_canonical(item, languages) for item in value]
    if not isinstance(value, dict):
        return value
    for key, item in value.items():
        if key == "extensions":
            continue
        if key in LANGUAGE_MAP_KEYS and isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
            value[key] = pick_language(item, languages)
        else:
            value[key] = _canonical(item, languages)
    return value


def accept_languages(header: str | None) -> list[str]:
    """``Accept-Language`` as tags in order of preference (weights honoured, ``*`` dropped)."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        weighted.append((-weight, position, tag))
    return [tag for _w, _p, tag in sorted(weighted)]
