"""Forwarding stored statements to an external LRS (the ministry's data-exchange platform).

Statements go in the order they were stored (primary key), in batches of ``XAPI_FORWARD_BATCH``,
optionally only those about activities under ``XAPI_FORWARD_ACTIVITY_PREFIXES``. One forwarder at a
time (a row lock taken with SKIP LOCKED), so the order holds whatever the number of workers.

- Accepted (2xx): the cursor moves past the batch.
- Not reachable, 5xx, 408, 429, 401, 403 (the platform is away or our configuration is wrong): nothing
  moves; the task tries again with exponential backoff (``backoff_seconds``), and beat every minute.
- Any other 4xx: the platform refuses something in the batch. The batch is sent again one statement
  at a time; each refused statement becomes a ``DeadLetter`` (listed in the admin, with replay), the
  others go through, and the cursor moves on.

Statements are sent as stored (with a ``timestamp``); the receiving LRS sets its own ``stored`` and
``authority``. This is the only module that talks HTTP to the external LRS (``requests``).
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .. import formats
from ..models import DeadLetter, ForwardingState, Statement

logger = logging.getLogger(__name__)

IDLE, SENT, TRANSIENT, BUSY = "idle", "sent", "transient", "busy"
QUEUED_FLAG = "xapi:forward-queued"
TRANSIENT_STATUSES = frozenset({401, 403, 408, 425, 429})


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer at all (connection refused, timeout)
    text: str

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def transient(self) -> bool:
        return self.status is None or self.status >= 500 or self.status in TRANSIENT_STATUSES


def enabled() -> bool:
    return bool(settings.XAPI_FORWARD_URL)


def forward_soon() -> None:
    """Queue the forwarder (after the statements' transaction commits), at most once per few seconds."""
    if not enabled():
        return
    if cache.add(QUEUED_FLAG, 1, timeout=10):
        from ..tasks import statements_forward_task

        try:
            statements_forward_task.delay()
        except Exception:  # the broker is away: beat sweeps every minute
            logger.warning("xAPI forwarding could not be queued; beat will pick it up", exc_info=True)


def backoff_seconds(attempts: int) -> float:
    """5 s, 10 s, 20 s ... up to 10 minutes, with jitter so that workers do not retry together."""
    base = min(600.0, 5.0 * 2 ** max(0, attempts - 1))
    return base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security


def _post(statements: list[dict]) -> Answer:
    import requests

    url = settings.XAPI_FORWARD_URL.rstrip("/") + "/statements"
    try:
        response = requests.post(
            url,
            json=statements,
            auth=(settings.XAPI_FORWARD_KEY, settings.XAPI_FORWARD_SECRET),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=settings.XAPI_FORWARD_TIMEOUT,
        )
    except requests.RequestException as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:1000])
    return Answer(response.status_code, response.text[:1000])


def _payload(row: dict) -> dict:
    statement = dict(row["raw"])
    statement.setdefault("timestamp", formats.iso(row["stored"]))
    return statement


def _wanted(row: dict) -> bool:
    prefixes = settings.XAPI_FORWARD_ACTIVITY_PREFIXES
    if not prefixes:
        return True
    obj = row["raw"].get("object")
    iri = obj.get("id") if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity" else None
    return isinstance(iri, str) and iri.startswith(tuple(prefixes))


def _state() -> ForwardingState | None:
    """The forwarding row, locked for this transaction; None while another forwarder holds it."""
    ForwardingState.objects.get_or_create(pk=1)
    return ForwardingState.objects.select_for_update(skip_locked=True).filter(pk=1).first()


@transaction.atomic
def statements_forward_batch() -> str:
    """Send the next batch; ``SENT`` (more may follow), ``IDLE``, ``TRANSIENT`` or ``BUSY``."""
    state = _state()
    if state is None:
        return BUSY
    rows = list(
        Statement.objects.filter(pk__gt=state.last_pk)
        .order_by("pk")
        .values("pk", "statement_id", "raw", "stored")[: settings.XAPI_FORWARD_BATCH]
    )
    if not rows:
        return IDLE
    wanted = [row for row in rows if _wanted(row)]
    now = timezone.now()
    if wanted:
        answer = _post([_payload(row) for row in wanted])
        if answer.transient:
            return _failed(state, answer)
        if not answer.accepted:
            logger.warning("External LRS refused a batch (%s): sending one by one", answer.status)
            for position, row in enumerate(wanted):
                single = _post([_payload(row)])
                if single.transient:
                    if position:
                        state.last_pk = wanted[position - 1]["pk"]
                    return _failed(state, single)
                if not single.accepted:
                    DeadLetter.objects.create(statement_id=row["pk"], status=single.status, error=single.text)
        state.last_success_at = now
    state.last_pk = rows[-1]["pk"]
    state.attempts = 0
    state.last_error = ""
    state.save()
    return SENT


def _failed(state: ForwardingState, answer: Answer) -> str:
    state.attempts += 1
    state.last_error = f"{answer.status or 'no answer'}: {answer.text}"[:2000]
    state.save()
    logger.warning("xAPI forwarding failed (try %d): %s", state.attempts, state.last_error)
    return TRANSIENT


def statements_forward(*, max_seconds: float = 50.0) -> str:
    """Forward batch after batch until nothing is left, a failure, or ``max_seconds``."""
    if not enabled():
        return IDLE
    deadline = time.monotonic() + max_seconds
    outcome = SENT
    while outcome == SENT and time.monotonic() < deadline:
        outcome = statements_forward_batch()
    return outcome


def forwarding_attempts() -> int:
    return ForwardingState.objects.filter(pk=1).values_list("attempts", flat=True).first() or 0


def dead_letters_replay(*, ids: list[int]) -> tuple[int, int]:
    """Send the given open dead letters again, one by one; (replayed, still refused)."""
    letters = list(
        DeadLetter.objects.filter(pk__in=ids, replayed_at__isnull=True)
        .select_related("statement")
        .order_by("statement_id")
    )
    done = failed = 0
    for letter in letters:
        row = {"raw": letter.statement.raw, "stored": letter.statement.stored}
        answer = _post([_payload(row)])
        if answer.accepted:
            letter.replayed_at = timezone.now()
            done += 1
        else:
            letter.status, letter.error = answer.status, answer.text
            failed += 1
        letter.save(update_fields=["replayed_at", "status", "error"])
    return done, failed
