"""HocSo's apps and the optional modules each may contribute (``api``, ``demo``...)."""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

# In dependency order: demo steps and API routers are taken in this order.
HOCSO_APPS = (
    "lms",
    "courses",
    "courses.h5p",
    "assessments",
    "assessments.quizzes",
    "assessments.sources",
    "assessments.placement",
    "reports",
)


def optional_modules(name: str) -> Iterator[ModuleType]:
    """Yield ``<app>.<name>`` for every HocSo app that has one; an import error inside it still raises."""
    for app in HOCSO_APPS:
        try:
            yield import_module(f"{app}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
