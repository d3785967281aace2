"""xAPI 1.0.3 statement validation (pure), on the ADL conformance templates, the spec's own
examples and the statements real H5P content emitted."""

import copy
import json

import pytest

from assessments.xapi import validation as xapi
from tests.conftest import SHARED_TESTDATA, TESTDATA, material

pytestmark = pytest.mark.testdata

XAPI = SHARED_TESTDATA / "xapi"
TEMPLATES = XAPI / "lrs-conformance-templates-v2_0"
SPEC = XAPI / "xapi-spec-1.0.3-examples"
CAPTURED = XAPI / "h5p-captured-standalone-3.8.2"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def base():
    return load(TEMPLATES / "statements" / "default.json")


def with_part(**parts):
    statement = base()
    statement.update(parts)
    return statement


def problems(statement):
    return [str(p) for p in xapi.validate_statement(statement)]


def test_default_template_is_valid():
    assert problems(base()) == []


@pytest.mark.parametrize("name", ["default", "mbox", "mbox_sha1sum", "openid", "account"])
def test_agent_templates_are_valid(name):
    assert problems(with_part(actor=load(TEMPLATES / "agents" / f"{name}.json"))) == []


@pytest.mark.parametrize("name", ["account_no_name", "account_no_homepage"])
def test_broken_agent_templates_are_invalid(name):
    assert problems(with_part(actor=load(TEMPLATES / "agents" / f"{name}.json")))


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in material("xapi/lrs-conformance-templates-v2_0/groups", "*.json")
        if TESTDATA is None
        or ("no_homepage" not in p.name and "no_name" not in p.name and p.name != "anonymous_no_member.json")
    ],
    ids=lambda p: p.name,
)
def test_group_templates_are_valid(path):
    assert problems(with_part(actor=load(path))) == []


@pytest.mark.parametrize(
    "name", ["anonymous_no_member", "identified_account_no_homepage", "identified_account_no_name"]
)
def test_broken_group_templates_are_invalid(name):
    assert problems(with_part(actor=load(TEMPLATES / "groups" / f"{name}.json")))


INVALID_ACTIVITIES = {
    "interaction_type_invalid_numeric.json",
    "interaction_type_invalid_string.json",
    "interaction_type_invalid_object.json",
    "interaction_type_invalid_iri.json",
    "name_invalid.json",
    "description_invalid.json",
    "no_id.json",
    # a plain string or number where a language map belongs
    "string_name.json",
    "numeric_name.json",
    "string_description.json",
    "numeric_description.json",
}


@pytest.mark.parametrize(
    "path", material("xapi/lrs-conformance-templates-v2_0/activities", "*.json"), ids=lambda p: p.name
)
def test_activity_templates(path):
    found = problems(with_part(object=load(path)))
    if path.name in INVALID_ACTIVITIES:
        assert found, path.name
    else:
        assert found == [], (path.name, found)


@pytest.mark.parametrize(
    "path", material("xapi/lrs-conformance-templates-v2_0/contexts", "*.json"), ids=lambda p: p.name
)
def test_context_templates(path):
    context = load(path)
    # The suite fills these placeholders with agent and group templates before use.
    if "instructor" in context:
        context["instructor"] = load(TEMPLATES / "agents" / "mbox.json")
    if "team" in context:
        context["team"] = load(TEMPLATES / "groups" / "identified_mbox.json")
    found = problems(with_part(context=context))
    if path.name == "invalid_activity.json":
        assert any("consequences" in p for p in found)
    elif path.name in ("context_agents.json", "context_groups.json"):
        assert any("is not an allowed property" in p for p in found)  # xAPI 2.0 only, not 1.0.3
    else:
        assert found == [], (path.name, found)


@pytest.mark.parametrize(
    "path", material("xapi/lrs-conformance-templates-v2_0/results", "*.json"), ids=lambda p: p.name
)
def test_result_templates_are_valid(path):
    assert problems(with_part(result=load(path))) == []


@pytest.mark.parametrize("path", material("xapi/lrs-conformance-templates-v2_0/verbs", "*.json"), ids=lambda p: p.name)
def test_verb_templates(path):
    statement = with_part(verb=load(path))
    if path.name == "voided.json":
        statement["object"] = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}
    found = problems(statement)
    assert bool(found) == (path.name == "no_id.json"), found


SUBSTATEMENTS_INVALID = {
    "no_actor.json",
    "no_verb.json",
    "no_object.json",
    "statementref_no_id.json",
    "verb_invalid.json",
    "activity_definition_name_invalid.json",
    "activity_definition_description_invalid.json",
    "interaction_component_invalid_language_map.json",
    "context_invalid_language_map.json",
}


# Placeholders the suite merges with other templates before use; not statements on their own.
SUBSTATEMENT_PARTS = {"activity.json", "actor.json", "agent.json", "group.json", "verb.json"}


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in material("xapi/lrs-conformance-templates-v2_0/substatements", "*.json")
        if TESTDATA is None or load(p).get("objectType") == "SubStatement" and p.name not in SUBSTATEMENT_PARTS
    ],
    ids=lambda p: p.name,
)
def test_substatement_templates(path):
    found = problems(with_part(object=load(path)))
    if path.name in SUBSTATEMENTS_INVALID:
        assert found, path.name
    else:
        assert found == [], (path.name, found)


