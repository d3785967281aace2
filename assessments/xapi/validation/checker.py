"""Checks of a statement's verb, object, result, context and attachments (xAPI 1.0.3 Data chapter)."""

from __future__ import annotations

from typing import Any

from .primitives import BaseChecker
from .rules import (
    DURATION_RE,
    INTERACTION_COMPONENT_LISTS,
    INTERACTION_TYPES,
    LANG_RE,
    STATEMENT_KEYS,
    SUBSTATEMENT_KEYS,
    VERSION_RE,
    VOIDED,
)


class Checker(BaseChecker):
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
