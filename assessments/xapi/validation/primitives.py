"""Checks of primitive values (IRIs, UUIDs, language maps, timestamps) and of actors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .rules import IRI_RE, LANG_RE, MAILTO_RE, SHA1_RE, TIMESTAMP_RE, UUID_RE, Problem


class BaseChecker:
    """Primitive values and actors; ``Checker`` adds the statement's other parts."""

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