def test_voiding_template_is_valid_and_voiding_needs_a_statement_ref():
    assert problems(load(TEMPLATES / "statements" / "voiding.json")) == []
    statement = load(TEMPLATES / "statements" / "voiding.json")
    statement["object"] = base()["object"]
    assert any("StatementRef" in p for p in problems(statement))


@pytest.mark.parametrize(
    "name",
    ["no_actor.json", "no_verb.json", "no_object.json", "object_statementref_no_id.json", "object_substatement.json"],
)
def test_incomplete_statement_templates_are_invalid(name):
    assert problems(load(TEMPLATES / "statements" / name))


@pytest.mark.parametrize("path", material("xapi/xapi-spec-1.0.3-examples", "*-statement-*.json"), ids=lambda p: p.name)
def test_spec_example_statements_are_valid(path):
    assert problems(load(path)) == []


def test_spec_fragments_are_valid_parts():
    assert xapi.validate_agent(load(SPEC / "03-fragment-agent-with-account.json")) == []
    assert xapi.validate_activity(load(SPEC / "10-fragment-object-is-activity.json")) == []


@pytest.mark.parametrize("path", material("xapi/h5p-captured-standalone-3.8.2", "*.json"), ids=lambda p: p.name)
def test_captured_h5p_statements_are_valid(path):
    for statement in load(path):
        assert problems(statement) == []


def test_h5p_php_report_example_is_valid():
    statement = load(XAPI / "h5p-php-report-examples" / "h5p-truefalse-answered-statement.json")
    assert problems(statement) == []


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda s: s.update(id="not-a-uuid"), "$.id"),
        (lambda s: s.update(version="2.0.0"), "$.version"),
        (lambda s: s.update(timestamp="yesterday"), "$.timestamp"),
        (lambda s: s.update(result={"score": {"scaled": 5}}), "$.result.score.scaled"),
        (lambda s: s.update(result={"score": {"raw": 11, "min": 0, "max": 10}}), "$.result.score.raw"),
        (lambda s: s.update(result={"score": {"raw": "1"}}), "$.result.score.raw"),
        (lambda s: s.update(result={"score": {"min": 5, "max": 5}}), "$.result.score.max"),
        (lambda s: s.update(result={"duration": "1 hour"}), "$.result.duration"),
        (lambda s: s.update(result={"success": "yes"}), "$.result.success"),
        (lambda s: s.update(unknown=1), "$.unknown"),
        (lambda s: s["actor"].update(mbox="learner@example.org"), "$.actor.mbox"),
        (lambda s: s["actor"].update(openid="http://openid.example/x"), "$.actor"),
        (lambda s: s["verb"].update(id="attended"), "$.verb.id"),
        (lambda s: s["object"].update(objectType="Thing"), "$.object.objectType"),
        (lambda s: s.update(context={"registration": "nope"}), "$.context.registration"),
        (lambda s: s.update(context={"language": "not a tag"}), "$.context.language"),
    ],
)
def test_malformed_statements_name_the_field(mutate, needle):
    statement = copy.deepcopy(base())
    mutate(statement)
    found = problems(statement)
    assert any(p.startswith(needle) for p in found), found


def test_non_object_statement():
    assert problems([1, 2]) == ["$: must be a JSON object"]


def test_parse_statements():
    assert xapi.parse_statements(b'{"a": 1}') == [{"a": 1}]
    assert xapi.parse_statements("[{}, {}]") == [{}, {}]
    with pytest.raises(xapi.XAPIError):
        xapi.parse_statements(b"{broken")
    with pytest.raises(xapi.XAPIError):
        xapi.parse_statements(b"[]")
    with pytest.raises(xapi.XAPIError):
        xapi.parse_statements(json.dumps([{}] * 51))
    with pytest.raises(xapi.XAPIError):
        xapi.parse_statements(b"\xff\xfe")


@pytest.mark.parametrize(
    "body",
    [
        b'{"result": {"score": {"raw": NaN}}}',
        b'{"result": {"score": {"raw": Infinity}}}',
        b'{"result": {"score": {"raw": -Infinity}}}',
        b'{"result": {"score": {"raw": 1e400}}}',
        b'{"result": {"response": "a\\u0000b"}}',
        b'{"context": {"extensions": {"http://x/\\u0000": 1}}}',
    ],
)
def test_parse_statements_refuses_what_no_database_can_store(body):
    """Python's json takes these, PostgreSQL does not: refused at the boundary with a 400."""
    with pytest.raises(xapi.XAPIError):
        xapi.parse_statements(body)
    assert xapi.parse_statements(b'{"raw": 1.5e3, "text": "\\\\u0000"}') == [{"raw": 1500.0, "text": "\\u0000"}]


@pytest.mark.parametrize(
    "header, ok",
    [("1.0.3", True), ("1.0.0", True), ("1.0", True), ("0.95", False), ("", False), (None, False), ("2.0.0", False)],
)
def test_version_header(header, ok):
    assert xapi.version_supported(header) is ok
