"""Benchmark: HR reports on PostgreSQL at ministry scale.

    .venv/bin/python bench/reports.py                                  # 100,000 staff, 300 units, 12 months
    .venv/bin/python bench/reports.py --staff 20000 --competencies 8   # a reduced run

Builds a throw-away PostgreSQL database (COPY, not the ORM), then measures, each step in its own process so
peak memory belongs to the step:
  * the HR dashboard for the whole ministry (administrator, all six charts and tables), wall time;
  * a unit's staff-list page: wall time and query count for a small and a large unit (must be equal);
  * CSV export of every active person, streamed to /dev/null: wall time and peak RSS;
  * closing an evaluation period for everyone (the Celery task, run in-process): wall time and peak RSS.
Writes bench/results/reports.md (or --out).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/hocso_reports_bench"


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def phase_setup(a) -> dict:
    import psycopg

    base, name = a.database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    _django(a.database_url)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction

    from assessments.models import Competency, Framework, ProficiencyLevel
    from lms import roles
    from lms.services.units import unit_create

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(8)
    with transaction.atomic():
        root = unit_create(code="BNG", kind="ministry", name_vi="Bộ Ngoại giao", name_en="Ministry", parent=None)
        depts = [
            unit_create(code=f"D{i:02d}", kind="department", name_vi=f"Vụ {i}", name_en=f"Dept {i}", parent=root)
            for i in range(20)
        ]
        leaves = []
        while 1 + len(depts) + len(leaves) < a.units:
            parent = depts[len(leaves) % len(depts)]
            leaves.append(
                unit_create(
                    code=f"L{len(leaves):03d}",
                    kind="embassy",
                    name_vi=f"Đại sứ quán {len(leaves)}",
                    name_en=f"Embassy {len(leaves)}",
                    parent=parent,
                )
            )
        admin = get_user_model().objects.create_user("bench_admin", password="bench-password-123")
        admin.groups.add(Group.objects.get_or_create(name=roles.ADMINISTRATORS)[0])
    units = [u.pk for u in leaves] + [d.pk for d in depts]
    framework = Framework.objects.get(code="VN-DCF", is_current=True)
    comps = list(
        Competency.objects.filter(framework=framework).order_by("sort_order", "code").values_list("pk", flat=True)
    )[: a.competencies]
    levels = sorted(ProficiencyLevel.objects.filter(framework=framework).values_list("min_score", "pk"))
    now = datetime.now(UTC)
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["An", "Bình", "Chi", "Dũng", "Hạnh", "Hương", "Lan", "Phương", "Quân", "Thảo", "Việt", "Yến"]
    positions = ["Chuyên viên", "Chuyên viên chính", "Bí thư thứ nhất", "Tham tán"]
    raw = connection.connection
    with raw.cursor() as cur:
        first_user = 1000
        _copy(
            cur,
            "auth_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            ((first_user + i, "!", False, f"s{i}", "", "", f"s{i}@x.vn", False, True, now) for i in range(a.staff)),
        )
        _copy(
            cur,
            "lms_staffprofile",
            [
                "id",
                "user_id",
                "employee_number",
                "full_name",
                "unit_id",
                "position",
                "grade",
                "language",
                "time_zone",
                "is_active",
                "created_at",
                "updated_at",
            ],
            (
                (
                    i + 1,
                    first_user + i,
                    f"E{i:06d}",
                    f"{rng.choice(families)} Thị {rng.choice(given)} {i}",
                    units[i % len(units)],
                    positions[i % len(positions)],
                    "",
                    "vi",
                    "",
                    True,
                    now,
                    now,
                )
                for i in range(a.staff)
            ),
        )

        def level_of(score):
            chosen = levels[0][1]
            for min_score, pk in levels:
                if score >= min_score:
                    chosen = pk
            return chosen

        base_scores = {}

        def score_rows():
            for p in range(1, a.staff + 1):
                for c in comps:
                    s = round(rng.random(), 3)
                    base_scores[(p, c)] = s
                    yield (p, c, s, level_of(s), 3, 2.0, 0.5, now, now, now)

        _copy(
            cur,
            "assessments_competencyscore",
            [
                "person_id",
                "competency_id",
                "score",
                "level_id",
                "evidence_count",
                "effective_weight",
                "confidence",
                "last_evidence_at",
                "computed_at",
                "updated_at",
            ],
            score_rows(),
        )
        month0 = date(now.year, now.month, 1)
        months = []
        m = month0
        for _ in range(a.months):
            months.append(m)
            m = (m - timedelta(days=1)).replace(day=1)

        def snapshot_rows():
            for (p, c), s in base_scores.items():
                for k, month in enumerate(months):
                    v = max(0.0, s - 0.02 * k)
                    yield (p, c, month, v, level_of(v), 3, 0.5, now)

        _copy(
            cur,
            "assessments_competencyscoresnapshot",
            ["person_id", "competency_id", "month", "score", "level_id", "evidence_count", "confidence", "taken_at"],
            snapshot_rows(),
        )
    raw.commit()
    # courses and one assignment per person
    from wagtail.models import Site

    from courses.models import CourseIndexPage, CoursePage

    site_root = Site.objects.get(is_default_site=True).root_page
    index = site_root.add_child(instance=CourseIndexPage(title="Khoá học", slug="courses"))
    courses = [
        index.add_child(instance=CoursePage(title=f"Khoá {i}", slug=f"k{i}", summary="x", estimated_hours=4)).pk
        for i in range(3)
    ]
    due = date(now.year, 3, 1)
    with raw.cursor() as cur:

        def enrolments():
            for p in range(1, a.staff + 1):
                r = rng.random()
                done = None if r < 0.3 else datetime(now.year, 2 if r < 0.7 else 4, 10, tzinfo=UTC)
                yield (p, courses[p % 3], "completed" if done else "active", "assigned", due, now, done)

        _copy(
            cur,
            "courses_enrolment",
            ["person_id", "course_id", "status", "source", "due_date", "enrolled_at", "completed_at"],
            enrolments(),
        )
        cur.execute("ANALYZE")
    raw.commit()
    _target_profiles()
    return {
        "setup_s": round(time.perf_counter() - t0, 1),
        "units": 1 + len(depts) + len(leaves),
        "staff": a.staff,
        "competencies": len(comps),
        "months": a.months,
    }


def _target_profiles() -> int:
    """Two target profiles over the bench positions (half the staff), so the gaps chart does real work."""
    from assessments.models import Competency, Framework, ProficiencyLevel, TargetProfile, TargetRequirement

    framework = Framework.objects.get(code="VN-DCF", is_current=True)
    levels = {lv.rank: lv for lv in ProficiencyLevel.objects.filter(framework=framework)}
    made = 0
    for code, positions, rank in (("bench-cv", "Chuyên viên\nChuyên viên chính", 4), ("bench-tt", "Tham tán", 6)):
        profile, created = TargetProfile.objects.get_or_create(
            code=code, defaults={"framework": framework, "name_vi": code, "name_en": code, "positions": positions}
        )
        if created:
            made += 1
            TargetRequirement.objects.bulk_create(
                TargetRequirement(profile=profile, competency=c, level=levels[rank])
                for c in Competency.objects.filter(framework=framework)
            )
    return made


def phase_rollup(a) -> dict:
    _django(a.database_url)
    from django.core.management import call_command

    from reports.services.rollups import score_cells_refresh, unit_months_refresh

    call_command("migrate", verbosity=0)  # a reused database may predate the roll-up tables
    _target_profiles()  # ... or the target profiles
    t = time.perf_counter()
    rows = unit_months_refresh()
    out = {"rollup_s": round(time.perf_counter() - t, 1), "rollup_rows": rows}
    t = time.perf_counter()
    rows = score_cells_refresh()
    out.update(cells_s=round(time.perf_counter() - t, 1), cells_rows=rows)
    from reports.models import UnitScoreMonthCell

    out["month_cells_rows"] = UnitScoreMonthCell.objects.count()
    return out


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from lms.accounts.second_factor import totp_enrol

    admin = get_user_model().objects.get(username="bench_admin")
    totp_enrol(user=admin)  # administrators need a second factor (lms.accounts.second_factor); once
    client = Client()
    client.force_login(admin)
    return client


def phase_dashboard(a) -> dict:
    _django(a.database_url)
    client = _client()
    times = []
    for _ in range(2):
        t = time.perf_counter()
        r = client.get("/reports/")
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    from django.core.cache import cache

    # the same page built from the score rows themselves (as a search by name or a missing roll-up does)
    cache.clear()
    direct = time.perf_counter()
    with patch("reports.selectors.competency.cells_as_of", return_value=None):
        assert client.get("/reports/").status_code == 200
    return {
        "dashboard_first_s": round(times[0], 2),
        "dashboard_s": round(min(times), 2),
        "dashboard_direct_s": round(time.perf_counter() - direct, 2),
    }


def _filter_combinations() -> list[tuple[str, str]]:
    """Every combination of position, competency area, a past year and a unit (16, the bare page included),
    as (label, query string)."""
    from itertools import combinations

    from assessments.models import Competency, Framework
    from lms.models import Unit

    framework = Framework.objects.get(code="VN-DCF", is_current=True)
    area = Competency.objects.filter(framework=framework).order_by("sort_order").values_list("area_id", flat=True)[0]
    values = {
        "position": ("position", "Chuyên viên"),
        "area": ("area", area),
        "year": ("year", date.today().year - 1),
        "unit": ("unit", Unit.objects.get(code="D03").pk),
    }
    out = []
    for size in range(len(values) + 1):
        for names in combinations(values, size):
            from urllib.parse import urlencode

            out.append(("+".join(names) or "none", urlencode([values[n] for n in names])))
    return out


def phase_filters(a) -> dict:
    """Each filter combination: a cold request (the chart cache cleared, the database's own caches as they
    are) and a warm one (the same page again, from the chart cache)."""
    _django(a.database_url)
    from django.core.cache import cache

    client = _client()
    client.get("/reports/")  # the process's own first-request costs (imports, URLconf) are not the page's
    rows = {}
    for label, query in _filter_combinations():
        cache.clear()
        t = time.perf_counter()
        r = client.get(f"/reports/?{query}")
        cold = time.perf_counter() - t
        assert r.status_code == 200, (label, r.status_code)
        warm = None
        for _ in range(3):
            t = time.perf_counter()
            assert client.get(f"/reports/?{query}").status_code == 200
            warm = min(warm or 9e9, time.perf_counter() - t)
        rows[label] = [round(cold, 2), round(1000 * warm)]
    return {"filters": rows, "filters_load": open("/proc/loadavg").read().split()[:3]}


def phase_staff(a) -> dict:
    _django(a.database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.models import Unit

    client = _client()
    leaf = Unit.objects.get(code="L000")
    ministry = Unit.objects.get(code="BNG")
    out = {"staff_leaf_people": leaf.staff.count()}
    cases = (
        ("leaf", leaf, "name"),
        ("leaf_score", leaf, "-score"),
        ("ministry", ministry, "name"),
        ("ministry_score", ministry, "-score"),
    )
    for label, unit, sort in cases:
        client.get(f"/reports/units/{unit.pk}/staff/?sort={sort}")
        best = None
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                r = client.get(f"/reports/units/{unit.pk}/staff/?sort={sort}&page=2")
                elapsed = round(1000 * (time.perf_counter() - t))
            assert r.status_code == 200
            best = elapsed if best is None else min(best, elapsed)
        out[f"staff_{label}_ms"] = best
        out[f"staff_{label}_queries"] = len(ctx.captured_queries)
    return out


def phase_csv(a) -> dict:
    _django(a.database_url)
    from django.conf import settings

    settings.REPORTS_BACKGROUND_THRESHOLD = 10**9  # measure the streamed path for everyone
    before = _rss_mb()
    client = _client()
    t = time.perf_counter()
    r = client.get("/reports/export/staff.csv")
    assert r.status_code == 200 and r.streaming, (
        "the CSV must stream (raise REPORTS_BACKGROUND_THRESHOLD for the bench)"
    )
    size = lines = 0
    with open(os.devnull, "wb") as sink:
        for chunk in r.streaming_content:
            sink.write(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {
        "csv_s": round(time.perf_counter() - t, 1),
        "csv_rows": lines - 1,
        "csv_mb": round(size / 1e6, 1),
        "csv_peak_rss_mb": round(_rss_mb()),
        "rss_before_mb": round(before),
    }


def phase_snapshot(a) -> dict:
    _django(a.database_url)
    from django.contrib.auth import get_user_model

    from lms.models import Unit
    from reports.models import EvaluationRecord, PeriodStatus
    from reports.services.evaluation import evaluation_period_open
    from reports.tasks import evaluation_snapshot_task

    admin = get_user_model().objects.get(username="bench_admin")
    year = date.today().year
    period = evaluation_period_open(
        actor=admin,
        unit=Unit.objects.get(code="BNG"),
        name="Bench",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31) - timedelta(days=EvaluationRecord.objects.values("period").distinct().count()),
    )
    type(period).objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSING)
    t = time.perf_counter()
    evaluation_snapshot_task.apply(args=[period.pk]).get()
    elapsed = time.perf_counter() - t
    return {
        "snapshot_s": round(elapsed, 1),
        "snapshot_records": EvaluationRecord.objects.filter(period=period).count(),
        "snapshot_peak_rss_mb": round(_rss_mb()),
    }


PHASES = {
    "setup": phase_setup,
    "rollup": phase_rollup,
    "dashboard": phase_dashboard,
    "filters": phase_filters,
    "staff": phase_staff,
    "csv": phase_csv,
    "snapshot": phase_snapshot,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--competencies", type=int, default=24)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "reports.md"))
    parser.add_argument("--phase", choices=list(PHASES))
    parser.add_argument("--reuse", help="JSON of the setup results: skip building the database again")
    parser.add_argument("--only", help="comma-separated phases to run (with --reuse)")
    a = parser.parse_args()
    if a.phase:
        print(json.dumps(PHASES[a.phase](a)))
        return
    results = json.loads(a.reuse) if a.reuse else {}
    env = dict(os.environ)
    for phase in PHASES:
        if phase == "setup" and a.reuse:
            continue
        if a.only and phase not in a.only.split(","):
            continue
        cmd = [
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--staff",
            str(a.staff),
            "--units",
            str(a.units),
            "--competencies",
            str(a.competencies),
            "--months",
            str(a.months),
            "--database-url",
            a.database_url,
        ]
        load = open("/proc/loadavg").read().split()[:3]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        results.setdefault("load", {})[phase] = [" ".join(load), " ".join(open("/proc/loadavg").read().split()[:3])]
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"phase {phase} failed")
        results.update(json.loads(out.stdout.strip().splitlines()[-1]))
        print(phase, results, flush=True)
    write(a, results)


def write(a, r) -> None:
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    full = a.staff >= 100_000 and a.competencies >= 24
    text = f"""# Reports benchmark

