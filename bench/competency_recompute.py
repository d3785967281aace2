"""Benchmark: full competency recompute vs the raw SQL aggregation of the same evidence.

    .venv/bin/python bench/competency_recompute.py                       # 10,000 staff, 1,000,000 evidence rows
    .venv/bin/python bench/competency_recompute.py --staff 1000 --evidence 100000   # a smaller run

For each backend (PostgreSQL, SQLite) it builds a throw-away database, fills it, then in separate
processes (so peak memory belongs to the step measured) times:
  * the raw SQL aggregation of the live evidence (recency-weighted mean per person × competency, GROUP BY),
    the physical floor: no Python per row, nothing written;
  * ``scores_recompute()`` — the code path of ``manage.py recompute_competencies`` — from an empty score
    table (everything "drift") and again over the filled table (the nightly case), with peak RSS.
Writes bench/results/competency_recompute.md (or --out).
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/hocso_competency_bench"
DEFAULT_SQLITE = "/tmp/hocso_competency_bench.sqlite3"


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- phases (each in its own process)


def phase_setup(args) -> dict:
    url = args.database_url
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    _django(url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from assessments.models import Competency
    from lms.models import StaffProfile
    from lms.services.units import unit_create

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started

    started = time.perf_counter()
    rng = random.Random(42)
    with transaction.atomic():
        root = unit_create(code="ROOT", kind="ministry", name_vi="Bộ", name_en="Ministry", parent=None)
        units = [
            unit_create(code=f"U{i:03d}", kind="department", name_vi=f"Vụ {i}", name_en=f"Dept {i}", parent=root)
            for i in range(50)
        ]
    with connection.cursor() as cur:
        now = datetime.now(UTC)
        users = [(f"bench{i}", "!", False, False, True, now, "", "", f"bench{i}@example.vn") for i in range(args.staff)]
        cur.executemany(
            "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, date_joined,"
            " first_name, last_name, email) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            users,
        )
    user_ids = dict(
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.filter(username__startswith="bench")
        .values_list("username", "pk")
    )
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user_id=user_ids[f"bench{i}"],
                employee_number=f"B{i:06d}",
                full_name=f"Cán bộ {i}",
                unit=units[i % len(units)],
                position="Chuyên viên",
                is_active=i % 50 != 0,
            )
            for i in range(args.staff)
        ],
        batch_size=5000,
    )
    people = list(StaffProfile.objects.values_list("pk", flat=True))
    comps = list(Competency.objects.filter(framework__code="VN-DCF").values_list("pk", flat=True))
    people_s = time.perf_counter() - started

    started = time.perf_counter()
    per_person = args.evidence // len(people)
    sources = ["quiz", "quiz", "quiz", "h5p", "manual"]
    columns = (
        "person_id, competency_id, score, weight, source, source_ref, self_reported, note, recorded_at,"
        " created_at, superseded_at"
    )

    def rows():
        n = 0
        for person in people:
            count = per_person + (1 if n < args.evidence - per_person * len(people) else 0)
            for _ in range(count):
                n += 1
                when = now - timedelta(seconds=rng.randint(0, 730 * 86400))
                source = sources[n % 5]
                superseded = now if n % 50 == 0 else None
                yield (
                    person,
                    comps[rng.randrange(len(comps))],
                    round(rng.random(), 3),
                    (0.5, 1.0, 1.0)[n % 3],
                    source,
                    f"bench:{n}",
                    source == "h5p" and n % 2 == 0,
                    "",
                    when,
                    now,
                    superseded,
                )

    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.cursor.copy(f"COPY assessments_evidence ({columns}) FROM STDIN") as copy:
            for row in rows():
                copy.write_row(row)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    else:
        batch = []
        sql = f"INSERT INTO assessments_evidence ({columns}) VALUES ({', '.join(['%s'] * 11)})"
        with transaction.atomic(), connection.cursor() as cur:
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
    evidence_s = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM assessments_evidence")
        total = cur.fetchone()[0]
    return {
        "vendor": connection.vendor,
        "migrate_s": migrate_s,
        "people_s": people_s,
        "evidence_s": evidence_s,
        "staff": len(people),
        "evidence": total,
    }


RAW_PG = """
SELECT person_id, competency_id, SUM(w * score) / SUM(w), COUNT(*)
FROM (
  SELECT person_id, competency_id, score,
         weight * CASE WHEN self_reported THEN 0.5 ELSE 1 END
         * power(0.5, EXTRACT(EPOCH FROM (%s - recorded_at)) / 86400.0 / 365.0) AS w
  FROM assessments_evidence WHERE superseded_at IS NULL
) e
GROUP BY person_id, competency_id
"""
RAW_SQLITE = """
SELECT person_id, competency_id, SUM(w * score) / SUM(w), COUNT(*)
FROM (
  SELECT person_id, competency_id, score,
         weight * CASE WHEN self_reported THEN 0.5 ELSE 1 END
         * pow(0.5, (julianday(%s) - julianday(recorded_at)) / 365.0) AS w
  FROM assessments_evidence WHERE superseded_at IS NULL
) e
GROUP BY person_id, competency_id
"""


def phase_raw(args) -> dict:
    _django(args.database_url)
    from django.db import connection

    now = datetime.now(UTC)
    sql = RAW_PG if connection.vendor == "postgresql" else RAW_SQLITE
    param = now if connection.vendor == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S")
    rss_before = _rss_mb()
    started = time.perf_counter()
    pairs = 0
    with connection.cursor() as cur:
        cur.execute(sql, [param])
        while batch := cur.fetchmany(10_000):
            pairs += len(batch)
    return {"raw_s": time.perf_counter() - started, "raw_pairs": pairs, "raw_rss_mb": _rss_mb(), "base_mb": rss_before}


def phase_recompute(args) -> dict:
    _django(args.database_url)
    from assessments.models import CompetencyScore
    from assessments.services.scores import scores_recompute

    if args.empty:
        CompetencyScore.objects.all().delete()
    rss_before = _rss_mb()
    started = time.perf_counter()
    report = scores_recompute(chunk_size=args.chunk_size)
    return {
        "seconds": time.perf_counter() - started,
        "base_mb": rss_before,
        "peak_mb": _rss_mb(),
        "people": report.people,
        "evidence_rows": report.evidence_rows,
        "scores": report.scores_checked,
        "written": report.scores_written,
        "drift": report.drift,
    }


# ---------------------------------------------------------------- driver


def _child(phase: str, url: str, args, *extra) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--database-url", url, "--staff", str(args.staff)]
    cmd += ["--evidence", str(args.evidence), "--chunk-size", str(args.chunk_size), *extra]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--evidence", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--sqlite", default=DEFAULT_SQLITE)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "competency_recompute.md"))
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark databases afterwards.")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--empty", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        result = {"setup": phase_setup, "raw": phase_raw, "recompute": phase_recompute}[args.phase](args)
        print(json.dumps(result))
        return

    results = {}
    for backend in args.backends.split(","):
        url = args.pg_url if backend == "postgres" else f"sqlite:///{args.sqlite}"
        print(f"[{backend}] building {args.staff} staff and {args.evidence} evidence rows…", flush=True)
        setup = _child("setup", url, args)
        print(f"[{backend}] raw SQL aggregation…", flush=True)
        raw = _child("raw", url, args)
        print(f"[{backend}] full recompute from an empty score table…", flush=True)
        cold = _child("recompute", url, args, "--empty")
        print(f"[{backend}] full recompute over current scores (nightly)…", flush=True)
        warm = _child("recompute", url, args)
        results[backend] = {"setup": setup, "raw": raw, "cold": cold, "warm": warm}
        print(json.dumps(results[backend], indent=1), flush=True)
        if not args.keep:
            _drop(url)
    _write(args, results)
    print(f"Wrote {args.out}")


def _drop(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def _write(args, results: dict) -> None:
    lines = [
        "# Competency recompute benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPU(s) shared with other work; "
        f"`python bench/competency_recompute.py --staff {args.staff} --evidence {args.evidence} "
        f"--chunk-size {args.chunk_size}`.",
        "",
        "Data: staff spread over 50 units (2 % inactive); evidence on the 24 competencies of VN-DCF over two years,"
        " 2 % superseded, a fifth from H5P (half of those self-reported).",
        "",
        "| backend | evidence rows | score rows | raw SQL aggregation | full recompute (empty table) | ratio |"
        " nightly recompute (filled table) | ratio | peak RSS (recompute) | RSS before |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results.values():
        raw = r["raw"]["raw_s"]
        lines.append(
            f"| {r['setup']['vendor']} | {r['setup']['evidence']:,} | {r['cold']['scores']:,} | {raw:.1f} s |"
            f" {r['cold']['seconds']:.1f} s | {r['cold']['seconds'] / raw:.1f}× | {r['warm']['seconds']:.1f} s |"
            f" {r['warm']['seconds'] / raw:.1f}× | {r['cold']['peak_mb']:.0f} MB | {r['cold']['base_mb']:.0f} MB |"
        )
    lines += [
        "",
        "Drift reported: empty table → every score counted as missing (expected); filled table → "
        + ", ".join(f"{b}: {r['warm']['drift']}" for b, r in results.items())
        + " (expected 0).",
        "",
        "Setup times (not part of the measurement): "
        + "; ".join(
            f"{b}: migrate {r['setup']['migrate_s']:.0f} s, people {r['setup']['people_s']:.0f} s,"
            f" evidence {r['setup']['evidence_s']:.0f} s"
            for b, r in results.items()
        ),
        "",
        "Raw JSON:",
        "",
        "```json",
        json.dumps(results, indent=1),
        "```",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
