"""Lesson-page latency under concurrent load next to a bare Django view, and assignment fan-out to 10,000 staff.

Run on demand (not part of the test suite):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso_bench .venv/bin/python bench/lesson_page.py

It seeds the demo into the database (idempotent), starts gunicorn with the benchmark settings,
hammers the bare view and a lesson page with the same signed-in session and concurrency, then
fans one assignment out to 10,000 extra staff, and writes bench/results/courses.md.
Options: --requests N (per URL, default 600), --concurrency C (default 8), --workers W (default 2),
--fanout N (default 10000; 0 to skip).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _load  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
PORT = 8765


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)


def session_cookie(username: str) -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies["sessionid"].value


def start_server(workers: int) -> subprocess.Popen:
    return _load.start_server(
        port=PORT, workers=workers, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    )


def hammer(path: str, cookie: str, total: int, concurrency: int) -> dict:
    headers = {"Cookie": f"sessionid={cookie}; django_language=vi"}

    def send(conn, _index, _n):
        conn.request("GET", path, headers=headers)
        return conn.getresponse()

    # warm up: templates, caches, renditions
    for _ in range(5):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        assert conn.getresponse().status == 200, f"{path} does not answer 200"
    return _load.hammer(port=PORT, path=path, total=total, concurrency=concurrency, send=send)


def fanout(count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from courses.models import AssignmentRun, CourseAssignment, CoursePage, Enrolment
    from courses.services.assignments import assignment_fanout
    from lms.models import StaffProfile, Unit
    from lms.services.units import unit_create

    unit = Unit.objects.filter(code="BENCH").first() or unit_create(
        code="BENCH", kind="other", name_vi="Đơn vị đo tải", name_en="Benchmark unit"
    )
    existing = StaffProfile.objects.filter(unit=unit).count()
    if existing < count:
        User = get_user_model()
        password = make_password(None)
        users = User.objects.bulk_create(
            [User(username=f"bench{i:05d}", password=password) for i in range(existing, count)], batch_size=2000
        )
        StaffProfile.objects.bulk_create(
            [
                StaffProfile(user=u, employee_number=f"B{existing + i:06d}", full_name=f"Cán bộ {i}", unit=unit)
                for i, u in enumerate(users)
            ],
            batch_size=2000,
        )
    course = CoursePage.objects.live().filter(slug="cong-thong-tin-dien-tu").order_by("pk").first()
    Enrolment.objects.filter(course=course, person__unit=unit).delete()
    import datetime as dt

    from django.utils import timezone

    assignment = CourseAssignment.objects.create(course=course, due_date=timezone.localdate() + dt.timedelta(days=30))
    assignment.units.set([unit])
    run = AssignmentRun.objects.create(assignment=assignment)
    start = time.perf_counter()
    assignment_fanout(run_id=run.pk)
    first = time.perf_counter() - start
    run.refresh_from_db()
    again = AssignmentRun.objects.create(assignment=assignment)
    start = time.perf_counter()
    assignment_fanout(run_id=again.pk)
    second = time.perf_counter() - start
    again.refresh_from_db()
    result = {"staff": run.total, "created": run.created, "seconds": first, "rerun_seconds": second}
    result["rerun_created"] = again.created
    Enrolment.objects.filter(assignment=assignment).delete()
    assignment.delete()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fanout", type=int, default=10000)
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    cookie = session_cookie("staff")
    lesson = "/learn/courses/ky-nang-so-cho-can-bo-ngoai-giao/an-toan-khong-gian-mang/"
    server = start_server(args.workers)
    try:
        bare = hammer("/bench/bare/", cookie, args.requests, args.concurrency)
        page = hammer(lesson, cookie, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
    fan = fanout(args.fanout) if args.fanout else None

    ratio = page["p95_ms"] / bare["p95_ms"]
    lines = [
        "# Courses benchmark",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()} "
        f"({os.cpu_count()} CPUs, shared with other work; Python {platform.python_version()}), "
        f"database: {connection.vendor}. gunicorn {args.workers} sync workers, {args.concurrency} concurrent "
        f"keep-alive clients, {args.requests} requests per URL, signed in as the demo `staff` user.",
        "",
        "| URL | requests | errors | p50 (ms) | p95 (ms) | req/s |",
        "|---|---|---|---|---|---|",
    ]
    for row in (bare, page):
        lines.append(
            f"| `{row['path']}` | {row['requests']} | {row['errors']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
            f"| {row['rps']:.0f} |"
        )
    lines += [
        "",
        f"**Lesson page p95 / bare view p95 = {ratio:.1f}×** (target: below 5×); "
        f"p50 ratio {page['p50_ms'] / bare['p50_ms']:.1f}×, throughput ratio {bare['rps'] / page['rps']:.1f}×.",
    ]
    if fan:
        lines += [
            "",
            f"**Assignment fan-out:** one assignment to {fan['staff']:,} staff created {fan['created']:,} enrolments "
            f"in {fan['seconds']:.1f} s (target: under 30 s); running it again created {fan['rerun_created']} "
            f"in {fan['rerun_seconds']:.1f} s.",
        ]
    out = ROOT / "bench" / "results" / "courses.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