Machine: {cpu}, {os.cpu_count()} cores shared with other work while measured (load average {os.getloadavg()[0]:.1f} at the end), {mem:.0f} GB RAM; PostgreSQL, Python {platform.python_version()}.
Run: `bench/reports.py --staff {a.staff} --units {r["units"]} --competencies {a.competencies} --months {a.months}` on {date.today().isoformat()}.
{"" if full else "**Reduced size** (the full 100,000 × 24 competencies × 12 months run did not fit the time and the shared 2-core machine); re-run without options for the full size."}

Data: {a.staff:,} active staff in {r["units"]} units, {r["competencies"]} competencies each with a current score and {a.months} monthly snapshots ({a.staff * r["competencies"] * (a.months + 1):,} score rows), one assigned course each. Setup {r["setup_s"]} s.

"""
    try:
        table = f"""| measure | target | result |
|---|---|---|
| nightly roll-up of every month's snapshots per unit and position, with the year-end cells (`reports.tasks.unit_months_refresh_task`) | — | {r["rollup_rows"]:,} rows (+ {r.get("month_cells_rows", 0):,} year-end cells) in {r["rollup_s"]} s |
| roll-up of current scores per unit, position, competency and level (`reports.tasks.score_cells_refresh_task`, every 10 min) | — | {r["cells_rows"]:,} rows in {r["cells_s"]} s |
| HR dashboard, whole ministry (6 charts + tables), first request (nothing cached, charts from the roll-ups) | < 2 s | {r["dashboard_first_s"]} s |
| the same within the 5-minute chart cache | — | {r["dashboard_s"]} s |
| the same first request aggregating the 2.4 M current-score rows directly (search by name, or no roll-up yet) | — | {r["dashboard_direct_s"]} s |
| a unit's staff list, page 2 by name ({r["staff_leaf_people"]} people) | < 300 ms, constant queries | {r["staff_leaf_ms"]} ms, {r["staff_leaf_queries"]} queries |
| the same unit sorted by mean score | < 300 ms | {r["staff_leaf_score_ms"]} ms, {r["staff_leaf_score_queries"]} queries |
| the whole ministry's staff list, page 2 by name | same query count | {r["staff_ministry_ms"]} ms, {r["staff_ministry_queries"]} queries |
| the whole ministry sorted by mean score (every mean computed to sort) | — | {r["staff_ministry_score_ms"]} ms, {r["staff_ministry_score_queries"]} queries |
| CSV export of every person, streamed | peak memory < 300 MB | {r["csv_rows"]:,} rows, {r["csv_mb"]} MB in {r["csv_s"]} s, peak RSS {r["csv_peak_rss_mb"]} MB (process start {r["rss_before_mb"]} MB) |
| closing an evaluation period (Celery task) | < 5 min | {r["snapshot_records"]:,} records in {r["snapshot_s"]} s, peak RSS {r["snapshot_peak_rss_mb"]} MB |
"""
    except KeyError as missing:  # a run of some phases only (--only)
        table = f"(Phase results missing: {missing}; run every phase for the full table.)\n"
    text += table
    if "filters" in r:
        text += "\n## Every filter combination (position, area, a past year, a unit), 100 % of the page\n\n"
        text += "Cold: the chart cache cleared before the request; warm: best of three repeats within the cache.\n"
        text += f"Load average (1/5/15 min) before → after this phase: {' → '.join(r['load']['filters'])}.\n\n"
        text += "| filters | cold (target < 2 s) | warm (target < 300 ms) |\n|---|---|---|\n"
        for label, (cold, warm) in r["filters"].items():
            text += f"| {label} | {cold} s | {warm} ms |\n"
    text += (
        "\nLoad average before → after each phase: "
        + "; ".join(f"{k} {v[0]} → {v[1]}" for k, v in r.get("load", {}).items())
        + "\n"
    )
    Path(a.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
