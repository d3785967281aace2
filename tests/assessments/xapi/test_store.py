"""The statement store: one table for every statement, filed under the keys the LRS filters use."""

import uuid

import pytest
from django.utils import timezone

from assessments.xapi import keys
from assessments.xapi.models import Statement, StatementRelation
from assessments.xapi.services.store import NewStatement, statements_insert
from assessments.xapi.validation import VOIDED

pytestmark = pytest.mark.django_db

ALICE = {"objectType": "Agent", "mbox": "mailto:alice@example.org"}
BOB = {"objectType": "Agent", "account": {"homePage": "https://tool.example", "name": "bob"}}


def statement(**parts):
    base = {
        "id": str(uuid.uuid4()),
        "actor": ALICE,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://tool.example/course/1"},
    }
    base.update(parts)
    return base


def store(*statements, authority=None):
    return statements_insert(
        [NewStatement(statement=s, authority=authority) for s in statements], stored=timezone.now()
    )


def test_a_statement_is_filed_under_its_keys():
    s = statement(
        context={
            "registration": str(uuid.uuid4()),
            "instructor": BOB,
            "contextActivities": {"parent": [{"id": "https://tool.example/course"}]},
        }
    )
    (row,) = store(s).values()
    assert row.activity_key == keys.activity_key("https://tool.example/course/1")
    assert row.verb_key == keys.verb_key("http://adlnet.gov/expapi/verbs/completed")
    assert str(row.registration) == s["context"]["registration"]
    relations = dict(StatementRelation.objects.filter(statement=row).values_list("key", "direct"))
    assert relations == {
        keys.agent_key(ALICE): True,
        keys.activity_key("https://tool.example/course/1"): True,
        keys.agent_key(BOB): False,  # the instructor only matches broadly
        keys.activity_key("https://tool.example/course"): False,
    }


def test_a_group_is_filed_under_its_members_too():
    group = {"objectType": "Group", "member": [ALICE, BOB]}
    (row,) = store(statement(actor=group)).values()
    direct = set(StatementRelation.objects.filter(statement=row, direct=True).values_list("key", flat=True))
    assert {keys.agent_key(ALICE), keys.agent_key(BOB)} <= direct


def test_the_same_agent_whatever_its_object_type_or_name():
    assert keys.agent_key({"mbox": "mailto:alice@example.org", "name": "A"}) == keys.agent_key(ALICE)
    assert keys.agent_key({"objectType": "Group", "mbox": "mailto:alice@example.org"}) == keys.agent_key(ALICE)
    assert keys.agent_key({"mbox_sha1sum": "a" * 40}) != keys.agent_key(ALICE)


def test_an_id_stored_already_is_not_stored_again():
    s = statement()
    assert len(store(s)) == 1
    assert store(dict(s, verb={"id": "http://example.org/other"})) == {}
    assert Statement.objects.get().raw == s


def test_voiding_marks_its_target_even_when_it_came_first():
    target, later = statement(), statement()
    voiding = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target["id"]})
    early = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": later["id"]})
    store(target)
    store(voiding, early)
    store(later)
    voided = dict(Statement.objects.values_list("statement_id", "voided"))
    assert voided[uuid.UUID(target["id"])] and voided[uuid.UUID(later["id"])]
    assert not voided[uuid.UUID(voiding["id"])] and not voided[uuid.UUID(early["id"])]


def test_h5p_statements_are_in_the_store(client, learner, import_activity):
    from tests.courses.h5p.conftest import captured

    activity = import_activity("H5P.TrueFalse.h5p")
    client.force_login(learner.user)
    attempted = dict(captured("H5P.TrueFalse.statements.json", activity.pk)[0], id=str(uuid.uuid4()))
    response = client.post(
        "/xapi/statements", data=attempted, content_type="application/json", HTTP_X_EXPERIENCE_API_VERSION="1.0.3"
    )
    assert response.status_code == 200, response.content
    row = Statement.objects.get(statement_id=attempted["id"])
    assert row.person == learner and row.h5p.activity == activity
    assert row.raw["actor"]["account"] == {"homePage": "http://testserver/", "name": learner.employee_number}
