"""The Activities resource's canonical definitions, kept from the statements that arrive.

The LRS keeps, per activity IRI, the definition last received, with language maps merged
language by language (xAPI 1.0.3 Data 2.4.4.1: the LRS may consider its definition canonical).
Per batch: one read, at most one insert and one update, whatever the number of activities.
"""

from __future__ import annotations

from datetime import datetime

from ..keys import activity_key
from ..models import ActivityDefinition

LANGUAGE_MAPS = ("name", "description")


def _activities_in(statement: dict):
    obj = statement.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            yield obj
        elif kind == "SubStatement":
            yield from _activities_in(obj)
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    if isinstance(activities, dict):
        for items in activities.values():
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict):
                    yield item


def merged(old: dict, new: dict) -> dict:
    result = {**old, **new}
    for key in LANGUAGE_MAPS:
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            result[key] = {**old[key], **new[key]}
    return result


def activity_definitions_merge(statements: list[dict], *, now: datetime) -> None:
    incoming: dict[str, tuple[str, dict]] = {}
    for statement in statements:
        for activity in _activities_in(statement):
            definition = activity.get("definition")
            iri = activity.get("id")
            if not isinstance(iri, str) or not isinstance(definition, dict) or not definition:
                continue
            key = activity_key(iri)
            previous = incoming.get(key, (iri, {}))[1]
            incoming[key] = (iri, merged(previous, definition))
    if not incoming:
        return
    existing = {row.activity_key: row for row in ActivityDefinition.objects.filter(activity_key__in=list(incoming))}
    new_rows, changed = [], []
    for key, (iri, definition) in incoming.items():
        row = existing.get(key)
        if row is None:
            new_rows.append(ActivityDefinition(activity_key=key, iri=iri, definition=definition, updated=now))
        else:
            combined = merged(row.definition or {}, definition)
            if combined != row.definition:
                row.definition, row.updated = combined, now
                changed.append(row)
    if new_rows:
        ActivityDefinition.objects.bulk_create(new_rows, ignore_conflicts=True)
    if changed:
        ActivityDefinition.objects.bulk_update(changed, ["definition", "updated"])
