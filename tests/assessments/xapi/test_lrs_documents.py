"""State, Activity Profile, Agent Profile, Activities and Agents resources, with ETag concurrency."""

from __future__ import annotations

import json

import pytest

from .lrs_helpers import issue, statement

pytestmark = pytest.mark.django_db

ACTIVITY = "https://tool.example/course/1"
AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:learner@example.org"})


@pytest.fixture
def lrs():
    return issue()[1]


def state_params(**extra):
    return {"activityId": ACTIVITY, "agent": AGENT, **extra}


def test_state_put_get_merge_list_delete(lrs):
    assert lrs.put("activities/state", {"a": 1}, params=state_params(stateId="s1")).status_code == 204
    got = lrs.get("activities/state", state_params(stateId="s1"))
    assert got.status_code == 200 and got.json() == {"a": 1}
    assert got["ETag"].startswith('"') and got["Content-Type"].startswith("application/json")
    assert lrs.post("activities/state", {"b": 2}, params=state_params(stateId="s1")).status_code == 204
    assert lrs.get("activities/state", state_params(stateId="s1")).json() == {"a": 1, "b": 2}
    lrs.put("activities/state", b"plain text", params=state_params(stateId="s2"), content_type="text/plain")
    assert lrs.get("activities/state", state_params(stateId="s2")).content == b"plain text"
    # merging into a document that is not JSON is refused
    assert lrs.post("activities/state", {"c": 3}, params=state_params(stateId="s2")).status_code == 400
    assert sorted(lrs.get("activities/state", state_params()).json()) == ["s1", "s2"]
    assert lrs.delete("activities/state", state_params(stateId="s1")).status_code == 204
    assert lrs.get("activities/state", state_params(stateId="s1")).status_code == 404
    assert lrs.delete("activities/state", state_params()).status_code == 204
    assert lrs.get("activities/state", state_params()).json() == []


def test_state_registration_is_part_of_the_key(lrs):
    registration = "6fbd600f-d17c-4c74-801a-2ec2e53231c5"
    lrs.put("activities/state", {"r": 1}, params=state_params(stateId="s", registration=registration))
    assert lrs.get("activities/state", state_params(stateId="s")).status_code == 404
    assert lrs.get("activities/state", state_params(stateId="s", registration=registration)).json() == {"r": 1}


def test_state_needs_its_parameters(lrs):
    assert lrs.get("activities/state", {"agent": AGENT}).status_code == 400
    assert lrs.get("activities/state", {"activityId": ACTIVITY}).status_code == 400
    assert lrs.get("activities/state", state_params(agent='{"mbox": "nope"}')).status_code == 400
    assert lrs.put("activities/state", {"a": 1}, params=state_params()).status_code == 400
    assert lrs.get("activities/state", state_params(registration="x")).status_code == 400
    assert lrs.get("activities/state", state_params(stateIds="x")).status_code == 400


def test_activity_profile_concurrency(lrs):
    params = {"activityId": ACTIVITY, "profileId": "p"}
    assert lrs.put("activities/profile", {"v": 1}, params=params).status_code == 204
    etag = lrs.get("activities/profile", params)["ETag"]
    # a PUT onto an existing document without a precondition is a conflict
    assert lrs.put("activities/profile", {"v": 2}, params=params).status_code == 409
    assert lrs.put("activities/profile", {"v": 2}, params=params, headers={"If-Match": '"stale"'}).status_code == 412
    assert lrs.put("activities/profile", {"v": 2}, params=params, headers={"If-None-Match": "*"}).status_code == 412
    assert lrs.put("activities/profile", {"v": 2}, params=params, headers={"If-Match": etag}).status_code == 204
    assert lrs.get("activities/profile", params).json() == {"v": 2}
    assert lrs.delete("activities/profile", params, headers={"If-Match": etag}).status_code == 412
    fresh = lrs.get("activities/profile", params)["ETag"]
    assert lrs.get("activities/profile", params, headers={"If-None-Match": fresh}).status_code == 304
    assert lrs.delete("activities/profile", params, headers={"If-Match": fresh}).status_code == 204
    assert lrs.put("activities/profile", {"v": 3}, params=params, headers={"If-None-Match": "*"}).status_code == 204
    assert lrs.get("activities/profile", {"activityId": ACTIVITY}).json() == ["p"]
    assert lrs.delete("activities/profile", {"activityId": ACTIVITY}).status_code == 400


def test_agent_profile(lrs):
    params = {"agent": AGENT, "profileId": "prefs"}
    assert lrs.put("agents/profile", {"lang": "vi"}, params=params).status_code == 204
    assert lrs.get("agents/profile", params).json() == {"lang": "vi"}
    assert lrs.get("agents/profile", {"agent": AGENT}).json() == ["prefs"]
    assert lrs.get("agents/profile", {"agent": AGENT, "since": "2000-01-01T00:00:00Z"}).json() == ["prefs"]
    assert lrs.get("agents/profile", {"agent": AGENT, "since": "2999-01-01T00:00:00Z"}).json() == []


def test_documents_are_per_credential(lrs):
    lrs.put("activities/state", {"a": 1}, params=state_params(stateId="s1"))
    _issued, other = issue()
    assert other.get("activities/state", state_params(stateId="s1")).status_code == 404


def test_activities_and_agents(lrs):
    lrs.post(
        "statements",
        statement(
            object={
                "id": ACTIVITY,
                "definition": {"name": {"en-US": "Course"}, "type": "http://adlnet.gov/expapi/activities/course"},
            }
        ),
    )
    lrs.post("statements", statement(object={"id": ACTIVITY, "definition": {"name": {"vi": "Khoá học"}}}))
    activity = lrs.get("activities", {"activityId": ACTIVITY}).json()
    assert activity["id"] == ACTIVITY
    assert activity["definition"]["name"] == {"en-US": "Course", "vi": "Khoá học"}
    assert activity["definition"]["type"] == "http://adlnet.gov/expapi/activities/course"
    unknown = lrs.get("activities", {"activityId": "https://tool.example/unknown"}).json()
    assert unknown == {"objectType": "Activity", "id": "https://tool.example/unknown"}
    assert lrs.get("activities", {}).status_code == 400
    person = lrs.get("agents", {"agent": AGENT}).json()
    assert person == {"objectType": "Person", "mbox": ["mailto:learner@example.org"]}
    assert lrs.get("agents", {"agent": "[]"}).status_code == 400


def test_documents_too_large_are_413(lrs, settings):
    settings.XAPI_MAX_DOCUMENT_BYTES = 100
    response = lrs.put("activities/state", {"a": "x" * 200}, params=state_params(stateId="big"))
    assert response.status_code == 413
