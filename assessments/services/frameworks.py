"""The shipped frameworks as a service, for places that cannot rely on the migration's data having survived
(a demo seeded into a database that a test flushed, a fresh tenant)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from ..models import Framework


@transaction.atomic
def frameworks_ensure() -> bool:
    """Install the shipped frameworks if the Vietnamese one is missing; returns True when it installed them."""
    if Framework.objects.filter(code="VN-DCF").exists():
        return False
    from ..migrations._framework_data import install

    install(apps)
    return True
