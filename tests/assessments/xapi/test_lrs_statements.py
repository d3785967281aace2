"""The Statement resource through HTTP Basic credentials: write, read back, filter, page, void."""

from __future__ import annotations

import json
import uuid

import pytest

from assessments.xapi.models import CredentialScope, Statement
from assessments.xapi.services.credentials import credential_revoke
from tests.factories import make_person, make_unit

from .lrs_helpers import SPEC_DIR, TEMPLATES_DIR, LRSClient, issue, load, new_id, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def lrs():
    return issue()[1]


def test_about_needs_neither_credentials_nor_version(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.json()["version"]
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_missing_wrong_or_revoked_credentials_are_401(client):
    issued, lrs = issue()
    assert client.get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3").status_code == 401
    wrong = LRSClient(issued.credential.key, "not-the-secret")
    response = wrong.get("statements")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert lrs.get("statements").status_code == 200
    credential_revoke(credential=issued.credential, revoked_by=None)
    assert lrs.get("statements").status_code == 401
    assert lrs.post("statements", statement()).status_code == 401


def test_missing_or_unsupported_version_header_is_400():
    issued, _ = issue()
    for version in (None, "0.95", "2.0.0", "banana"):
        lrs = LRSClient(issued.credential.key, issued.secret, version=version)
        response = lrs.post("statements", statement())
        assert response.status_code == 400, version
        assert "X-Experience-API-Version" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


def test_post_stores_and_returns_ids_in_order(lrs):
    given = new_id()
    response = lrs.post("statements", [statement(id=given), statement()])
    assert response.status_code == 200
    ids = response.json()
    assert ids[0] == given and len(ids) == 2
    got = lrs.get("statements", {"statementId": given})
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == given
    assert body["version"] == "1.0.0"  # set by the LRS when the sender gave none
    assert body["stored"] and body["timestamp"]
    assert body["authority"]["objectType"] == "Agent" and body["authority"]["account"]["name"]
    assert got["X-Experience-API-Consistent-Through"]
    assert got["Last-Modified"]


def test_put_needs_statement_id_and_is_idempotent(lrs):
    assert lrs.put("statements", statement()).status_code == 400
    sid = new_id()
    assert lrs.put("statements", statement(), params={"statementId": sid}).status_code == 204
    assert lrs.put("statements", statement(), params={"statementId": sid}).status_code == 204  # the same again
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    assert lrs.put("statements", other, params={"statementId": sid}).status_code == 409
    assert lrs.post("statements", {**other, "id": sid}).status_code == 409
    assert lrs.put("statements", statement(id=new_id()), params={"statementId": sid}).status_code == 400
    assert lrs.put("statements", [statement()], params={"statementId": new_id()}).status_code == 400
    assert Statement.objects.count() == 1


def test_a_bad_statement_refuses_the_whole_batch(lrs):
    bad = statement(actor={"mbox": "learner@example.org"})  # not a mailto IRI
    response = lrs.post("statements", [statement(), bad])
    assert response.status_code == 400
    assert "2: $.actor.mbox" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    "broken",
    [
        {"verb": {"id": "not an iri"}},
        {"actor": {"mbox": "mailto:a@b.c", "openid": "http://a.example/"}},  # two identifiers
        {"unknown": 1},
        {"actor": {"objectType": "Agent"}},
        {"id": "not-a-uuid"},
        {"result": {"score": {"scaled": 2}}},
        {"timestamp": "yesterday"},
    ],
)
def test_statements_breaking_the_specification_are_400(lrs, broken):
    assert lrs.post("statements", statement(**broken)).status_code == 400
    assert Statement.objects.count() == 0


def test_same_id_twice_in_a_batch_is_400(lrs):
    sid = new_id()
    assert lrs.post("statements", [statement(id=sid), statement(id=sid)]).status_code == 400


