"""Django's Redis cache, keeping one Redis client per connection pool, and riding out a Redis outage.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every cache call, and each
builds its table of a few hundred response callbacks: a measurable share of a request that reads
the session and a cached permission from Redis. A ``redis.Redis`` object is thread-safe and its
pool reconnects after a fork, so one per pool is enough.

Redis being down must not take every signed-in page down with it (issue 18: sessions were read from the cache
and each request answered 500). Every cache call therefore degrades: a read is a miss, a write does nothing,
``add`` succeeds (the caller goes ahead as if it held the key), and a warning is logged. After a failure Redis is
left alone for ``PAUSE_SECONDS`` so a dead server costs one connect timeout, not one per call. Sessions use the
``cached_db`` engine, so a miss reads the database: people stay signed in. While Redis is down, limits kept in
the cache (sign-in throttling) are not enforced; they resume with Redis.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)
PAUSE_SECONDS = 5.0


def _tolerant(name: str, fallback):
    """``name`` of Django's client, answering ``fallback(*args)`` instead of failing while Redis is unreachable."""
    original = getattr(DjangoRedisCacheClient, name)

    def method(self, *args, **kwargs):
        import redis

        if time.monotonic() < self._paused_until:
            return fallback(*args)
        try:
            return original(self, *args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            self._paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("Redis cache unreachable (%s); carrying on without it for %ss", exc, PAUSE_SECONDS)
            return fallback(*args)

    method.__name__ = name
    return method


def _incr_missing(key, delta):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable)")


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self._paused_until = 0.0

    add = _tolerant("add", lambda key, value, timeout: True)
    get = _tolerant("get", lambda key, default: default)
    set = _tolerant("set", lambda key, value, timeout: None)
    touch = _tolerant("touch", lambda key, timeout: False)
    delete = _tolerant("delete", lambda key: False)
    get_many = _tolerant("get_many", lambda keys: {})
    has_key = _tolerant("has_key", lambda key: False)
    incr = _tolerant("incr", _incr_missing)
    set_many = _tolerant("set_many", lambda data, timeout: [])
    delete_many = _tolerant("delete_many", lambda keys: None)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
