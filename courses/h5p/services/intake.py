"""Where accepted statements go: straight to the database, or through a Redis stream.

``statements_accept`` is what the xAPI view calls with validated entries.

- Without ``H5P_XAPI_QUEUE_URL`` (the embedded demo, the tests) it stores them in the request,
  all or nothing, and a replay, a conflict or a full attempt is answered at once.
- With it (production, with Redis) the request only checks and queues. One Lua script per
  request answers a replay (the same statement again: a no-op) or a conflict (409) from a
  per-id digest kept ``H5P_XAPI_ID_TTL`` seconds, and appends the entries to a Redis stream.
  ``statements_drain`` (a Celery task, queued by the first statement after an idle spell and
  swept every minute by beat) writes the stream in batches with ``statements_store``: a few
  queries per batch instead of several per statement, which is what lets two cores take several
  hundred statements a second.

What the queue changes for the sender (and why it is acceptable for H5P): the attempt and the
competency evidence follow a moment later; a conflict with a statement older than the digest's
lifetime, a statement beyond the per-attempt bound, or one about an activity deleted meanwhile is
not refused to the sender but dropped and logged by the writer (the database keeps the first
statement with each id either way). Entries survive a worker crash: they stay pending in the
stream's consumer group until a writer acknowledges them after its transaction commits.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from functools import lru_cache

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from ..errors import StatementError
from .statements import CONFLICT, GONE, LIMIT, Entry, conflict_error, statements_store

logger = logging.getLogger(__name__)

STREAM = "hocso:xapi:statements"
GROUP = "writers"
CONSUMER = "writer"  # one writer at a time (the lock), so one consumer name: its pending list is the backlog
DRAIN_QUEUED = "hocso:xapi:drain-queued"
DRAIN_LOCK = "hocso:xapi:drain-lock"
DEAD_LETTERS = "hocso:xapi:dead"  # entries the writer could not store even one by one, kept for a person to read
ID_KEY = "hocso:xapi:id:"
LOCK_MS = 120_000
QUEUED_MS = 30_000
READ_COUNT = 100  # stream messages per batch (a message holds one request's statements)

# KEYS: one id key per entry, the stream, the "drain queued" flag. ARGV: the digests' lifetime, the
# payload, the stream's bound, then one digest per entry. Returns -i when entry i's id names another
# statement, 0 when every entry is a replay, 1 when queued, 2 when queued and nobody has queued the
# writer yet, 3 when the stream is full (the writer is far behind: the sender tries again later).
ACCEPT_LUA = (
    """
local n = #KEYS - 2
if redis.call('XLEN', KEYS[n + 1]) >= tonumber(ARGV[3]) then return 3 end
for i = 1, n do
  local known = redis.call('GET', KEYS[i])
  if known and known ~= ARGV[i + 3] then return -i end
end
local fresh = 0
for i = 1, n do
  if redis.call('SET', KEYS[i], ARGV[i + 3], 'NX', 'EX', ARGV[1]) then fresh = fresh + 1 end
