"""Wagtail's front-end routing, with the route of a page remembered (issue 17).

Wagtail finds a page for ``/learn/<path>`` with one query for the site, one for the localized root and
one per tree level, then two more for the view restrictions of its ancestors: most of a lesson page's
queries. Here the route (host, language, path -> page id, tree path, URL path, content type, site) is
cached, and a request that hits it fetches the page with **one** query that also re-checks everything
the route depends on:

- the page still exists, is live, and still has the same tree path and URL path (a move, a slug
  change, an unpublish or a delete fails the check);
- no view restriction applies to it or to any ancestor, read in the same query; a restricted page
  always takes Wagtail's own route and checks (and so does a page under an alias, whose original's
  restrictions apply too: such routes are not cached).

So a cached route can never serve a page Wagtail would not: the check is in the database, whatever
process cached the route (the default cache is per process without Redis). Routes that end on a
page in another language (the translation fallback of ``TranslationFallbackRouteMixin``) are not
cached: publishing the translation must change the answer, and nothing in the fallback page's row
would show it. Only page types that opt in (``CachedRoutePage``) are cached; everything else is routed
by Wagtail as before.

On top of that the cache is versioned: publishing, unpublishing, moving or deleting a page, or
changing a site or a view restriction bumps the version (``bump_route_version``, wired in
``lms.apps``), so with a shared cache every process drops its routes at once. The site of a cached
route is Wagtail's own ``Site`` as it was when cached: a site edit shows within ``ROUTE_TTL`` in the
other processes without a shared cache (Wagtail's own site-root-path cache behaves the same).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Exists
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site

ROUTE_TTL = 5 * 60
_VERSION_KEY = "lms:route:version"


class CachedRoutePage:
    """Mixin for page types whose route may be cached (see the module docstring).

    ``route_defer``: fields the routed page does not need on every request (e.g. a lesson body that is
    rendered once per revision and cached); they are loaded on first access if ever needed.
    """

    route_defer: tuple[str, ...] = ()

    def get_view_restrictions(self):
        # The cached route read "no restriction on this page or its ancestors" in the page's own query.
        if getattr(self, "_route_restricted", None) is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def bump_route_version(**kwargs) -> None:
    """Signal receiver: forget every cached route (publish, unpublish, move, delete, site, restriction)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump_route_version()


def connect_route_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(bump_route_version, dispatch_uid=f"hocso-route-{name}")
    for model in (Site, PageViewRestriction):
        post_save.connect(bump_route_version, sender=model, dispatch_uid=f"hocso-route-save-{model.__name__}")
        post_delete.connect(bump_route_version, sender=model, dispatch_uid=f"hocso-route-delete-{model.__name__}")
    post_delete.connect(_page_deleted, dispatch_uid="hocso-route-delete-page")


def _key(request, path: str) -> str:
    version = cache.get(_VERSION_KEY, 0)
    raw = f"{request.get_host()}|{translation.get_language()}|{path}"
    return f"lms:route:{version}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def _fetch(entry: dict):
    """The page of a cached route, re-checked in one query; None when Wagtail must route it again."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(entry["content_type_id"]).model_class()
    if model is None or not issubclass(model, CachedRoutePage):
        return None
    # The page and its ancestors: while the page keeps its tree path they are the same rows (deleting or moving
    # an ancestor deletes or moves the page too), so their ids were taken once, when the route was cached.
    restricted = PageViewRestriction.objects.filter(page_id__in=entry["ancestor_ids"])
    page = (
        model.objects.filter(pk=entry["pk"], path=entry["path"], url_path=entry["url_path"], live=True)
        .annotate(_route_restricted=Exists(restricted))
        .defer(*model.route_defer)
        .first()
    )
    if page is None or page._route_restricted:
        return None
    return page


def _cacheable(route) -> bool:
    if route is None:
        return False
    page, args, kwargs = route
    if args or kwargs or not isinstance(page, CachedRoutePage):
        return False
    # A translation fallback: the answer changes when the translation is published (see the docstring).
    return _language_of(page) == (translation.get_language() or "").split("-")[0]


def _language_of(page) -> str:
    """The page's language code, without a query (locales are few and never renumbered)."""
    languages = cache.get("lms:route:locales")
    if languages is None or page.locale_id not in languages:
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set("lms:route:locales", languages, 3600)
    return languages[page.locale_id]


def route_for_request(request, path: str):
    """Wagtail's ``Page.route_for_request`` with the route cached; same result and same request caches."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    key = _key(request, path)
    entry = cache.get(key)
    if entry is not None:
        page = _fetch(entry)
        if page is not None:
            request._wagtail_site = entry["site"]
            request._wagtail_route_for_request = (page, [], {})
            return request._wagtail_route_for_request
    route = Page.route_for_request(request, path)
    if _cacheable(route):
        page = route[0]
        ancestors = list(page.get_ancestors(inclusive=True).values_list("pk", "alias_of_id"))
        # Under an alias the restrictions of the alias's original apply too: left to Wagtail's own checks.
        if not any(alias_of for _pk, alias_of in ancestors):
            entry = {
                "pk": page.pk,
                "content_type_id": page.content_type_id,
                "path": page.path,
                "url_path": page.url_path,
                "ancestor_ids": [pk for pk, _alias_of in ancestors],
                "site": Site.find_for_request(request),
            }
            cache.set(key, entry, ROUTE_TTL)
    return route


def serve(request, path):
    """Wagtail's ``serve`` view (hooks, view restrictions, ``Page.serve``), routed through the cache."""
    from wagtail import views as wagtail_views

    try:
        route_for_request(request, path)
    except Http404:
        request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)
