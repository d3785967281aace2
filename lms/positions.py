"""Position titles in the reader's language (``lms.models.PositionTitle``).

Staff records hold the Vietnamese title; in English the recorded English name is shown instead. The
names are read with one small query and cached for five minutes.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language

CACHE_KEY = "lms:position-titles"


def _english_names() -> dict[str, str]:
    from .models import PositionTitle

    names = cache.get(CACHE_KEY)
    if names is None:
        names = {
            " ".join(vi.split()).casefold(): en for vi, en in PositionTitle.objects.values_list("name_vi", "name_en")
        }
        cache.set(CACHE_KEY, names, 300)
    return names


def position_label(title: str | None, language: str | None = None) -> str:
    """``title`` as the reader should see it: Vietnamese as written; English when one is recorded."""
    if not title:
        return title or ""
    language = (language or get_language() or "vi")[:2]
    if language != "en":
        return title
    return _english_names().get(" ".join(title.split()).casefold(), title)


def forget() -> None:
    cache.delete(CACHE_KEY)
