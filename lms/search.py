"""Admin search that needs no search index and ignores Vietnamese accents and case.

Wagtail's snippet listings and choosers search through the search index, which only holds what was
saved through the admin (frameworks and questions loaded by migrations, imports and seeds were never
indexed) and matches whole words or codes by autocomplete, so "chữ ký số", "chu ky so", "NT3" or
"digital" found nothing. Here every word of the query must appear, accent- and case-folded, in one of
the view's ``search_fields`` (codes and names in both languages), straight in SQL: PostgreSQL folds
with ``translate(lower(...))``, SQLite with a function registered on each connection.

Use: ``FoldedSearchSnippetViewSet`` (or its two mixins on other viewsets).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from django import forms
from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Cast, Lower
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import SearchFilterMixin
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet


def fold(text: str) -> str:
    """Lower case without accents: "Chữ KÝ số" -> "chu ky so" (đ/Đ -> d, which Unicode does not decompose)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@cache
def _translate_tables() -> tuple[str, str]:
    """The accented letters of Latin scripts (upper and lower case) and their folded letters, for SQL translate()."""
    source, target = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded != char and folded.isascii():
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


class Folded(Func):
    """The accent- and case-folded text of an expression (see ``fold``)."""

    function = "hocso_fold"  # SQLite: registered on each connection below
    output_field = CharField()

    def __init__(self, expression):
        super().__init__(Cast(expression, CharField()))

    def as_postgresql(self, compiler, connection, **extra_context):
        source, target = _translate_tables()
        translated = Func(
            Lower(self.source_expressions[0]),
            Value(source),
            Value(target),
            function="translate",
            output_field=CharField(),
        )
        return compiler.compile(translated)


@receiver(connection_created, dispatch_uid="hocso-sqlite-fold")
def _register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "hocso_fold", 1, lambda value: None if value is None else fold(str(value)), deterministic=True
        )


def folded_search(queryset: QuerySet, fields: list[str] | tuple[str, ...], query: str) -> QuerySet:
    """Rows where every word of ``query`` appears (folded) in at least one of ``fields``."""
    words = fold(query).split()
    if not words or not fields:
        return queryset
    annotations = {f"_folded_{i}": Folded(F(field)) for i, field in enumerate(fields)}
    queryset = queryset.alias(**annotations)
    for word in words:
        queryset = queryset.filter(Q(*[Q(**{f"{name}__contains": word}) for name in annotations], _connector=Q.OR))
    return queryset


class FoldedSearchFilterMixin(forms.Form):
    """A chooser filter form whose search box runs ``folded_search`` instead of Wagtail's index search."""

    q = forms.CharField(
        label=_("Search term"), widget=forms.TextInput(attrs={"placeholder": _("Search")}), required=False
    )
    folded_fields: tuple[str, ...] = ()

    def filter(self, objects):
        # Skip SearchFilterMixin (the index search) when the model is indexed; keep the other filters.
        chain = super(SearchFilterMixin, self) if isinstance(self, SearchFilterMixin) else super()
        objects = chain.filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = folded_search(objects, self.folded_fields, query)
            self.is_searching = True
            self.search_query = query
        return objects


class FoldedChooseMixin:
    folded_fields: tuple[str, ...] = ()

    def get_filter_form_class(self):
        base = super().get_filter_form_class()
        return type("FoldedFilterForm", (FoldedSearchFilterMixin, base), {"folded_fields": tuple(self.folded_fields)})


class FoldedIndexView(IndexView):
    """Snippet listing whose search box runs ``folded_search`` over the viewset's ``search_fields``."""

    search_backend_name = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return folded_search(queryset, self.search_fields or [], self.search_query)


class FoldedSearchSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing and chooser both search ``search_fields`` with accents folded."""

    index_view_class = FoldedIndexView

    @property
    def chooser_viewset_class(self):
        fields = tuple(self.search_fields or ())

        class ChooseView(FoldedChooseMixin, snippet_chooser.ChooseView):
            folded_fields = fields

        class ChooseResultsView(FoldedChooseMixin, snippet_chooser.ChooseResultsView):
            folded_fields = fields

        class ChooserViewSet(snippet_chooser.SnippetChooserViewSet):
            choose_view_class = ChooseView
            choose_results_view_class = ChooseResultsView

        return ChooserViewSet