def test_voiding(lrs):
    target = new_id()
    lrs.post("statements", statement(id=target))
    voiding = new_id()
    void = statement(id=voiding, verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target})
    assert lrs.post("statements", void).status_code == 200
    assert lrs.get("statements", {"statementId": target}).status_code == 404
    assert lrs.get("statements", {"voidedStatementId": target}).json()["id"] == target
    assert lrs.get("statements", {"voidedStatementId": voiding}).status_code == 404
    listed = [s["id"] for s in lrs.get("statements").json()["statements"]]
    assert listed == [voiding]
    # a voiding statement cannot be voided
    again = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voiding})
    assert lrs.post("statements", again).status_code == 400
    assert lrs.get("statements", {"statementId": voiding}).status_code == 200


def test_single_statement_takes_no_filters(lrs):
    sid = lrs.post("statements", statement()).json()[0]
    assert lrs.get("statements", {"statementId": sid, "verb": VOIDED}).status_code == 400
    assert lrs.get("statements", {"statementId": sid, "voidedStatementId": sid}).status_code == 400
    assert lrs.get("statements", {"statementId": sid, "format": "ids"}).status_code == 200
    assert lrs.get("statements", {"statementId": "nope"}).status_code == 400


def test_unknown_or_malformed_parameters_are_400(lrs):
    assert lrs.get("statements", {"verbs": "x"}).status_code == 400
    assert lrs.get("statements", {"limit": "-1"}).status_code == 400
    assert lrs.get("statements", {"ascending": "yes"}).status_code == 400
    assert lrs.get("statements", {"agent": "{not json"}).status_code == 400
    assert lrs.get("statements", {"agent": '{"name": "no ifi"}'}).status_code == 400
    assert lrs.get("statements", {"since": "never"}).status_code == 400
    assert lrs.get("statements", {"format": "pretty"}).status_code == 400
    assert lrs.get("statements", {"registration": "r"}).status_code == 400


def test_filters(lrs):
    bob = {"objectType": "Agent", "account": {"homePage": "https://tool.example", "name": "bob"}}
    registration = str(uuid.uuid4())
    first = lrs.post(
        "statements",
        statement(
            context={
                "registration": registration,
                "instructor": bob,
                "contextActivities": {"parent": [{"id": "https://tool.example/course"}]},
            }
        ),
    ).json()[0]
    second = lrs.post(
        "statements", statement(actor=bob, verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    ).json()[0]
    third = lrs.post("statements", statement(object={"id": "https://tool.example/course/2"})).json()[0]

    def ids(**params):
        response = lrs.get("statements", params)
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()["statements"]]

    import json

    assert ids() == [third, second, first]
    assert ids(ascending="true") == [first, second, third]
    assert ids(agent=json.dumps(bob)) == [second]
    assert ids(agent=json.dumps(bob), related_agents="true") == [second, first]
    assert ids(verb="http://adlnet.gov/expapi/verbs/attempted") == [second]
    assert ids(activity="https://tool.example/course/1") == [second, first]
    assert ids(activity="https://tool.example/course") == []
    assert ids(activity="https://tool.example/course", related_activities="true") == [first]
    assert ids(registration=registration) == [first]
    stored = {s["id"]: s["stored"] for s in lrs.get("statements").json()["statements"]}
    assert ids(since=stored[first], ascending="true") == [second, third]
    assert ids(until=stored[second], ascending="true") == [first, second]


def test_statement_refs_match_through_their_target(lrs):
    target = lrs.post("statements", statement(object={"id": "https://tool.example/x"})).json()[0]
    ref = lrs.post(
        "statements",
        statement(
            verb={"id": "http://adlnet.gov/expapi/verbs/commented"}, object={"objectType": "StatementRef", "id": target}
        ),
    ).json()[0]
    found = [s["id"] for s in lrs.get("statements", {"activity": "https://tool.example/x"}).json()["statements"]]
    assert found == [ref, target]


def test_paging_with_more(lrs):
    sent = [lrs.post("statements", statement()).json()[0] for _ in range(5)]
    seen = []
    response = lrs.get("statements", {"limit": "2", "ascending": "true"})
    pages = 0
    while True:
        body = response.json()
        seen += [s["id"] for s in body["statements"]]
        pages += 1
        if not body["more"]:
            break
        assert body["more"].startswith("/xapi/statements/more/")
        response = lrs.client.get(body["more"], **lrs.headers)
        assert response.status_code == 200
    assert seen == sent and pages == 3
    # another credential cannot follow this credential's more address
    more = lrs.get("statements", {"limit": "2"}).json()["more"]
    _issued, other = issue()
    assert other.client.get(more, **other.headers).status_code == 403


