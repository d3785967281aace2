"""Benchmark: the staff import (``manage.py import_staff``) at ministry scale.

    .venv/bin/python bench/staff_import.py                         # 100,000 rows, PostgreSQL
    .venv/bin/python bench/staff_import.py --rows 20000            # a reduced run
    .venv/bin/python bench/staff_import.py --generate staff.csv    # only write the file

Builds a throw-away database with a 300-unit tree, writes a CSV in the HR export's format (the columns
``lms.services.imports.STAFF_COLUMNS``, UTF-8 with a BOM, Vietnamese names, positions and grades, one in ten
people reading English), then times the management command, each step in the same process:
  * the first import (everyone created);
  * the same file again (nothing changes);
  * a file where one person in ten moved unit or position and one in twenty changed e-mail;
  * the same file with one bad row at the end (refused whole: nothing written, the row reported);
  * the complete export with --full and 1 % of the people missing (they are deactivated).
Writes bench/results/staff_import.md (or --out) with the load average before and after each step.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from contextlib import redirect_stderr
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/hocso_scale_import"

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Hữu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hạnh", "Hương", "Lan", "Nhung", "Phương", "Quân", "Thảo", "Việt", "Yến"]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Bí thư thứ ba", "Bí thư thứ hai", "Bí thư thứ nhất", "Tham tán"]
GRADES = ["Chuyên viên (01.003)", "Chuyên viên chính (01.002)", "Chuyên viên cao cấp (01.001)", ""]


def unit_codes(count: int) -> list[str]:
    return ["BNG"] + [f"D{i:02d}" for i in range(20)] + [f"L{i:03d}" for i in range(max(count - 21, 0))]


def staff_csv(rows: int, units: list[str], *, seed: int = 17, moved: float = 0.0, new_email: float = 0.0) -> bytes:
    """The HR export: a BOM, a header and one line per person (quoted where the csv module needs it)."""
    import csv

    from lms.services.imports import STAFF_COLUMNS

    rng = random.Random(seed)
    change = random.Random(seed + 1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STAFF_COLUMNS)
    for i in range(rows):
        name = f"{rng.choice(FAMILIES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        unit = units[1 + i % (len(units) - 1)]
        position = rng.choice(POSITIONS)
        grade = rng.choice(GRADES)
        language = "en" if i % 10 == 0 else "vi"
        email = f"nv{i:06d}@mofa.example.vn"
        if change.random() < moved:
            unit = units[1 + (i + 7) % (len(units) - 1)]
            position = POSITIONS[(POSITIONS.index(position) + 1) % len(POSITIONS)]
        if change.random() < new_email:
            email = f"nv{i:06d}.new@mofa.example.vn"
        writer.writerow([f"NV{i:06d}", name, email, unit, position, grade, language])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def setup(url: str, units: int) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from lms.services.units import unit_create

    call_command("migrate", verbosity=0)
    codes = unit_codes(units)
    with transaction.atomic():
        root = unit_create(code="BNG", kind="ministry", name_vi="Bộ Ngoại giao", name_en="Ministry", parent=None)
        depts = [
            unit_create(code=c, kind="department", name_vi=f"Vụ {c}", name_en=f"Dept {c}", parent=root)
            for c in codes[1:21]
        ]
        for n, c in enumerate(codes[21:]):
            unit_create(code=c, kind="embassy", name_vi=f"ĐSQ {c}", name_en=f"Embassy {c}", parent=depts[n % 20])


def timed(label: str, path: Path, *extra: str) -> dict:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    load_before = open("/proc/loadavg").read().split()[:3]
    out, err = io.StringIO(), io.StringIO()
    t = time.perf_counter()
    refused = None
    with redirect_stderr(err):
        try:
            call_command("import_staff", str(path), *extra, stdout=out, stderr=err)
        except CommandError as exc:
            refused = str(exc)
    elapsed = time.perf_counter() - t
    load_after = open("/proc/loadavg").read().split()[:3]
    summary = out.getvalue().strip().rsplit(": ", 1)[-1] if not refused else refused.rsplit(": ", 1)[-1]
    reported = [line.split(": ", 1)[1] for line in err.getvalue().splitlines() if ": row " in line]
    summary = summary.split(". Fix them")[0]
    row = {
        "step": label,
        "s": round(elapsed, 1),
        "summary": summary,
        "reported": reported[:3],
        "load_before": " ".join(load_before),
        "load_after": " ".join(load_after),
    }
    print(row, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "staff_import.md"))
    parser.add_argument("--generate", help="only write the HR export to this path and exit")
    a = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    if a.generate:
        import django

        django.setup()
        Path(a.generate).write_bytes(staff_csv(a.rows, unit_codes(a.units)))
        return
    t = time.perf_counter()
    setup(a.database_url, a.units)
    from django.utils import translation

    translation.activate("en")  # the per-row messages in the results, in English
    setup_s = time.perf_counter() - t
    units = unit_codes(a.units)
    from lms.models import StaffProfile

    steps = []
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp, "staff.csv")
        first.write_bytes(staff_csv(a.rows, units))
        changed = Path(tmp, "staff-changed.csv")
        changed.write_bytes(staff_csv(a.rows, units, moved=0.1, new_email=0.05))
        bad = Path(tmp, "staff-bad.csv")
        bad.write_bytes(changed.read_bytes() + "NV999999,Phạm Văn Sơn,son@x.vn,NOWHERE,,,vi\n".encode())
        missing = Path(tmp, "staff-full.csv")
        lines = changed.read_bytes().splitlines(keepends=True)
        missing.write_bytes(b"".join(line for n, line in enumerate(lines) if n == 0 or n % 100 != 50))
        steps.append(timed("first import (everyone new)", first))
        steps.append(timed("the same file again", first))
        steps.append(timed("10 % moved, 5 % new e-mail", changed))
        before = StaffProfile.objects.count(), StaffProfile.objects.filter(unit__code="L000").count()
        steps.append(timed("one bad row at the end (refused)", bad))
        after = StaffProfile.objects.count(), StaffProfile.objects.filter(unit__code="L000").count()
        assert before == after, "a refused file wrote something"
        steps.append(timed("--full, 1 % missing", missing, "--full"))
    vendor = "PostgreSQL" if a.database_url.startswith("postgres") else "SQLite"
    table = "\n".join(
        f"| {s['step']} | {s['s']} s | {round(a.rows / s['s']):,} | {s['summary']}"
        f"{' — ' + '; '.join(s['reported']) if s['reported'] else ''} | {s['load_before']} → {s['load_after']} |"
        for s in steps
    )
    text = f"""# Staff import benchmark

Run: `.venv/bin/python bench/staff_import.py --rows {a.rows} --units {a.units}` ({vendor}) on {date.today().isoformat()}.
Machine: {os.cpu_count()} cores shared with other engineers' work (load average per step below); Python {sys.version.split()[0]}.
Data: {a.rows:,} rows in the HR export's format (BOM, 7 columns, Vietnamese text), {a.units} units; setup {setup_s:.0f} s.
Each step is `manage.py import_staff <file>` (in-process `call_command`, progress bar on), wall time.

| step | time | rows/s | result | load average (1/5/15 min) before → after |
|---|---|---|---|---|
{table}
"""
    Path(a.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
