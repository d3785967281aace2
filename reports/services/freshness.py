"""The version of the data the dashboard is built from, part of every cached dashboard's key.

Services that change what the charts show (the roll-ups, the staff import and leavers, bulk score
recomputes and monthly snapshots, enrolments and completions) call ``dashboard_data_changed()``; the next
request then misses the cache and rebuilds from the new data, instead of serving the old charts until their
five minutes are up. A single person's score refresh does not bump it: the charts of current scores read
the ``UnitScoreCell`` roll-up, whose refresh (every 10 minutes) bumps it.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "reports:data-version"


def dashboard_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # a clock value, not 1: after an eviction of this key, a version must never repeat an earlier one
        # whose cached pages may still be there
        version = time.time_ns()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def dashboard_data_changed() -> None:
    """Bump the version once the caller's transaction commits (a reader in between would cache old data
    under the new version otherwise)."""
    transaction.on_commit(_bump)
