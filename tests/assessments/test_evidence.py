"""Recording and superseding evidence; current scores in the same transaction; bad input refused."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.errors import EvidenceError
from assessments.models import CompetencyScore, Evidence
from assessments.services.evidence import EvidenceItem, evidence_record, evidence_supersede
from assessments.services.scores import scores_recompute
from tests.factories import make_person, source_ref


@pytest.fixture
def person(org):
    return make_person("lan", org["FR"])


def record(person, items, **kwargs):
    kwargs.setdefault("source", "manual")
    kwargs.setdefault("source_ref", source_ref(person, "quiz-attempt:1"))
    return evidence_record(person=person, items=items, **kwargs)


def test_recording_evidence_updates_the_current_score(person, vn):
    c = vn["1.1"]
    record(person, [EvidenceItem(c.pk, 0.8)])
    score = CompetencyScore.objects.get(person=person, competency=c)
    assert score.score == pytest.approx(0.8)
    assert score.level is None and score.evidence_count == 1  # not enough evidence yet
    record(person, [EvidenceItem(c.pk, 0.6)], source_ref=source_ref(person, "quiz-attempt:2"))
    score.refresh_from_db()
    assert score.score == pytest.approx(0.7)
    assert score.level.code == "CB2"  # mean 70 % ≥ the mastery threshold, at the basic band (no band given)
    assert score.evidence_count == 2


def test_evidence_rows_keep_everything_said(person, vn, django_user_model):
    trainer = django_user_model.objects.create(username="trainer")
    when = timezone.now() - timedelta(days=3)
    rows = record(
        person,
        [EvidenceItem(vn["4.2"].pk, 1.0, weight=0.5)],
        source="manual",
        source_ref=source_ref(person, "manual:1"),
        note="Observed signing a document",
        recorded_by=trainer,
        recorded_at=when,
    )
    ev = Evidence.objects.get(pk=rows[0].pk)
    assert (ev.source, ev.source_ref, ev.note, ev.recorded_by, ev.recorded_at) == (
        "manual",
        source_ref(person, "manual:1"),
        "Observed signing a document",
        trainer,
        when,
    )
    assert ev.weight == 0.5 and ev.is_live and not ev.self_reported


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        ([EvidenceItem(999_999, 0.5)], "items[0].competency_id", "Unknown competency"),
        ([EvidenceItem("1.1", 0.5)], "items[0].competency_id", "Unknown competency"),
        (["ok", EvidenceItem(None, 1.5)], "items[1].score", "outside 0–1"),
        (["ok", EvidenceItem(None, -0.1)], "items[1].score", "outside 0–1"),
        (["ok", EvidenceItem(None, float("nan"))], "items[1].score", "outside 0–1"),
        (["ok", EvidenceItem(None, 0.5, weight=0)], "items[1].weight", "outside (0, 1]"),
        (["ok", EvidenceItem(None, 0.5, weight=1.01)], "items[1].weight", "outside (0, 1]"),
        ([], "items", "at least one"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_written(person, vn, items, field, message):
    ok = EvidenceItem(vn["1.1"].pk, 0.5)
    items = [ok if item == "ok" else item for item in items]
    items = [EvidenceItem(vn["1.2"].pk, i.score, i.weight) if i.competency_id is None else i for i in items]
    with pytest.raises(EvidenceError) as exc:
        record(person, items)
    assert exc.value.field == field
    assert message in str(exc.value)
    assert not Evidence.objects.exists()
    assert not CompetencyScore.objects.exists()


def test_unknown_source_and_missing_reference_are_refused(person, vn):
    with pytest.raises(EvidenceError, match="Unknown evidence source"):
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], source="survey")
    with pytest.raises(EvidenceError, match="source reference"):
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], source_ref=" ")
    with pytest.raises(EvidenceError, match="future"):
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], recorded_at=timezone.now() + timedelta(days=1))
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("source", "ref", "message"),
    [
        ("quiz", "demo:quiz:1:2", "not a source HocSo can open"),
        ("quiz", "quiz-attempt:abc", "not a source HocSo can open"),
        ("quiz", "quiz-attempt:999999", "does not exist"),
        ("h5p", "h5p-activity:999999", "does not exist"),
        ("manual", "manual-assessment:999999", "does not exist"),
        ("h5p", "h5p-attempt:1", "not a source HocSo can open"),  # per-attempt H5P evidence is no longer written
        ("manual", "manual:0123abcd", "not a source HocSo can open"),  # nor manual evidence without its assessment
    ],
)
def test_a_reference_that_points_at_nothing_is_refused(person, vn, source, ref, message):
    with pytest.raises(EvidenceError, match=message) as caught:
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], source=source, source_ref=ref)
    assert caught.value.field == "source_ref"
    assert not Evidence.objects.exists()


def test_a_reference_to_someone_elses_source_or_of_another_kind_is_refused(person, org, vn):
    other = make_person("other", org["FR"])
    theirs = source_ref(other, "theirs")
    with pytest.raises(EvidenceError, match="does not exist or is not this person's"):
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], source_ref=theirs)
    with pytest.raises(EvidenceError, match="not a source of kind"):
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], source="quiz", source_ref=source_ref(person, "mine"))
    assert not Evidence.objects.exists()


def test_evidence_for_inactive_staff_is_refused(person, vn):
    person.is_active = False
    person.save()
    with pytest.raises(EvidenceError, match="not an active staff member") as exc:
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)])
    assert exc.value.field == "person"
    assert not Evidence.objects.exists() and not CompetencyScore.objects.exists()


def test_supersede_replaces_a_regraded_attempt(person, vn):
    a, b, c = vn["1.1"], vn["1.2"], vn["1.3"]
    record(person, [EvidenceItem(a.pk, 0.9)], source_ref=source_ref(person, "quiz-attempt:7"))
    first = record(
        person, [EvidenceItem(a.pk, 0.2), EvidenceItem(b.pk, 0.4)], source_ref=source_ref(person, "quiz-attempt:8")
    )
    new = evidence_supersede(
        person=person,
        source_ref=source_ref(person, "quiz-attempt:8"),
        source="manual",
        items=[EvidenceItem(a.pk, 0.5), EvidenceItem(c.pk, 1.0)],
    )
    old = Evidence.objects.filter(pk__in=[e.pk for e in first])
    assert all(e.superseded_at is not None and e.superseded_by_id == new[0].pk for e in old)
    assert {e.recorded_at for e in new} == {first[0].recorded_at}  # the attempt keeps its moment
    scores = {s.competency_id: s for s in CompetencyScore.objects.filter(person=person)}
    assert scores[a.pk].score == pytest.approx(0.7) and scores[a.pk].evidence_count == 2
    assert b.pk not in scores  # its only evidence was superseded
    assert scores[c.pk].score == pytest.approx(1.0)
    assert Evidence.objects.count() == 5  # nothing deleted


def test_supersede_with_no_items_withdraws(person, vn):
    record(person, [EvidenceItem(vn["2.1"].pk, 0.9)], source_ref=source_ref(person, "h5p-attempt:3"), source="manual")
    assert (
        evidence_supersede(person=person, source_ref=source_ref(person, "h5p-attempt:3"), source="manual", items=[])
        == []
    )
    assert not CompetencyScore.objects.exists()
    assert Evidence.objects.get().superseded_at is not None


def test_supersede_refuses_bad_items_without_touching_old_rows(person, vn):
    record(person, [EvidenceItem(vn["2.1"].pk, 0.9)], source_ref=source_ref(person, "quiz-attempt:9"))
    with pytest.raises(EvidenceError):
        evidence_supersede(
            person=person,
            source_ref=source_ref(person, "quiz-attempt:9"),
            source="manual",
            items=[EvidenceItem(vn["2.1"].pk, 2)],
        )
    assert Evidence.objects.live().count() == 1
    assert CompetencyScore.objects.get().score == pytest.approx(0.9)


def _history(person, vn, n):
    now = timezone.now()
    comps = [vn["1.1"], vn["2.2"], vn["3.3"]]
    for i in range(n):
        record(
            person,
            [EvidenceItem(comps[i % 3].pk, (i % 10) / 10), EvidenceItem(comps[(i + 1) % 3].pk, 0.5, weight=0.5)],
            source_ref=source_ref(person, f"quiz-attempt:{i}"),
            recorded_at=now - timedelta(days=10 * i),
        )


def test_recording_runs_a_constant_number_of_queries(person, vn, django_assert_num_queries):
    _history(person, vn, 2)
    items = [EvidenceItem(vn["1.1"].pk, 0.7)]
    first, second = source_ref(person, "x:1"), source_ref(person, "x:2")
    # savepoint, competencies, source, lock, insert, evidence, levels, upsert, release
    with django_assert_num_queries(9):
        record(person, items, source_ref=first)
    _history(person, vn, 30)
    many = [EvidenceItem(c.pk, 0.6) for c in list(vn.values())[:12]]
    with django_assert_num_queries(9):
        record(person, many, source_ref=second)


def test_superseding_runs_a_constant_number_of_queries(person, vn, django_assert_num_queries):
    _history(person, vn, 20)
    ref = source_ref(person, "quiz-attempt:3")
    # savepoint, competencies, source, lock, old rows, insert, mark old, evidence, levels, upsert, release
    with django_assert_num_queries(11):
        evidence_supersede(person=person, source_ref=ref, source="manual", items=[EvidenceItem(vn["1.1"].pk, 0.1)])


def test_superseding_several_sources_at_once(person, vn, django_assert_num_queries):
    from assessments.services.evidence import SourceEvidence, evidence_supersede_many

    _history(person, vn, 3)
    one, ninety, ninety_one = (source_ref(person, n) for n in ("quiz-attempt:1", "quiz-attempt:90", "quiz-attempt:91"))
    records = [
        SourceEvidence(one, [EvidenceItem(vn["1.1"].pk, 1.0)]),  # replaces attempt 1's rows
        SourceEvidence(ninety, [EvidenceItem(vn["2.2"].pk, 0.2)], self_reported=True),
        SourceEvidence(ninety_one, []),
    ]
    # the same queries as one source: savepoint, competencies, sources (one query per kind), lock, old rows,
    # insert, mark old, evidence, levels, upsert, release
    with django_assert_num_queries(11):
        created = evidence_supersede_many(person=person, source="manual", records=records)
    assert [len(created[r.source_ref]) for r in records] == [1, 1, 0]
    assert created[ninety][0].self_reported
    assert Evidence.objects.live().filter(person=person, source_ref=one).get().score == 1.0
    assert Evidence.objects.filter(person=person, source_ref=one, superseded_at__isnull=False).count() == 2
    scores = CompetencyScore.objects.filter(person=person)
    assert (
        scores.get(competency=vn["1.1"]).evidence_count
        == Evidence.objects.live().filter(person=person, competency=vn["1.1"]).count()
    )
    with pytest.raises(EvidenceError):
        evidence_supersede_many(person=person, source="manual", records=[records[1], records[1]])


def test_incremental_equals_full_recompute_on_random_histories(org, vn):
    rng = random.Random(20260101)
    people = [make_person(f"p{i}", org["JP"]) for i in range(6)]
    comps = list(vn.values())[:6]
    now = timezone.now()
    for step in range(120):
        person = rng.choice(people)
        ref = source_ref(person, f"quiz-attempt:{rng.randrange(40)}")
        items = [
            EvidenceItem(c.pk, round(rng.random(), 3), weight=rng.choice([0.25, 0.5, 1.0]))
            for c in rng.sample(comps, rng.randint(1, 3))
        ]
        if step % 7 == 0:
            evidence_supersede(person=person, source_ref=ref, source="manual", items=items[: rng.randint(0, 2)])
        else:
            record(
                person,
                items,
                source_ref=ref,
                self_reported=rng.random() < 0.2,
                recorded_at=now - timedelta(days=rng.randint(0, 700)),
            )
    incremental = {
        (s.person_id, s.competency_id): (s.score, s.level_id, s.evidence_count) for s in CompetencyScore.objects.all()
    }
    assert len(incremental) > 10
    report = scores_recompute(chunk_size=4)
    full = {
        (s.person_id, s.competency_id): (s.score, s.level_id, s.evidence_count) for s in CompetencyScore.objects.all()
    }
    assert report.drift == 0, report.examples
    assert full == incremental  # exact: the mean does not depend on the moment it is computed


def test_competency_codes_resolve_or_are_refused(vn):
    from assessments.services.evidence import competency_ids_for_codes

    assert competency_ids_for_codes(framework_code="VN-DCF", codes=["1.1", "6.3"]) == {
        "1.1": vn["1.1"].pk,
        "6.3": vn["6.3"].pk,
    }
    with pytest.raises(EvidenceError, match="Unknown competency code “9.9” in framework VN-DCF") as exc:
        competency_ids_for_codes(framework_code="VN-DCF", codes=["1.1", "9.9"])
    assert exc.value.field == "codes[1]"
    with pytest.raises(EvidenceError, match="Unknown competency framework"):
        competency_ids_for_codes(framework_code="XX", codes=["1.1"])


def test_naive_dates_are_taken_as_local_time(person, vn):
    from datetime import datetime

    rows = record(person, [EvidenceItem(vn["1.1"].pk, 0.5)], recorded_at=datetime(2026, 1, 2, 9, 0))
    assert timezone.is_aware(Evidence.objects.get(pk=rows[0].pk).recorded_at)


def test_messages_are_in_vietnamese_for_vietnamese_users(person, vn):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(EvidenceError) as exc:
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5, weight=2)])
    assert str(exc.value) == "Trọng số 2 nằm ngoài khoảng (0, 1]: hãy dùng một số lớn hơn 0 và không quá 1."


def test_database_refuses_to_edit_or_delete_evidence_on_postgresql(person, vn):
    from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    rows = record(person, [EvidenceItem(vn["1.1"].pk, 0.5)])
    errors = (IntegrityError, InternalError, ProgrammingError)
    with pytest.raises(errors, match="append-only"), transaction.atomic():
        Evidence.objects.filter(pk=rows[0].pk).update(score=1.0)
    with pytest.raises(errors, match="append-only"), transaction.atomic():
        Evidence.objects.filter(pk=rows[0].pk).delete()
    evidence_supersede(
        person=person, source_ref=source_ref(person, "quiz-attempt:1"), source="manual", items=[]
    )  # the one allowed change
    with pytest.raises(errors, match="already superseded"), transaction.atomic():
        Evidence.objects.filter(pk=rows[0].pk).update(superseded_at=None)
    assert Evidence.objects.get(pk=rows[0].pk).score == 0.5


@pytest.mark.django_db(transaction=True)
def test_concurrent_evidence_for_one_person_loses_nothing(frameworks, org, vn):
    """Two writers at once: the person lock serialises them, so the stored score counts both."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks need PostgreSQL")
    person = make_person("busy", org["FR"])
    barrier = threading.Barrier(8)
    failures = []

    def writer(i):
        try:
            barrier.wait()
            for j in range(10):
                record(
                    person,
                    [EvidenceItem(vn["1.1"].pk, ((i + j) % 10) / 10)],
                    source_ref=source_ref(person, f"t{i}:{j}"),
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    score = CompetencyScore.objects.get(person=person)
    assert score.evidence_count == 80
    report = scores_recompute()
    assert report.drift == 0


def test_the_person_lock_takes_only_the_profile_row(person, vn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5)])
    lock = next(q["sql"] for q in ctx.captured_queries if '"lms_staffprofile"' in q["sql"])
    assert "lms_unit" not in lock  # the unit row is not locked along with the person
    if connection.vendor == "postgresql":
        assert "FOR NO KEY UPDATE OF" in lock  # see the next test


@pytest.mark.django_db(transaction=True)
def test_the_person_lock_does_not_block_rows_that_point_at_the_person(frameworks, org, vn):
    """Score updates lock the person FOR NO KEY UPDATE: another transaction can still insert rows
    referring to the person (their foreign-key check takes a key-share lock) while it is held, so
    the xAPI writer and the evidence task never wait on, or deadlock with, each other."""
    import threading

    from django.db import connection, connections, transaction

    from assessments.services.evidence import _lock_active_person

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    person = make_person("locked", org["FR"])
    held, release, outcome = threading.Event(), threading.Event(), {}

    def holder():
        try:
            with transaction.atomic():
                _lock_active_person(person)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
            try:
                with transaction.atomic():  # a row pointing at the person: checked at commit
                    Evidence.objects.create(
                        person=person,
                        competency=vn["1.1"],
                        score=0.5,
                        source="manual",
                        source_ref="fk-check",  # written past the services: only the lock is under test
                        recorded_at=timezone.now(),
                    )
                outcome["inserted"] = True
            except Exception as exc:  # noqa: BLE001 - reported below
                outcome["error"] = exc
            cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        thread.join()
    assert outcome == {"inserted": True}
