"""Benchmark: sustained quiz submissions per second and their p95 latency, next to a bare view.

Run on demand against PostgreSQL (never in the test suite):

    createdb -h 127.0.0.1 -U postgres hocso_bench_quizzes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso_bench_quizzes \\
        .venv/bin/python bench/quiz_submit.py --learners 50 --seconds 20 --workers 4

It migrates the database, creates a course with a 20-question quiz, ``--learners × --rounds`` enrolled
people with API tokens and one started, fully answered attempt each (prepared in-process, not timed),
starts gunicorn (production settings), then:

1. bare view: N concurrent clients call ``GET /healthz`` (one ``SELECT 1``) for the given time;
2. submit: N concurrent clients each submit their people's attempts one after another
   (``POST /api/v1/attempts/{id}/submit`` with the person's bearer token), pausing ``--think`` seconds
   between two submits (0: back to back, the saturation figure); every fifth submit is replayed
   (a second POST) to check it has no second effect.

Afterwards it checks the database: every acknowledged submit is exactly one submitted attempt with
exactly one evidence row per competency, nothing is left in progress, and the replays added nothing.
Results are appended to ``bench/results/quizzes.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-" + "k" * 60
# Learners are spread over this many units, as in the demo ministry (see the results file about why it matters).
UNITS = 10


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CELERY_BROKER_URL": "",
    }


def setup(learners: int) -> tuple[int, list[tuple[str, int]], int]:
    """Fixture data; returns (quiz id, (token, prepared attempt id) per person, competencies per attempt)."""
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import APIToken, Locale, Page, Site

    call_command("migrate", verbosity=0)
    from assessments.models import Competency
    from assessments.quizzes.models import (
        Attempt,
        Question,
        QuestionChoice,
        QuestionCompetency,
        QuizPage,
        QuizSlot,
    )
    from courses.models import CourseIndexPage, CoursePage
    from courses.services.enrolment import enrolment_create
    from lms.models import StaffProfile, Unit
    from lms.services.units import unit_create

    Attempt.objects.all().delete()
    root_unit = Unit.objects.filter(code="BENCH").first() or unit_create(
        code="BENCH", kind="ministry", name_vi="Đơn vị đo", name_en="Bench unit", parent=None
    )
    units = [
        Unit.objects.filter(code=f"BENCH-{j}").first()
        or unit_create(code=f"BENCH-{j}", kind="department", name_vi=f"Vụ {j}", name_en=f"Dept {j}", parent=root_unit)
        for j in range(UNITS)
    ]
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        locale, _ = Locale.objects.get_or_create(language_code="vi")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        site = Site.objects.create(
            hostname="localhost",
            root_page=root.add_child(instance=Page(title="Home", slug="home")),
            is_default_site=True,
        )
    index = CourseIndexPage.objects.first() or site.root_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    course = CoursePage.objects.filter(slug="bench").first() or index.add_child(
        instance=CoursePage(title="Bench", slug="bench", summary="bench")
    )
    quiz = QuizPage.objects.child_of(course).first()
    competency = Competency.objects.order_by("pk").first()
    if quiz is None:
        quiz = course.add_child(
            instance=QuizPage(title="Bench quiz", slug="bench-quiz", max_attempts=0, required_for_completion=False)
        )
        for i in range(20):
            q = Question(kind="single", title=f"bench {i}", language="vi", stem=f"<p>Câu {i}</p>")
            q.choices.add(QuestionChoice(text="Đúng", is_correct=True, sort_order=0))
            q.choices.add(QuestionChoice(text="Sai", is_correct=False, sort_order=1))
            q.competency_links.add(QuestionCompetency(competency=competency, weight=1.0))
            q.save()
            QuizSlot.objects.create(page=quiz, question=q, sort_order=i)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    from assessments.quizzes import presenters
    from assessments.quizzes.services import attempts as services

    tokens = []
    APIToken.objects.filter(name="bench").delete()
    for i in range(learners):
        user, _ = User.objects.get_or_create(username=f"bench{i:03d}")
        person = StaffProfile.objects.filter(user=user).first() or StaffProfile.objects.create(
            user=user, employee_number=f"BENCH{i:03d}", full_name=f"Học viên {i}", unit=units[i % UNITS]
        )
        enrolment_create(person=person, course=course)
        _token, secret = APIToken.create_token(user=user, name="bench")
        attempt, _created = services.attempt_start(person=person, quiz=quiz)
        questions = presenters.attempt_payload(Attempt.objects.select_related("quiz").get(pk=attempt.pk))["questions"]
        answers = {str(q["id"]): q["choices"][0]["id"] for q in questions}
        services.attempt_answers_save(attempt_id=attempt.pk, person=person, answers=answers)
        tokens.append((secret, attempt.pk))
    return quiz.pk, tokens, 1


def request(method: str, url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict, float]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        payload, status = exc.read(), exc.code
    elapsed = time.perf_counter() - started
    try:
        parsed = json.loads(payload or b"{}")
    except ValueError:
        parsed = {}
    return status, parsed, elapsed


def p95(xs: list[float]) -> float:
    if not xs:
        return float("nan")
    return statistics.quantiles(xs, n=100)[94] if len(xs) >= 20 else max(xs)


def run_phase(n: int, seconds: float, work, stagger: float = 0.0) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop(i: int):
        if stagger:
            time.sleep(stagger * i / n)  # clients arrive spread over one think time, not all at once
        while time.monotonic() < stop:
            try:
                elapsed = work(i)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=8, help="prepared attempts per client")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between two submits of a client")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    os.environ.update(_env(database_url))
    quiz_id, prepared, competencies_per_attempt = setup(args.learners * args.rounds)
    load_before = os.getloadavg()[0]
    if not args.port:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "--error-logfile",
            "/tmp/hocso_bench_quizzes_gunicorn.log",
        ],
        cwd=ROOT,
        env=_env(database_url),
    )
    try:
        for _ in range(100):
            if server.poll() is not None:
                sys.exit("gunicorn did not start")
            try:
                if request("GET", f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        bare, bare_errors = run_phase(args.learners, args.seconds, lambda i: request("GET", f"{base}/healthz")[2])

        acknowledged: set[int] = set()
        replays: list[int] = []
        lock = threading.Lock()
        counter = [0]

        queues = [prepared[i :: args.learners] for i in range(args.learners)]
        last_done = [0.0]

        def submit(i: int) -> float:
            if not queues[i]:
                time.sleep(0.05)
                raise IndexError("no prepared attempt left")
            token, attempt_id = queues[i].pop()
            status, body, elapsed = request("POST", f"{base}/api/v1/attempts/{attempt_id}/submit", token)
            if status != 200 or body.get("status") != "submitted":
                raise RuntimeError(f"submit {status}: {body}")
            with lock:
                acknowledged.add(attempt_id)
                last_done[0] = time.monotonic()
                counter[0] += 1
                replay = counter[0] % 5 == 0
            if replay:
                status, again, _ = request("POST", f"{base}/api/v1/attempts/{attempt_id}/submit", token)
                if status != 200 or again["result"]["points"] != body["result"]["points"]:
                    raise RuntimeError(f"replay {status}: {again}")
                with lock:
                    replays.append(attempt_id)
            if args.think:
                time.sleep(args.think)
            return elapsed

        started = time.monotonic()
        submits, submit_errors = run_phase(args.learners, args.seconds, submit, stagger=args.think)
        duration = time.monotonic() - started
        submit_errors = [e for e in submit_errors if "no prepared attempt" not in e]
        duration = min(duration, last_done[0] - started) if last_done[0] else duration
    finally:
        server.terminate()
        server.wait(timeout=30)

    from assessments.models import Evidence
    from assessments.quizzes.models import Attempt

    submitted = set(Attempt.objects.filter(quiz_id=quiz_id, status="submitted").values_list("pk", flat=True))
    in_progress = Attempt.objects.filter(quiz_id=quiz_id, status="in_progress").count()
    evidence = Evidence.objects.filter(source="quiz", source_ref__in=[f"quiz-attempt:{pk}" for pk in submitted])
    evidence_count = evidence.count()
    lost = len(acknowledged - submitted)
    unacknowledged = len(submitted - acknowledged)
    double = evidence_count - len(submitted) * competencies_per_attempt
    lines = [
        f"\n## Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"PostgreSQL on the same machine; gunicorn {args.workers} workers × 4 threads; {args.learners} concurrent "
        f"clients; {args.seconds:g} s per phase; 20-question attempts; think time {args.think:g} s; "
        f"load average before the run {load_before:.1f} (other jobs share the machine).",
        "",
        "| phase | requests | per second | median ms | p95 ms | errors |",
        "|---|---|---|---|---|---|",
        f"| bare view (`GET /healthz`) | {len(bare)} | {len(bare) / args.seconds:.1f} | "
        f"{(statistics.median(bare) if bare else float('nan')) * 1000:.0f} | {p95(bare) * 1000:.0f} | {len(bare_errors)} |",
        f"| submit (`POST /api/v1/attempts/{{id}}/submit`) | {len(submits)} | {len(submits) / duration:.1f} | "
        f"{(statistics.median(submits) if submits else float('nan')) * 1000:.0f} | {p95(submits) * 1000:.0f} | {len(submit_errors)} |",
        "",
        f"Checks: {len(acknowledged)} submits acknowledged, {len(submitted)} attempts submitted in the database, "
        f"{lost} lost, {unacknowledged} graded without an answer to the client, {len(replays)} replayed submits "
        f"(no second effect), {in_progress} prepared attempts not reached, "
        f"{evidence_count} evidence rows for {len(submitted)} attempts → {double} double-counted.",
    ]
    if submit_errors:
        lines.append(f"First errors: {submit_errors[:3]}")
    report = "\n".join(lines) + "\n"
    print(report)
    out = ROOT / "bench" / "results" / "quizzes.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists():
        out.write_text(
            "# Quiz submission benchmark\n\nProduced by `bench/quiz_submit.py` (see its docstring for how to run it).\n"
        )
    with out.open("a") as fh:
        fh.write(report)
    if lost or double or unacknowledged:
        sys.exit("lost, double-counted or unfinished submissions")


if __name__ == "__main__":
    main()
