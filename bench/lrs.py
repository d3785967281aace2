"""The learning record store through its HTTP endpoint with Basic credentials, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso_lrs_bench .venv/bin/python bench/lrs.py

1. Statement POST: --concurrency clients POST one statement each (fresh ids, the spec's and the
   conformance templates' statements in turn) to /xapi/statements with HTTP Basic, next to the bare
   view with the same headers in the same run (gunicorn, --workers sync workers).
2. GET filtered by agent and activity over --store statements (bulk-loaded through the store's own
   batch insert: --agents agents x --activities activities), random pairs, page of 25.
3. Forwarding: the forwarder sends --forward statements to a local external LRS (a bare HTTP server
   answering 200) in batches; statements forwarded per second.
Results go to bench/results/lrs.md with the run conditions (load average included).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import random
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _load  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
PORT = 8771
TESTDATA = Path(os.environ.get("HOCSO_TESTDATA", ROOT.parent / "shared" / "testdata"))
if not TESTDATA.is_dir():
    TESTDATA = ROOT.parent.parent / "shared" / "testdata"


def fresh_database() -> None:
    import psycopg

    base, name = os.environ["DATABASE_URL"].rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def bodies() -> list[dict]:
    """Real statements: the spec's complete examples and the conformance templates' default statement."""
    found = []
    for path in sorted((TESTDATA / "xapi" / "xapi-spec-1.0.3-examples").glob("*-statement-*.json")):
        s = json.loads(path.read_text())
        if "attachments" in s or s.get("verb", {}).get("id", "").endswith("/voided"):
            continue
        found.append(s)
    found.append(
        json.loads((TESTDATA / "xapi" / "lrs-conformance-templates-v2_0" / "statements" / "default.json").read_text())
    )
    return found


def bulk_load(total: int, agents: int, activities: int) -> float:
    """``total`` statements through ``statements_insert`` in batches; seconds taken."""
    from django.db import transaction
    from django.utils import timezone

    from assessments.xapi.services.store import NewStatement, statements_insert

    start = time.perf_counter()
    batch = 5000
    rng = random.Random(7)
    for first in range(0, total, batch):
        items = []
        for _n in range(first, min(total, first + batch)):
            items.append(
                NewStatement(
                    statement={
                        "id": str(uuid.uuid4()),
                        "actor": {"objectType": "Agent", "mbox": f"mailto:agent{rng.randrange(agents)}@bench.example"},
                        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                        "object": {"id": f"https://bench.example/activity/{rng.randrange(activities)}"},
                        "result": {"score": {"scaled": rng.random()}},
                    }
                )
            )
        with transaction.atomic():
            statements_insert(items, stored=timezone.now())
        if first and first % 100_000 == 0:
            print(f"  loaded {first} statements ({time.perf_counter() - start:.0f} s)", flush=True)
    return time.perf_counter() - start


class Sink:
    """The external LRS for the forwarding run: answers 200 to every POST and counts statements."""

    def __init__(self):
        self.count = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.count += len(body)
                payload = json.dumps([s["id"] for s in body]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=1600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--store", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--forward", type=int, default=20_000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "lrs.md"))
    args = parser.parse_args()
    if not args.keep_db:
        fresh_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from assessments.xapi.models import CredentialScope, ForwardingState, Statement
    from assessments.xapi.services.credentials import credential_issue

    call_command("migrate", verbosity=0, interactive=False)
    issued = credential_issue(name="bench", scope=CredentialScope.READ_OWN, issued_by=None)
    auth = "Basic " + base64.b64encode(f"{issued.credential.key}:{issued.secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    samples = bodies()
    load_before = os.getloadavg()

    def post(conn, index, n):
        body = json.dumps(dict(samples[n % len(samples)], id=str(uuid.uuid4())))
        conn.request("POST", _path[0], body=body, headers=headers)
        return conn.getresponse()

    _path = ["/bench/bare-post/"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = _load.start_server(port=PORT, workers=args.workers, env=env)
    try:
        _path[0] = "/xapi/statements"
        _load.hammer(port=PORT, path="/xapi/statements", total=80, concurrency=4, send=post)  # warm up
        _path[0] = "/bench/bare-post/"
        bare = _load.hammer(
            port=PORT, path="/bench/bare-post/", total=args.statements, concurrency=args.concurrency, send=post
        )
        _path[0] = "/xapi/statements"
        before = Statement.objects.count()
        ingest = _load.hammer(
            port=PORT, path="/xapi/statements", total=args.statements, concurrency=args.concurrency, send=post
        )
        stored = Statement.objects.count() - before
        load_during = os.getloadavg()

        print(f"POST: {ingest['rps']:.0f}/s p95 {ingest['p95_ms']:.1f} ms; loading {args.store} statements", flush=True)
        own = Statement.objects.count()
        load_seconds = bulk_load(args.store, args.agents, args.activities)
        # The bulk load is another tool's: give it to the bench credential so it may read it.
        Statement.objects.filter(credential__isnull=True).update(credential=issued.credential)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE xapi_statement")
            cursor.execute("VACUUM ANALYZE xapi_statementrelation")
        total = Statement.objects.count()
        rng = random.Random(11)

        def query(conn, index, n):
            agent = json.dumps({"mbox": f"mailto:agent{rng.randrange(args.agents)}@bench.example"})
            params = urlencode(
                {
                    "agent": agent,
                    "activity": f"https://bench.example/activity/{rng.randrange(args.activities)}",
                    "limit": 25,
                }
            )
            conn.request("GET", f"/xapi/statements?{params}", headers=headers)
            return conn.getresponse()

        reads = _load.hammer(
            port=PORT, path="/xapi/statements?agent&activity", total=args.queries, concurrency=4, send=query
        )
        load_reads = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)

    # Forwarding: everything after the first --forward statements is marked as sent already.
    from assessments.xapi.services import forwarding

    sink = Sink()
    settings.XAPI_FORWARD_URL = sink.url
    first_pk = Statement.objects.order_by("pk").values_list("pk", flat=True).first()
    ForwardingState.objects.update_or_create(pk=1, defaults={"last_pk": first_pk - 1, "attempts": 0})
    last_pk = Statement.objects.order_by("pk").values_list("pk", flat=True)[args.forward - 1]
    start = time.perf_counter()
    while ForwardingState.objects.get(pk=1).last_pk < last_pk:
        forwarding.statements_forward_batch()
    forward_seconds = time.perf_counter() - start
    forward_rate = sink.count / forward_seconds

    post_rate = min(ingest["rps"], stored / (ingest["requests"] / ingest["rps"]))
    post_met = post_rate >= 300 and ingest["p95_ms"] < 100 and not ingest["errors"]
    get_met = reads["p95_ms"] < 200 and not reads["errors"]
    lines = [
        "# LRS benchmark: statements through /xapi/ with HTTP Basic credentials",
        "",
        f"Run `{' '.join(['bench/lrs.py', *sys.argv[1:]])}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{platform.node()}, {os.cpu_count()} cores shared with other jobs (load average before "
        f"{load_before[0]:.2f}, during the POST run {load_during[0]:.2f}, during the reads {load_reads[0]:.2f}), "
        f"Python {platform.python_version()}, database {connection.vendor} ({connection.settings_dict['NAME']}), "
        f"gunicorn {args.workers} sync workers, {args.concurrency} concurrent clients for POST, 4 for GET.",
        "",
        f"POST: one statement per request, the {len(samples)} real statements of the test material in turn (the"
        " xAPI 1.0.3 specification's complete examples and the conformance templates' default), each with a fresh"
        " id; the request authenticates the credential (one query), validates, matches the actor to an officer"
        " (one query when the actor names an e-mail address), checks the id, inserts the statement and its"
        " relations and keeps the activity's definition, in one transaction. The bare view gets the same requests"
        " through the same middleware and does nothing.",
        "",
        "| endpoint | requests | errors | requests/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for row in (bare, ingest):
        lines.append(
            f"| `POST {row['path']}` | {row['requests']} | {row['errors']} {row['error_codes'] or ''} | "
            f"{row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} |"
        )
    lines += [
        "",
        f"Stored: {stored} statements, **{post_rate:.0f} statements/s**. Target ≥ 300 statements/s with p95 < 100 ms: "
        + ("**met**." if post_met else "**not met**."),
        "",
        f"GET filtered by agent and activity (`agent`, `activity`, `limit=25`, random pairs of {args.agents} agents"
        f" and {args.activities} activities) over {total:,} statements ({own:,} from the POST run, {args.store:,}"
        f" bulk-loaded through the store's batch insert in {load_seconds:.0f} s):",
        "",
        "| query | requests | errors | requests/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
        f"| `GET /xapi/statements?agent=…&activity=…` | {reads['requests']} | {reads['errors']} {reads['error_codes'] or ''} | "
        f"{reads['rps']:.0f} | {reads['p50_ms']:.1f} | {reads['p95_ms']:.1f} |",
        "",
        "Target p95 < 200 ms over 1,000,000 statements: "
        + (
            ("**met**." if get_met else "**not met**.")
            if total >= 1_000_000
            else f"(only {total:,} statements loaded)."
        )
        + " Each page is the credential, one indexed query for the matching statements (the activity column's"
        " index and the relation index on the agent's key) and one for statements referring to them, both"
        " ordered and limited.",
        "",
        f"Forwarding: {sink.count} statements sent to a local external LRS (an HTTP server answering 200) in"
        f" batches of {settings.XAPI_FORWARD_BATCH} in {forward_seconds:.1f} s: **{forward_rate:.0f} statements/s**,"
        f" {'faster than' if forward_rate >= post_rate else 'slower than'} the intake measured above"
        f" ({post_rate:.0f}/s): forwarding {'keeps up' if forward_rate >= post_rate else 'does not keep up'}.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
