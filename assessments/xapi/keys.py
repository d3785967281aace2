"""What a statement is filed under, so the LRS can find it again: pure, no Django.

The Statement resource filters by agent, verb, activity and registration, "broadly" with
``related_agents`` and ``related_activities``, and follows statement references. ``index_of``
reads those out of a statement once, when it is stored; queries then compare short keys
(a 32-hex digest of the identifier), never the JSON.

Matching rules (xAPI 1.0.3, Communication 2.1.3): agents and identified groups are the same when
they use the same inverse functional identifier with the same value (whatever their objectType);
a group whose member matches counts as a match; the activity filter looks at the object only,
or, broadly, at every context activity and a sub-statement's object and context too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def ifi_of(agent: Any) -> tuple[str, str] | None:
    """``("mbox", "mailto:a@b")``, ``("account", "<homePage> <name>")``...; None without one."""
    if not isinstance(agent, dict):
        return None
    for name in IFIS:
        value = agent.get(name)
        if value is None:
            continue
        if name == "account":
            if not isinstance(value, dict):
                return None
            return name, f"{value.get('homePage', '')} {value.get('name', '')}"
        return name, str(value)
    return None


def agent_key(agent: Any) -> str | None:
    """The key of an agent or identified group; None for an anonymous group (or no IFI)."""
    ifi = ifi_of(agent)
    return _digest(f"agent {ifi[0]} {ifi[1]}") if ifi else None


def activity_key(iri: str) -> str:
    return _digest(f"activity {iri}")


def verb_key(iri: str) -> str:
    return _digest(f"verb {iri}")


def _agent_keys(actor: Any) -> set[str]:
    """The actor's own key and, for a group, its members' keys."""
    keys: set[str] = set()
    if not isinstance(actor, dict):
        return keys
    own = agent_key(actor)
    if own:
        keys.add(own)
    if actor.get("objectType") == "Group":
        for member in actor.get("member") or []:
            member_key = agent_key(member)
            if member_key:
                keys.add(member_key)
    return keys


def _context_agents(context: Any) -> set[str]:
    keys: set[str] = set()
    if not isinstance(context, dict):
        return keys
    for name in ("instructor", "team"):
        keys |= _agent_keys(context.get(name))
    for item in context.get("contextAgents") or []:  # xAPI 2.0
        if isinstance(item, dict):
            keys |= _agent_keys(item.get("agent"))
    for item in context.get("contextGroups") or []:
        if isinstance(item, dict):
            keys |= _agent_keys(item.get("group"))
    return keys


def _context_activities(context: Any) -> set[str]:
    keys: set[str] = set()
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    if not isinstance(activities, dict):
        return keys
    for items in activities.values():
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                keys.add(activity_key(item["id"]))
    return keys


def _object_kind(obj: Any) -> str:
    return obj.get("objectType", "Activity") if isinstance(obj, dict) else ""


@dataclass
class Index:
    """What one statement is filed under (the keys of the ``xapi.Statement`` row and its relations)."""

    verb_key: str = ""
    activity_key: str | None = None  # the object, when it is an activity
    object_ref: str | None = None  # the statement id the object refers to (StatementRef)
    registration: str | None = None
    agents: set[str] = field(default_factory=set)  # actor, object (and their members): the agent filter
    related_agents: set[str] = field(default_factory=set)  # every agent anywhere, these included
    related_activities: set[str] = field(default_factory=set)  # every activity anywhere, the object included


def index_of(statement: dict, authority: dict | None = None) -> Index:
    """The keys of a valid statement (and of the authority the LRS gives it)."""
    index = Index()
    verb = statement.get("verb") or {}
    index.verb_key = verb_key(verb.get("id", ""))
    obj = statement.get("object")
    kind = _object_kind(obj)
    index.agents = _agent_keys(statement.get("actor"))
    if kind == "Activity":
        index.activity_key = activity_key(obj["id"])
        index.related_activities.add(index.activity_key)
    elif kind in ("Agent", "Group"):
        index.agents |= _agent_keys(obj)
    elif kind == "StatementRef":
        index.object_ref = str(obj.get("id", "")).lower() or None
    elif kind == "SubStatement":
        index.related_agents |= _agent_keys(obj.get("actor")) | _context_agents(obj.get("context"))
        inner = obj.get("object")
        if _object_kind(inner) == "Activity":
            index.related_activities.add(activity_key(inner["id"]))
        elif _object_kind(inner) in ("Agent", "Group"):
            index.related_agents |= _agent_keys(inner)
        index.related_activities |= _context_activities(obj.get("context"))
    context = statement.get("context")
    if isinstance(context, dict) and context.get("registration"):
        index.registration = str(context["registration"]).lower()
    index.related_agents |= index.agents | _context_agents(context) | _agent_keys(authority)
    index.related_activities |= _context_activities(context)
    return index
