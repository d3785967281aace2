"""Forwarding to an external LRS: a real second HTTP server, started here, receives the statements."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assessments.xapi.models import DeadLetter, ForwardingState
from assessments.xapi.services import forwarding

from .lrs_helpers import SPEC_DIR, issue, load, statement

pytestmark = pytest.mark.django_db


class ExternalLRS:
    """A minimal LRS: records each POST (credentials, version header, statements); can be told to
    answer 503 for the next n requests, or 400 for statements with a given verb."""

    def __init__(self):
        self.requests: list[dict] = []
        self.fail_next = 0
        self.refuse_verb: str | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "version": self.headers.get("X-Experience-API-Version"),
                        "statements": body,
                    }
                )
                if outer.fail_next:
                    outer.fail_next -= 1
                    return self._answer(503, {"error": "maintenance"})
                if outer.refuse_verb and any(s["verb"]["id"] == outer.refuse_verb for s in body):
                    return self._answer(400, {"error": "refused verb"})
                outer.accepted.extend(body)
                return self._answer(200, [s["id"] for s in body])

            def _answer(self, status, data):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.accepted: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi/"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def external(settings):
    server = ExternalLRS()
    settings.XAPI_FORWARD_URL = server.url
    settings.XAPI_FORWARD_KEY = "hocso"
    settings.XAPI_FORWARD_SECRET = "s3cret"
    settings.XAPI_FORWARD_BATCH = 3
    yield server
    server.stop()


def test_forwards_in_order_in_batches_with_credentials(external):
    _issued, lrs = issue()
    ids = [lrs.post("statements", statement()).json()[0] for _ in range(7)]
    assert forwarding.statements_forward() == forwarding.IDLE
    assert [s["id"] for s in external.accepted] == ids
    assert [len(r["statements"]) for r in external.requests] == [3, 3, 1]
    first = external.requests[0]
    assert first["path"] == "/xapi/statements"
    assert first["version"] == "1.0.3"
    assert first["auth"] == "Basic " + base64.b64encode(b"hocso:s3cret").decode()
    assert all("timestamp" in s and "stored" not in s for s in external.accepted)
    assert forwarding.statements_forward() == forwarding.IDLE  # nothing sent twice
    assert len(external.accepted) == 7


def test_the_platform_away_retries_later_without_losing_order(external):
    _issued, lrs = issue()
    ids = [lrs.post("statements", statement()).json()[0] for _ in range(4)]
    external.fail_next = 2
    assert forwarding.statements_forward() == forwarding.TRANSIENT
    assert ForwardingState.objects.get().attempts == 1
    assert ForwardingState.objects.get().last_error.startswith("503")
    assert forwarding.statements_forward() == forwarding.TRANSIENT
    assert forwarding.statements_forward() == forwarding.IDLE
    assert [s["id"] for s in external.accepted] == ids
    assert ForwardingState.objects.get().attempts == 0
    assert 4 <= forwarding.backoff_seconds(1) <= 6 and forwarding.backoff_seconds(20) <= 720


def test_no_server_at_all_is_transient(settings):
    settings.XAPI_FORWARD_URL = "http://127.0.0.1:9/xapi/"  # discard port: nothing listens
    settings.XAPI_FORWARD_TIMEOUT = 2
    _issued, lrs = issue()
    lrs.post("statements", statement())
    assert forwarding.statements_forward() == forwarding.TRANSIENT
    assert ForwardingState.objects.get().last_pk == 0


def test_refused_statements_become_dead_letters_and_replay(external, client):
    from tests.factories import make_admin

    _issued, lrs = issue()
    refused = "http://adlnet.gov/expapi/verbs/failed"
    external.refuse_verb = refused
    ok1 = lrs.post("statements", statement()).json()[0]
    bad = lrs.post("statements", statement(verb={"id": refused})).json()[0]
    ok2 = lrs.post("statements", statement()).json()[0]
    assert forwarding.statements_forward() == forwarding.IDLE
    assert [s["id"] for s in external.accepted] == [ok1, ok2]
    letter = DeadLetter.objects.get()
    assert str(letter.statement.statement_id) == bad and letter.status == 400
    client.force_login(make_admin())
    page = client.get("/admin/lrs/forwarding/")
    assert page.status_code == 200 and bad in page.content.decode()
    external.refuse_verb = None  # the platform learned the verb
    response = client.post("/admin/lrs/forwarding/", {"letter": [letter.pk]})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.replayed_at is not None
    assert [s["id"] for s in external.accepted][-1] == bad


def test_only_statements_under_the_prefixes(external, settings):
    settings.XAPI_FORWARD_ACTIVITY_PREFIXES = ["https://ministry.example/"]
    _issued, lrs = issue()
    lrs.post("statements", statement())
    wanted = lrs.post("statements", statement(object={"id": "https://ministry.example/course/1"})).json()[0]
    forwarding.statements_forward()
    assert [s["id"] for s in external.accepted] == [wanted]


@pytest.mark.testdata
def test_stored_statements_queue_the_forwarder_on_commit(external, django_capture_on_commit_callbacks):
    _issued, lrs = issue()
    with django_capture_on_commit_callbacks(execute=True):
        sid = lrs.post("statements", load(SPEC_DIR / "08-statement-appendix-a-simple-attempted.json")).json()[0]
    assert [s["id"] for s in external.accepted] == [sid]
