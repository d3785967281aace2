"""xAPI 1.0.3 statement validation: pure, no Django.

``validate_statement(obj)`` returns a list of ``Problem(path, message)``; empty means valid.
It follows the Data chapter of the xAPI 1.0.3 specification (statement properties, agents and
groups with exactly one inverse functional identifier, verbs, activities and interaction
definitions, statement references and sub-statements, results and scores, contexts, language
maps, IRIs, UUIDs, timestamps, durations, attachments). ``parse_statements(body)`` parses a
request body into a list of statements, raising ``XAPIError`` for malformed JSON.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

VERSION_RE = re.compile(r"^1\.0(\.\d+)?$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
MAILTO_RE = re.compile(r"^mailto:[^@\s]+@[^@\s]+$", re.IGNORECASE)
SHA1_RE = re.compile(r"^[0-9a-f]{40}$", re.IGNORECASE)
LANG_RE = re.compile(r"^(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*|[xX](?:-[A-Za-z0-9]{1,8})+)$")
DURATION_RE = re.compile(
    r"^P(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$"
)
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
INTERACTION_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

STATEMENT_KEYS = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"}
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class XAPIError(ValueError):
    """A request body that is not a statement (or a list of them) at all."""


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


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # ---- primitives ----

    def obj(self, value: Any, path: str) -> bool:
        if not isinstance(value, dict):
            self.fail(path, "must be a JSON object")
            return False
        return True

    def keys(self, value: dict, allowed: frozenset[str] | set[str], path: str) -> None:
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}", "is not an allowed property here")

    def iri(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not IRI_RE.match(value):
            self.fail(path, "must be an absolute IRI")

    def uuid(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not UUID_RE.match(value):
            self.fail(path, "must be a UUID")

    def string(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self.fail(path, "must be a string")

    def boolean(self, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            self.fail(path, "must be true or false")

    def number(self, value: Any, path: str) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "must be a number")
            return False
        return True

    def language_map(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        for tag, text in value.items():
            if not LANG_RE.match(tag):
                self.fail(f"{path}.{tag}", "is not an RFC 5646 language tag")
            if not isinstance(text, str):
                self.fail(f"{path}.{tag}", "must be a string")

    def extensions(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        for key in value:
            if not IRI_RE.match(key):
                self.fail(f"{path}.{key}", "extension keys must be IRIs")

    def timestamp(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not TIMESTAMP_RE.match(value):
            self.fail(path, "must be an ISO 8601 timestamp")
            return
        try:
            datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        except ValueError:
            self.fail(path, "is not a real date and time")

    # ---- actors ----

    def ifis(self, value: dict, path: str) -> int:
        count = 0
        if "mbox" in value:
            count += 1
            if not isinstance(value["mbox"], str) or not MAILTO_RE.match(value["mbox"]):
                self.fail(f"{path}.mbox", "must be a mailto: IRI")
        if "mbox_sha1sum" in value:
            count += 1
            if not isinstance(value["mbox_sha1sum"], str) or not SHA1_RE.match(value["mbox_sha1sum"]):
                self.fail(f"{path}.mbox_sha1sum", "must be a hex SHA-1")
        if "openid" in value:
            count += 1
            self.iri(value["openid"], f"{path}.openid")
        if "account" in value:
            count += 1
            account = value["account"]
            if self.obj(account, f"{path}.account"):
                self.keys(account, {"homePage", "name"}, f"{path}.account")
                if "homePage" not in account:
                    self.fail(f"{path}.account.homePage", "is required")
                else:
                    self.iri(account["homePage"], f"{path}.account.homePage")
                if "name" not in account:
                    self.fail(f"{path}.account.name", "is required")
                else:
                    self.string(account["name"], f"{path}.account.name")
        return count

    def agent(self, value: Any, path: str, *, object_type_required: bool = False) -> None:
        if not self.obj(value, path):
            return
        self.keys(value, {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}, path)
        if object_type_required and value.get("objectType") != "Agent":
            self.fail(f"{path}.objectType", 'must be "Agent"')
        elif "objectType" in value and value["objectType"] != "Agent":
            self.fail(f"{path}.objectType", 'must be "Agent"')
        if "name" in value:
            self.string(value["name"], f"{path}.name")
        if self.ifis(value, path) != 1:
            self.fail(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")

    def group(self, value: dict, path: str) -> None:
        self.keys(value, {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"}, path)
        if "name" in value:
            self.string(value["name"], f"{path}.name")
        count = self.ifis(value, path)
        if count > 1:
            self.fail(path, "a Group has at most one inverse functional identifier")
        members = value.get("member")
        if count == 0 and not (isinstance(members, list) and members):
            self.fail(f"{path}.member", "an anonymous Group needs a non-empty member list")
        if members is not None:
            if not isinstance(members, list):
                self.fail(f"{path}.member", "must be a list of Agents")
            else:
                for i, member in enumerate(members):
                    self.agent(member, f"{path}.member[{i}]")

    def actor(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        if value.get("objectType") == "Group":
            self.group(value, path)
        else:
            self.agent(value, path)

    # ---- verb, object ----

    def verb(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        self.keys(value, {"id", "display"}, path)
        if "id" not in value:
            self.fail(f"{path}.id", "is required")
        else:
            self.iri(value["id"], f"{path}.id")
        if "display" in value:
            self.language_map(value["display"], f"{path}.display")

    def interaction_components(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return
        ids: set[str] = set()
        for i, component in enumerate(value):
            where = f"{path}[{i}]"
            if not self.obj(component, where):
                continue
            self.keys(component, {"id", "description"}, where)
            cid = component.get("id")
            if not isinstance(cid, str) or not cid:
                self.fail(f"{where}.id", "is required and must be a string")
            elif cid in ids:
                self.fail(f"{where}.id", "is not unique")
            else:
                ids.add(cid)
            if "description" in component:
                self.language_map(component["description"], f"{where}.description")

    def definition(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        allowed = {
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            *INTERACTION_COMPONENT_LISTS,
        }
        self.keys(value, allowed, path)
        for key in ("name", "description"):
            if key in value:
                self.language_map(value[key], f"{path}.{key}")
        for key in ("type", "moreInfo"):
            if key in value:
                self.iri(value[key], f"{path}.{key}")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{path}.extensions")
        itype = value.get("interactionType")
        if itype is not None and (not isinstance(itype, str) or itype not in INTERACTION_TYPES):
            self.fail(f"{path}.interactionType", "is not an xAPI interaction type")
        if "correctResponsesPattern" in value:
            pattern = value["correctResponsesPattern"]
            if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
                self.fail(f"{path}.correctResponsesPattern", "must be a list of strings")
        for key in INTERACTION_COMPONENT_LISTS:
            if key in value:
                if itype is None:
                    self.fail(f"{path}.{key}", "needs an interactionType")
                self.interaction_components(value[key], f"{path}.{key}")

    def activity(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        self.keys(value, {"objectType", "id", "definition"}, path)
        if "objectType" in value and value["objectType"] != "Activity":
            self.fail(f"{path}.objectType", 'must be "Activity"')
        if "id" not in value:
            self.fail(f"{path}.id", "is required")
        else:
            self.iri(value["id"], f"{path}.id")
        if "definition" in value:
            self.definition(value["definition"], f"{path}.definition")

    def statement_ref(self, value: dict, path: str) -> None:
        self.keys(value, {"objectType", "id"}, path)
        if "id" not in value:
            self.fail(f"{path}.id", "is required")
        else:
            self.uuid(value["id"], f"{path}.id")

    def object(self, value: Any, path: str, *, in_substatement: bool = False) -> None:
        if not self.obj(value, path):
            return
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(value, path)
        elif kind == "Agent":
            self.agent(value, path)
        elif kind == "Group":
            self.group(value, path)
        elif kind == "StatementRef":
            self.statement_ref(value, path)
        elif kind == "SubStatement":
            if in_substatement:
                self.fail(path, "a SubStatement cannot contain another SubStatement")
            else:
                self.substatement(value, path)
        else:
            self.fail(f"{path}.objectType", "is not a known object type")

    # ---- result, context, attachments ----

    def result(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        self.keys(value, {"score", "success", "completion", "response", "duration", "extensions"}, path)
        if "score" in value:
            self.score(value["score"], f"{path}.score")
        for key in ("success", "completion"):
            if key in value:
                self.boolean(value[key], f"{path}.{key}")
        if "response" in value:
            self.string(value["response"], f"{path}.response")
        if "duration" in value and (not isinstance(value["duration"], str) or not DURATION_RE.match(value["duration"])):
            self.fail(f"{path}.duration", "must be an ISO 8601 duration")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{path}.extensions")

    def score(self, value: Any, path: str) -> None:
        if not self.obj(value, path):
            return
        self.keys(value, {"scaled", "raw", "min", "max"}, path)
        nums = {key: value[key] for key in ("scaled", "raw", "min", "max") if key in value}
        ok = {key: self.number(v, f"{path}.{key}") for key, v in nums.items()}
        if ok.get("scaled") and not -1 <= nums["scaled"] <= 1:
            self.fail(f"{path}.scaled", "must be between -1 and 1")
        low, high, raw = nums.get("min"), nums.get("max"), nums.get("raw")
        if ok.get("min") and ok.get("max") and low >= high:
            self.fail(f"{path}.max", "must be greater than min")
        if ok.get("raw") and ok.get("min") and raw < low:
            self.fail(f"{path}.raw", "must not be below min")
        if ok.get("raw") and ok.get("max") and raw > high:
            self.fail(f"{path}.raw", "must not be above max")

    def context(self, value: Any, path: str, statement_object: Any) -> None:
        if not self.obj(value, path):
            return
        allowed = {
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        }
        self.keys(value, allowed, path)
        if "registration" in value:
            self.uuid(value["registration"], f"{path}.registration")
        if "instructor" in value:
            self.actor(value["instructor"], f"{path}.instructor")
        if "team" in value:
            team = value["team"]
            if not isinstance(team, dict) or team.get("objectType") != "Group":
                self.fail(f"{path}.team", "must be a Group")
            else:
                self.group(team, f"{path}.team")
        is_activity = (
            isinstance(statement_object, dict) and statement_object.get("objectType", "Activity") == "Activity"
        )
        for key in ("revision", "platform"):
            if key in value:
                self.string(value[key], f"{path}.{key}")
                if not is_activity:
                    self.fail(f"{path}.{key}", "is only allowed when the object is an Activity")
        if "language" in value and (not isinstance(value["language"], str) or not LANG_RE.match(value["language"])):
            self.fail(f"{path}.language", "is not an RFC 5646 language tag")
        if "statement" in value:
            ref = value["statement"]
            if not isinstance(ref, dict) or ref.get("objectType") != "StatementRef":
                self.fail(f"{path}.statement", "must be a StatementRef")
            else:
                self.statement_ref(ref, f"{path}.statement")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{path}.extensions")
        if "contextActivities" in value:
            activities = value["contextActivities"]
            where = f"{path}.contextActivities"
            if self.obj(activities, where):
                self.keys(activities, {"parent", "grouping", "category", "other"}, where)
                for key, items in activities.items():
                    listed = items if isinstance(items, list) else [items]
                    for i, item in enumerate(listed):
                        self.activity(item, f"{where}.{key}[{i}]")

    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            if not self.obj(item, where):
                continue
            self.keys(item, {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}, where)
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in item:
                    self.fail(f"{where}.{key}", "is required")
            if "usageType" in item:
                self.iri(item["usageType"], f"{where}.usageType")
            for key in ("display", "description"):
                if key in item:
                    self.language_map(item[key], f"{where}.{key}")
            if "length" in item and (isinstance(item["length"], bool) or not isinstance(item["length"], int)):
                self.fail(f"{where}.length", "must be an integer")
            for key in ("contentType", "sha2"):
                if key in item:
                    self.string(item[key], f"{where}.{key}")
            if "fileUrl" in item:
                self.iri(item["fileUrl"], f"{where}.fileUrl")

    # ---- statements ----

    def common(self, value: dict, path: str) -> None:
        for key in ("actor", "verb", "object"):
            if key not in value:
                self.fail(f"{path}.{key}", "is required")
        if "actor" in value:
            self.actor(value["actor"], f"{path}.actor")
        if "verb" in value:
            self.verb(value["verb"], f"{path}.verb")
        if "result" in value:
            self.result(value["result"], f"{path}.result")
        if "context" in value:
            self.context(value["context"], f"{path}.context", value.get("object"))
        if "timestamp" in value:
            self.timestamp(value["timestamp"], f"{path}.timestamp")
        if "attachments" in value:
            self.attachments(value["attachments"], f"{path}.attachments")

    def substatement(self, value: dict, path: str) -> None:
        self.keys(value, SUBSTATEMENT_KEYS, path)
        self.common(value, path)
        if "object" in value:
            self.object(value["object"], f"{path}.object", in_substatement=True)

    def statement(self, value: Any, path: str = "$") -> None:
        if not self.obj(value, path):
            return
        self.keys(value, STATEMENT_KEYS, path)
        if "id" in value:
            self.uuid(value["id"], f"{path}.id")
        self.common(value, path)
        if "object" in value:
            self.object(value["object"], f"{path}.object")
        if "stored" in value:
            self.timestamp(value["stored"], f"{path}.stored")
        if "authority" in value:
            self.actor(value["authority"], f"{path}.authority")
        if "version" in value and (not isinstance(value["version"], str) or not VERSION_RE.match(value["version"])):
            self.fail(f"{path}.version", "must be a 1.0.x version")
        verb = value.get("verb")
        if isinstance(verb, dict) and verb.get("id") == VOIDED:
            target = value.get("object")
            if not isinstance(target, dict) or target.get("objectType") != "StatementRef":
                self.fail(f"{path}.object", "a voiding statement's object must be a StatementRef")


def validate_statement(statement: Any) -> list[Problem]:
    checker = _Checker()
    checker.statement(statement)
    return checker.problems


def validate_agent(agent: Any) -> list[Problem]:
    checker = _Checker()
    checker.actor(agent, "$")
    return checker.problems


def validate_activity(activity: Any) -> list[Problem]:
    checker = _Checker()
    checker.activity(activity, "$")
    return checker.problems


def version_supported(header: str | None) -> bool:
    """The ``X-Experience-API-Version`` request header: 1.0.0 to 1.0.3 (and later 1.0.x)."""
    return bool(header) and bool(VERSION_RE.match(header.strip()))
