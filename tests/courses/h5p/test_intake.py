"""The queued xAPI intake (Redis stream + batch writer) and batch writes of statements."""

import dataclasses
import json
import os
import time
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.h5p.models import H5PAttempt, H5PItemResponse, H5PStatement
from courses.h5p.services import intake
from courses.h5p.services.statements import CONFLICT, GONE, LIMIT, REPLAY, STORED, statement_prepare, statements_store
from tests.factories import make_person, make_unit

from .conftest import captured, enrol

pytestmark = pytest.mark.django_db

URL = reverse("h5p:statements")
V = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
HOME = "http://testserver/"
# A Redis of its own for these tests (the broker's when CI gives one, another database of it).
REDIS_URL = os.environ.get("HOCSO_TEST_XAPI_REDIS", "redis://127.0.0.1:6379/14")


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **V)


def fresh(statements):
    return [dict(s, id=str(uuid.uuid4())) for s in statements]


def _clear(client):
    keys = list(client.scan_iter("hocso:xapi:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def queue(settings):
    """Queued intake on a real Redis; the writer task is held back so tests see the queue."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    _clear(client)
    settings.H5P_XAPI_QUEUE_URL = REDIS_URL
    with mock.patch("courses.h5p.tasks.statements_drain_task.delay") as delay:
        client.delay = delay
        yield client
    _clear(client)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def entries_for(learner, statements, *, now=None):
    return [
        statement_prepare(user=learner.user, person=learner, statement=s, home_page=HOME, now=now) for s in statements
    ]


# ---- the request only checks and queues ----


def test_a_queued_statement_is_answered_at_once_and_written_by_the_drain(queue, signed_in, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p", pass_mark=50)
    statements = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    for statement in statements:
        response = post(signed_in, statement)
        assert response.status_code == 200 and response.json() == [statement["id"]]
    # the request stored nothing; it queued three messages and asked once for a writer
    assert H5PStatement.objects.count() == 0 and H5PAttempt.objects.count() == 0
    assert queue.xlen(intake.STREAM) == 3 and queue.delay.call_count == 1
    assert intake.statements_drain() == 3
    attempt = H5PAttempt.objects.get(person=learner, activity=activity)
    assert (attempt.score_raw, attempt.score_max, attempt.grading, attempt.passed) == (1, 1, "server", True)
    assert (attempt.statements, attempt.interactions) == (3, 2)
    stored = H5PStatement.objects.get(statement__statement_id=statements[2]["id"])
    assert stored.statement.raw["actor"]["account"]["name"] == learner.employee_number
    assert queue.xlen(intake.STREAM) == 0 and not queue.exists(intake.DRAIN_QUEUED)


def test_a_queued_request_runs_no_database_write(queue, signed_in, import_activity, django_assert_num_queries):
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, _answered = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    assert post(signed_in, attempted).status_code == 200  # warms the per-learner access cache
    with django_assert_num_queries(2):  # the session and the user with the staff profile
        assert post(signed_in, interacted).status_code == 200


def test_replays_and_conflicts_are_answered_from_redis(queue, signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, _answered = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    assert post(signed_in, attempted).status_code == 200
    assert post(signed_in, attempted).status_code == 200  # the same statement again: a no-op
    assert queue.xlen(intake.STREAM) == 1
    changed = dict(attempted, verb={"id": "http://adlnet.gov/expapi/verbs/interacted"})
    response = post(signed_in, changed)
    assert response.status_code == 409 and response.json()["error"]["code"] == 409
    # one request naming one id twice with two bodies
    twice = [interacted, dict(interacted, result={"completion": True})]
    assert post(signed_in, twice).status_code == 409
    assert queue.xlen(intake.STREAM) == 1


def test_a_bad_statement_in_a_batch_queues_none_of_them(queue, signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    good, bad, _answered = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    bad["verb"] = {"id": "not an iri"}
    assert post(signed_in, [good, bad]).status_code == 400
    assert not queue.exists(intake.STREAM) or queue.xlen(intake.STREAM) == 0
    assert not queue.exists(intake.ID_KEY + good["id"])


def test_an_activity_they_may_not_play_is_refused_before_queueing(queue, signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p", place=False)
    statement = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[0]
    assert post(signed_in, statement).status_code == 403
    assert not queue.exists(intake.STREAM) or queue.xlen(intake.STREAM) == 0


# ---- the writer ----


def test_the_drain_writes_many_learners_in_a_fixed_number_of_queries(queue, h5p_course, import_activity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.h5p.services.statements import _package_content

    activity = import_activity("H5P.SingleChoiceSet.h5p", pass_mark=50)
    statements = captured("H5P.SingleChoiceSet.statements.json", activity.pk)
    unit, learners = make_unit("QUE", kind="embassy"), []
    for i in range(8):
        person = make_person(f"q{i}", unit)
        enrol(person, h5p_course)
        learners.append(person)

    def queue_attempts(people):
        per_person = [entries_for(p, fresh(statements)) for p in people]
        for step in range(len(statements)):  # interleaved, as concurrent learners send them
            for entries in per_person:
                intake.statements_accept([entries[step]])

    queue_attempts(learners[:2])
    _package_content.cache_clear()  # both drains read content.json once
    with CaptureQueriesContext(connection) as two:
        intake.statements_drain()
    queue_attempts(learners[2:])
    _package_content.cache_clear()
    with CaptureQueriesContext(connection) as six:
        intake.statements_drain()
    assert len(six) == len(two)  # three times the learners, the same queries
    attempts = H5PAttempt.objects.filter(completed_at__isnull=False)
    assert attempts.count() == 8 and {a.grading for a in attempts} == {"server"}
    assert H5PStatement.objects.count() == 8 * len(statements)
    assert H5PItemResponse.objects.count() == 8 * 3


def test_entries_left_by_a_writer_that_died_are_written_first(queue, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, answered = entries_for(
        learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    )
    intake.statements_accept([attempted])
    intake.statements_accept([interacted])
    intake._ensure_group(queue)
    intake._read(queue, ">")  # a writer took both and died before acknowledging them
    intake.statements_accept([answered])
    assert intake.statements_drain() == 3
    attempt = H5PAttempt.objects.get()
    assert attempt.completed_at is not None and attempt.statements == 3
    assert queue.xpending(intake.STREAM, intake.GROUP)["pending"] == 0


def test_only_one_writer_at_a_time(queue, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    intake.statements_accept(entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[:1]))
    queue.set(intake.DRAIN_LOCK, f"{queue.info('server')['run_id']}:another writer")  # of this Redis run
    assert intake.statements_drain() == 0 and H5PStatement.objects.count() == 0
    queue.delete(intake.DRAIN_LOCK)
    assert intake.statements_drain() == 1 and H5PStatement.objects.count() == 1


def test_a_writer_out_of_time_queues_itself_again(queue, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    intake.statements_accept(entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[:1]))
    queue.delay.reset_mock()
    assert intake.statements_drain(max_seconds=0) == 0
    assert queue.delay.call_count == 1 and queue.xlen(intake.STREAM) == 1
    assert intake.statements_drain() == 1


def test_a_message_the_writer_cannot_store_is_set_aside_and_the_rest_stored(queue, learner, import_activity, caplog):
    activity = import_activity("H5P.TrueFalse.h5p")
    entries = entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk)))
    for entry in entries:
        intake.statements_accept([entry])
    real = statements_store

    def store(batch, *, strict):
        if any(e.statement_id == entries[1].statement_id for e in batch):
            raise ValueError("a bug in grading")
        return real(batch, strict=strict)

    with mock.patch.object(intake, "statements_store", side_effect=store):
        assert intake.statements_drain() == 3
    assert set(H5PStatement.objects.values_list("verb", flat=True)) == {"attempted", "answered"}
    dead = [json.loads(m) for m in queue.lrange(intake.DEAD_LETTERS, 0, -1)]
    assert [e["id"] for batch in dead for e in batch] == [entries[1].statement_id]
    assert queue.xlen(intake.STREAM) == 0


def test_the_drain_does_nothing_without_a_queue(settings):
    settings.H5P_XAPI_QUEUE_URL = None
    assert intake.statements_drain() == 0


# ---- batch writes (statements_store) ----


def test_a_batch_finishes_one_attempt_and_opens_the_next(learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    first = captured("H5P.TrueFalse.statements.json", activity.pk)
    second = captured("H5P.TrueFalse.statements.json", activity.pk)
    second[2]["result"]["response"] = "false"
    start = timezone.now() - timedelta(minutes=5)
    entries = entries_for(learner, fresh(first), now=start) + entries_for(learner, fresh(second), now=start)
    results = statements_store(entries, strict=True)
    assert [r.outcome for r in results] == [STORED] * 6
    scores = list(H5PAttempt.objects.order_by("id").values_list("score_raw", "statements", "completed_at"))
    assert [(s, n) for s, n, _at in scores] == [(1, 3), (0, 3)]
    assert all(at == start for _s, _n, at in scores)  # the time each was received, not written


def test_a_batch_replay_conflict_and_duplicate(learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, _answered = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    statements_store(entries_for(learner, [attempted]), strict=True)
    other = dict(attempted, verb={"id": "http://adlnet.gov/expapi/verbs/interacted"})
    batch = entries_for(learner, [attempted, other, interacted, interacted])
    assert [r.outcome for r in statements_store(batch, strict=False)] == [REPLAY, CONFLICT, STORED, REPLAY]
    assert H5PStatement.objects.count() == 2 and H5PAttempt.objects.count() == 1


def test_the_writer_drops_what_it_cannot_take_and_keeps_the_rest(learner, import_activity, settings, caplog):
    settings.H5P_MAX_STATEMENTS_PER_ATTEMPT = 2
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, answered = fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    extra = dict(interacted, id=str(uuid.uuid4()))
    entries = entries_for(learner, [attempted, interacted, extra, answered])
    gone = entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[:1])
    gone = [dataclasses.replace(gone[0], activity_id=activity.pk + 1000)]  # deleted since it was accepted
    outcomes = [r.outcome for r in statements_store(entries + gone, strict=False)]
    assert outcomes == [STORED, STORED, LIMIT, STORED, GONE]  # the finishing statement is always taken
    assert H5PAttempt.objects.get().completed_at is not None
    assert "limit" in caplog.text and "gone" in caplog.text


# ---- with the real worker (PostgreSQL and Redis, as in production) ----


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_queued_statements_reach_the_database_through_the_worker(
    celery_worker_process, settings, client, h5p_course, import_activity
):
    import redis

    from assessments.models import Evidence

    broker = os.environ["CELERY_BROKER_URL"]
    settings.H5P_XAPI_QUEUE_URL = broker  # what the worker uses too (its settings take the broker)
    _clear(redis.Redis.from_url(broker))
    person = make_person("qw", make_unit("QW", kind="embassy"))
    enrol(person, h5p_course)
    client.force_login(person.user)
    activity = import_activity("H5P.TrueFalse.h5p", pass_mark=50, competencies=[("NT1", 1.0)])
    for statement in fresh(captured("H5P.TrueFalse.statements.json", activity.pk)):
        assert post(client, statement).status_code == 200
    deadline = time.monotonic() + 30
    while not Evidence.objects.filter(person=person).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    attempt = H5PAttempt.objects.get(person=person)
    assert (attempt.score_raw, attempt.grading, attempt.statements) == (1, "server", 3)
    assert Evidence.objects.get(person=person).score == 1.0


def test_an_unreachable_queue_is_a_503(settings, signed_in, import_activity):
    settings.H5P_XAPI_QUEUE_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    activity = import_activity("H5P.TrueFalse.h5p")
    response = post(signed_in, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[0])
    assert response.status_code == 503 and response.json()["error"]["code"] == 503  # the page sends it again


def test_a_full_queue_is_a_503_and_queues_nothing(queue, settings, signed_in, import_activity):
    settings.H5P_XAPI_QUEUE_MAX = 1
    attempted, interacted, _answered = fresh(
        captured("H5P.TrueFalse.statements.json", import_activity("H5P.TrueFalse.h5p").pk)
    )
    assert post(signed_in, attempted).status_code == 200
    assert post(signed_in, interacted).status_code == 503
    assert queue.xlen(intake.STREAM) == 1 and not queue.exists(intake.ID_KEY + interacted["id"])
    intake.statements_drain()
    assert post(signed_in, interacted).status_code == 200  # the writer caught up


def test_the_next_statement_after_a_drain_queues_a_writer_again(queue, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, _answered = entries_for(
        learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))
    )
    intake.statements_accept([attempted])
    intake.statements_accept([interacted])
    assert queue.delay.call_count == 1  # the flag was up for the second
    intake.statements_drain()
    assert not queue.exists(intake.DRAIN_QUEUED)
    intake.statements_accept(entries_for(learner, fresh([captured("H5P.TrueFalse.statements.json", activity.pk)[1]])))
    assert queue.delay.call_count == 2


def test_what_the_writer_drops_is_forgotten_so_a_resend_is_not_a_replay(queue, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    entry = entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk)))[0]
    gone = dataclasses.replace(entry, activity_id=activity.pk + 1000)  # deleted after it was accepted
    intake.statements_accept([gone])
    assert queue.exists(intake.ID_KEY + gone.statement_id)
    intake.statements_drain()
    assert H5PStatement.objects.count() == 0 and not queue.exists(intake.ID_KEY + gone.statement_id)


def test_a_database_outage_leaves_the_batch_in_the_stream(queue, learner, import_activity):
    from django.db import OperationalError

    activity = import_activity("H5P.TrueFalse.h5p")
    intake.statements_accept(entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[:1]))
    with mock.patch.object(intake, "statements_store", side_effect=OperationalError("server closed the connection")):
        with pytest.raises(OperationalError):
            intake.statements_drain()
    assert queue.llen(intake.DEAD_LETTERS) == 0  # not set aside: the next writer tries again
    assert queue.xpending(intake.STREAM, intake.GROUP)["pending"] == 1
    assert intake.statements_drain() == 1 and H5PStatement.objects.count() == 1


def test_a_writer_that_lost_its_lock_stops(queue, learner, import_activity, caplog):
    activity = import_activity("H5P.TrueFalse.h5p")
    intake.statements_accept(entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[:1]))
    real = intake._drain_batch

    def slow_batch(client):
        client.set(intake.DRAIN_LOCK, "a writer that came after the lock expired")
        return real(client)

    with mock.patch.object(intake, "_drain_batch", side_effect=slow_batch):
        intake.statements_drain()
    assert "lost its lock" in caplog.text
    assert queue.get(intake.DRAIN_LOCK) == b"a writer that came after the lock expired"  # not released by us


def test_a_lock_left_from_before_a_redis_restart_does_not_hold_the_writer_back(
    settings, tmp_path, learner, import_activity
):
    """Issue 18: the writer's lock, restored with Redis's data after a restart, held writing back for up to
    two minutes. With a redis-server of the test's own, persisted to an append-only file and restarted."""
    import redis

    from tests.redis_support import RedisProcess, _free_port

    server = RedisProcess(_free_port(), data_dir=tmp_path)
    server.start()
    try:
        settings.H5P_XAPI_QUEUE_URL = server.url
        activity = import_activity("H5P.TrueFalse.h5p")
        with mock.patch("courses.h5p.tasks.statements_drain_task.delay"):
            intake.statements_accept(
                entries_for(learner, fresh(captured("H5P.TrueFalse.statements.json", activity.pk))[:1])
            )
        before = redis.Redis.from_url(server.url)
        # a writer took the lock in this Redis run, then Redis restarted, and with it that writer's connection
        before.set(intake.DRAIN_LOCK, f"{before.info('server')['run_id']}:a writer gone", px=intake.LOCK_MS)
        before.close()
        server.stop()
        server.start()
        intake._redis.cache_clear()
        after = redis.Redis.from_url(server.url)
        assert after.get(intake.DRAIN_LOCK).endswith(b":a writer gone")  # restored from the append-only file
        assert intake.statements_drain() == 1 and H5PStatement.objects.count() == 1
        assert after.get(intake.DRAIN_LOCK) is None  # taken over, then released
    finally:
        intake._redis.cache_clear()
        server.stop()