end
if fresh == 0 then return 0 end
redis.call('XADD', KEYS[n + 1], '*', 'e', ARGV[2])
if redis.call('SET', KEYS[n + 2], '1', 'NX', 'PX', %d) then return 2 end
return 1
"""
    % QUEUED_MS
)

RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# A lock left by a writer of an earlier Redis process (restored from the append-only file after a restart:
# that writer's connection died with the old process) is taken over at once instead of blocking every writer
# until it expires. Its value names the Redis run it was taken in; ARGV: the stale value seen, the new value,
# the lease. 1 when taken over.
TAKEOVER_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""

# The writer's lock, renewed only by its holder: 0 when it was lost (expired and taken by another).
RENEW_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def queue_url() -> str | None:
    return getattr(settings, "H5P_XAPI_QUEUE_URL", None) or None


@lru_cache(maxsize=4)
def _redis(url: str):
    """One client (and connection pool) per process and URL."""
    import redis

    client = redis.Redis.from_url(url)
    return client, {
        "accept": client.register_script(ACCEPT_LUA),
        "release": client.register_script(RELEASE_LUA),
        "renew": client.register_script(RENEW_LUA),
        "takeover": client.register_script(TAKEOVER_LUA),
    }


def statements_accept(entries: list[Entry]) -> list[str]:
    """Store or queue validated ``entries`` (one request's, all or nothing); their ids in order.
    Raises ``StatementError`` (409 conflict; 403 in direct mode for a full attempt or a deleted activity)."""
    url = queue_url()
    if not url:
        return [recorded.statement_id for recorded in statements_store(entries, strict=True)]
    digests: dict[str, str] = {}
    for entry in entries:  # the same id twice in one request must be the same statement
        digest = entry.digest
        if digests.setdefault(entry.statement_id, digest) != digest:
            raise conflict_error()
    import redis

    client, scripts = _redis(url)
    ids = list(digests)
    payload = json.dumps([entry.to_json() for entry in entries], separators=(",", ":"))
    try:
        answer = scripts["accept"](
            keys=[ID_KEY + i for i in ids] + [STREAM, DRAIN_QUEUED],
            args=[settings.H5P_XAPI_ID_TTL, payload, settings.H5P_XAPI_QUEUE_MAX, *digests.values()],
        )
    except redis.RedisError as exc:  # nothing was queued: the sender keeps the statements and tries again
        logger.error("xAPI queue unavailable: %s", exc)
        raise _unavailable("unavailable") from exc
    if answer < 0:
        raise conflict_error()
    if answer == 3:
        logger.error("xAPI queue full (%s messages): refused until the writer catches up", settings.H5P_XAPI_QUEUE_MAX)
        raise _unavailable("busy")
    if answer == 2:
        from kombu.exceptions import OperationalError as BrokerUnavailable

        from ..tasks import statements_drain_task

        try:
            statements_drain_task.delay()
        except (BrokerUnavailable, redis.RedisError) as exc:
            # The statements are queued (and acknowledged): beat's sweep starts the writer within a minute.
            logger.warning("xAPI writer not queued (%s); the periodic sweep will start it", exc)
    return [entry.statement_id for entry in entries]


def _unavailable(code: str) -> StatementError:
    return StatementError(
        _("Results cannot be received just now; they will be sent again shortly."), status=503, code=code
    )


def statements_drain(*, max_seconds: float = 60.0) -> int:
    """Write what the stream holds, batch by batch, until it is empty or ``max_seconds`` have passed
    (then the task queues itself again, so other tasks get the worker in between). Returns the
    number of statements handled. Only one writer runs at a time: statements must be filed in the
    order they arrived."""
    url = queue_url()
    if not url:
        return 0
    client, scripts = _redis(url)
    _ensure_group(client)
    handled = 0
    deadline = time.monotonic() + max_seconds
    while True:
        token = _lock_token(client)
        if not client.set(DRAIN_LOCK, token, nx=True, px=LOCK_MS) and not _take_over_stale_lock(client, scripts, token):
            return handled  # the writer at work re-checks the stream before it stops
        try:
            more = True
            while more and time.monotonic() < deadline:
                handled, more = handled + _drain_batch(client), _has_backlog(client)
                if not scripts["renew"](keys=[DRAIN_LOCK], args=[token, LOCK_MS]):
                    logger.error("xAPI writer lost its lock (a batch took over %d s); stopping", LOCK_MS // 1000)
                    return handled
        finally:
            scripts["release"](keys=[DRAIN_LOCK], args=[token])
        if more:  # out of time: queue the writer again behind whatever else is waiting
            from ..tasks import statements_drain_task

            statements_drain_task.delay()
            return handled
        client.delete(DRAIN_QUEUED)
        # A request that queued entries while the flag was still up did not queue a writer: look
        # again after taking the flag down (a request after it queues its own writer).
        if not _has_backlog(client):
            return handled


def _lock_token(client) -> str:
    """The lock's value: this Redis process's run id (it changes at every restart) and a random part."""
    return f"{client.info('server')['run_id']}:{uuid.uuid4().hex}"


def _take_over_stale_lock(client, scripts, token: str) -> bool:
    """Take the lock when it was taken under an earlier Redis run: its holder is gone with that run."""
    held = client.get(DRAIN_LOCK)
    if held is None:
        return bool(client.set(DRAIN_LOCK, token, nx=True, px=LOCK_MS))
    run_id = token.split(":", 1)[0]
    if held.decode(errors="replace").split(":", 1)[0] == run_id:
        return False  # a writer of this run holds it
    logger.warning("xAPI writer lock left from an earlier Redis run; taking it over")
    return bool(scripts["takeover"](keys=[DRAIN_LOCK], args=[held, token, LOCK_MS]))


def _ensure_group(client) -> None:
    import redis

    try:
        client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _has_backlog(client) -> bool:
    """Entries not yet delivered to the writer, or delivered and not acknowledged."""
    groups = {g["name"].decode(): g for g in client.xinfo_groups(STREAM)}
    group = groups.get(GROUP)
    if group is None:
        return False
    last = client.xinfo_stream(STREAM)["last-generated-id"]
    return group["pending"] > 0 or _stream_id(group["last-delivered-id"]) < _stream_id(last)


def _stream_id(value) -> tuple[int, int]:
    text = value.decode() if isinstance(value, bytes) else str(value)
    ms, _sep, seq = text.partition("-")
    return int(ms), int(seq or 0)


def _drain_batch(client) -> int:
    """One batch: what an earlier writer left unacknowledged first, else new entries; stored in one
    transaction, then acknowledged and deleted from the stream."""
    messages = _read(client, "0") or _read(client, ">")
    if not messages:
        return 0
    batch = [(message_id, _entries(client, message_id, fields)) for message_id, fields in messages]
    not_stored: list[str] = []  # ids whose digest must not keep answering "replay" to the sender
    try:
        recorded = statements_store([entry for _id, entries in batch for entry in entries], strict=False)
        not_stored += [r.statement_id for r in recorded if r.outcome in (CONFLICT, LIMIT, GONE)]
    except (OperationalError, InterfaceError):
        raise  # the database is away: leave the batch pending for the next writer
    except Exception:  # one bad entry must not hold the queue up: find it
        logger.exception("xAPI batch of %d messages failed; storing them one by one", len(batch))
        for message_id, entries in batch:
            try:
                recorded = statements_store(entries, strict=False)
                not_stored += [r.statement_id for r in recorded if r.outcome in (CONFLICT, LIMIT, GONE)]
            except (OperationalError, InterfaceError):
                raise
            except Exception:
                logger.exception("xAPI message %s could not be stored; kept in %s", message_id, DEAD_LETTERS)
                client.rpush(DEAD_LETTERS, json.dumps([entry.to_json() for entry in entries]))
                not_stored += [entry.statement_id for entry in entries]
    if not_stored:
        client.delete(*(ID_KEY + statement_id for statement_id in set(not_stored)))
    ids = [message_id for message_id, _entries in batch]
    client.xack(STREAM, GROUP, *ids)
    client.xdel(STREAM, *ids)
    return sum(len(entries) for _id, entries in batch)


def _read(client, start: str) -> list:
    answer = client.xreadgroup(GROUP, CONSUMER, {STREAM: start}, count=READ_COUNT)
    return answer[0][1] if answer else []


def _entries(client, message_id, fields) -> list[Entry]:
    """A message's entries; [] for one deleted before it was acknowledged, or unreadable (set aside)."""
    if not fields:
        return []
    try:
        return [Entry.from_json(data) for data in json.loads(fields[b"e"])]
    except (KeyError, TypeError, ValueError):
        logger.exception("xAPI message %s is unreadable; kept in %s", message_id, DEAD_LETTERS)
        client.rpush(DEAD_LETTERS, fields.get(b"e", b""))
        return []