def test_formats(lrs):
    s = statement(
        verb={
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed", "vi": "đã hoàn thành"},
        },
        object={
            "id": "https://tool.example/course/1",
            "definition": {"name": {"en-US": "Course", "vi": "Khoá học"}},
        },
    )
    s["actor"]["name"] = "Learner"
    sid = lrs.post("statements", s).json()[0]
    ids_form = lrs.get("statements", {"statementId": sid, "format": "ids"}).json()
    assert ids_form["actor"] == {"objectType": "Agent", "mbox": "mailto:learner@example.org"}
    assert ids_form["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert ids_form["object"] == {"objectType": "Activity", "id": "https://tool.example/course/1"}
    canonical = lrs.get(
        "statements", {"statementId": sid, "format": "canonical"}, headers={"Accept-Language": "vi"}
    ).json()
    assert canonical["verb"]["display"] == {"vi": "đã hoàn thành"}
    assert canonical["object"]["definition"]["name"] == {"vi": "Khoá học"}
    exact = lrs.get("statements", {"statementId": sid}).json()
    assert exact["object"]["definition"]["name"] == {"en-US": "Course", "vi": "Khoá học"}


def test_head_answers_like_get_without_a_body(lrs):
    lrs.post("statements", statement())
    response = lrs.head("statements")
    assert response.status_code == 200
    assert response.content == b""


def test_write_only_credentials_cannot_read():
    _issued, lrs = issue(scope=CredentialScope.WRITE)
    assert lrs.post("statements", statement()).status_code == 200
    assert lrs.get("statements").status_code == 403


def test_read_own_sees_only_its_own_statements(lrs):
    mine = lrs.post("statements", statement()).json()[0]
    _issued, other = issue()
    theirs = other.post("statements", statement()).json()[0]
    assert [s["id"] for s in lrs.get("statements").json()["statements"]] == [mine]
    assert lrs.get("statements", {"statementId": theirs}).status_code == 404


def test_read_unit_sees_its_units_people_and_links_only_them(settings):
    settings.H5P_SITE_ORIGIN = "http://testserver"
    ministry = make_unit("MIN")
    embassy = make_unit("EMB", parent=ministry)
    other = make_unit("OTH")
    inside = make_person("inside", embassy)
    outside = make_person("outside", other)
    inside.user.email = "inside@example.org"
    inside.user.save()
    outside.user.email = "outside@example.org"
    outside.user.save()
    _w, writer = issue(scope=CredentialScope.WRITE)
    by_mail = writer.post("statements", statement(actor={"mbox": "mailto:Inside@example.org"})).json()[0]
    by_account = writer.post(
        "statements", statement(actor={"account": {"homePage": "http://testserver/", "name": inside.employee_number}})
    ).json()[0]
    foreign = writer.post("statements", statement(actor={"mbox": "mailto:outside@example.org"})).json()[0]
    linked = dict(Statement.objects.values_list("statement_id", "person_id"))
    assert linked[uuid.UUID(by_mail)] == inside.pk
    assert linked[uuid.UUID(by_account)] == inside.pk
    assert linked[uuid.UUID(foreign)] == outside.pk  # a writer without an HR scope links anyone known
    _r, reader = issue(scope=CredentialScope.READ_UNIT, unit=ministry)
    seen = {s["id"] for s in reader.get("statements").json()["statements"]}
    assert seen == {by_mail, by_account}
    assert reader.get("statements", {"statementId": foreign}).status_code == 404
    _s, scoped_writer = issue(scope=CredentialScope.WRITE, unit=embassy)
    outside_again = scoped_writer.post("statements", statement(actor={"mbox": "mailto:outside@example.org"})).json()[0]
    assert Statement.objects.get(statement_id=outside_again).person_id is None  # outside its HR scope: stored only


def test_list_query_count_is_fixed(lrs, django_assert_max_num_queries):
    import json

    for _ in range(30):
        lrs.post("statements", statement())
    agent = json.dumps({"mbox": "mailto:learner@example.org"})
    with django_assert_max_num_queries(4):  # credential, direct page, statement references
        response = lrs.get("statements", {"agent": agent, "activity": "https://tool.example/course/1", "limit": "25"})
    assert len(response.json()["statements"]) == 25


@pytest.mark.testdata
def test_the_specifications_examples_are_accepted_and_read_back(lrs):
    accepted = 0
    for path in sorted(SPEC_DIR.glob("*-statement-*.json")):
        s = load(path)
        if "attachments" in s and not any("fileUrl" in a for a in s["attachments"]):
            continue  # sent with its attachment in test_lrs_attachments
        response = lrs.post("statements", s)
        assert response.status_code == 200, (path.name, response.content)
        sid = response.json()[0]
        back = lrs.get("statements", {"voidedStatementId" if sid in _voided() else "statementId": sid})
        assert back.status_code == 200, path.name
        accepted += 1
    assert accepted >= 4


def _voided() -> set[str]:
    return {str(s) for s in Statement.objects.filter(voided=True).values_list("statement_id", flat=True)}


@pytest.mark.testdata
def test_conformance_templates_are_accepted(lrs):
    for name in (
        "default",
        "actor",
        "context",
        "result",
        "object_substatement",
        "unicode",
        "verb",
        "object_agent_default",
    ):
        s = load(TEMPLATES_DIR / "statements" / f"{name}.json")
        response = lrs.post("statements", s)
        assert response.status_code in (200, 400), name


def test_alternate_request_syntax():
    from urllib.parse import urlencode

    from django.test import Client

    issued, lrs = issue()
    auth = lrs.headers["HTTP_AUTHORIZATION"]
    client = Client()
    sid = new_id()
    form = {
        "Authorization": auth,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "statementId": sid,
        "content": json.dumps(statement()),
    }
    response = client.post(
        "/xapi/statements?method=PUT", data=urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204, response.content
    form = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "statementId": sid}
    response = client.post(
        "/xapi/statements?method=GET", data=urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and response.json()["id"] == sid
    # every other parameter must go in the form
    response = client.post(
        f"/xapi/statements?method=GET&statementId={sid}",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    # without credentials in the form: 401
    response = client.post(
        "/xapi/statements?method=GET",
        data=urlencode({"X-Experience-API-Version": "1.0.3"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 401
    # the form's parameters get the checks a query string gets: a 400 with a reason, never a 500
    for bad in ({"limit": "²"}, {"agent": "a\x00b"}, {"verb": "\ud800"}):
        form = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", **bad}
        response = client.post(
            "/xapi/statements?method=GET",
            data=urlencode(form, encoding="utf-8", errors="surrogatepass"),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 400, (bad, response.content)
    assert lrs.get("statements", {"limit": "²"}).status_code == 400


def test_document_ids_are_bounded(lrs):
    activity = {"activityId": "https://tool.example/a", "agent": json.dumps({"mbox": "mailto:a@example.org"})}
    response = lrs.put("activities/state", {"x": 1}, params={**activity, "stateId": "s" * 256})
    assert response.status_code == 400
    assert lrs.put("activities/state", {"x": 1}, params={**activity, "stateId": "s" * 255}).status_code == 204


def test_a_post_runs_a_fixed_number_of_queries_whatever_its_size(lrs, django_assert_max_num_queries):
    def batch(n):
        return [
            statement(
                actor={"mbox": f"mailto:learner{i}@example.org"},
                object={"id": f"https://tool.example/course/{i}", "definition": {"name": {"en-US": f"Course {i}"}}},
            )
            for i in range(n)
        ]

    with django_assert_max_num_queries(14):
        assert lrs.post("statements", batch(1)).status_code == 200
    with django_assert_max_num_queries(14):
        assert lrs.post("statements", batch(200)).status_code == 200
    assert Statement.objects.count() == 201
