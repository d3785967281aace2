"""Report filters: parsed and validated once, then passed around as a plain, serialisable value."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django import forms
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lms import policy
from lms.boundaries.params import digits
from lms.models import StaffProfile, Unit


@dataclass(frozen=True)
class Filters:
    unit_id: int | None = None
    position: str = ""
    framework_id: int | None = None
    area_id: int | None = None
    year: int | None = None
    q: str = ""
    period_id: int | None = None

    def as_params(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_params(cls, params: dict) -> Filters:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (params or {}).items() if k in names})

    def querystring(self) -> str:
        from urllib.parse import urlencode

        mapping = {"unit_id": "unit", "framework_id": "framework", "area_id": "area", "period_id": "period"}
        return urlencode({mapping.get(k, k): v for k, v in self.as_params().items()})


class FilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit (and everything below it)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All my units"),
    )
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    year = forms.IntegerField(
        label=_("Period (year)"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Leave empty for the current state."),
    )
    q = forms.CharField(label=_("Search (name or employee number)"), max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.reportable_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.name}"
        self._user = user
        _extend_form(self, user)

    @cached_property
    def position_choices(self) -> list[str]:
        """Positions in the caller's scope, for the form's suggestions (read only when it is shown); a DISTINCT
        over every person at ministry scale, so cached per caller and data version (``services.freshness``)."""
        from django.core.cache import cache

        from .services.freshness import dashboard_version

        key = f"reports:positions:{getattr(self._user, 'pk', None)}:{dashboard_version()}"
        positions = cache.get(key)
        if positions is None:
            positions = list(
                StaffProfile.objects.filter(unit__in=policy.reportable_units(self._user))
                .exclude(position="")
                .order_by("position")
                .values_list("position", flat=True)
                .distinct()
            )
            cache.set(key, positions, 300)
        return positions

    def to_filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            unit_id=data["unit"].pk if data.get("unit") else None,
            position=data.get("position") or "",
            framework_id=data["framework"].pk if data.get("framework") else None,
            area_id=data["area"].pk if data.get("area") else None,
            year=data.get("year"),
            q=(data.get("q") or "").strip(),
            period_id=data["period"].pk if data.get("period") else None,
        )


def _extend_form(form: FilterForm, user) -> None:
    """Framework and competency-area filters, when the competency engine is installed."""
    try:
        from assessments.models import CompetencyArea, Framework
    except ImportError:  # pragma: no cover - before the competency engine merges
        return
    form.fields["framework"] = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.all(), required=False, empty_label=_("All frameworks")
    )
    form.fields["area"] = forms.ModelChoiceField(
        label=_("Competency area"), queryset=CompetencyArea.objects.all(), required=False, empty_label=_("All areas")
    )
    from .selectors.evaluation import visible_periods

    form.fields["period"] = forms.ModelChoiceField(
        label=_("Evaluation period"), queryset=visible_periods(user), required=False, empty_label="—"
    )
    form.fields["period"].widget = forms.HiddenInput()


def parse_filters(request) -> tuple[Filters | None, FilterForm]:
    """Filters from the query string. A unit outside the caller's scope is a 404 (it is not theirs to know)."""
    raw_unit = request.GET.get("unit", "")
    if digits(raw_unit) and Unit.objects.filter(pk=int(raw_unit)).exists():
        if not policy.reportable_units(request.user).filter(pk=int(raw_unit)).exists():
            raise Http404
    raw_period = request.GET.get("period", "")
    if digits(raw_period):
        from .models import EvaluationPeriod
        from .selectors.evaluation import visible_periods

        if EvaluationPeriod.objects.filter(pk=int(raw_period)).exists():
            if not visible_periods(request.user).filter(pk=int(raw_period)).exists():
                raise Http404
    form = FilterForm(request.GET or {}, user=request.user)
    if not form.is_valid():
        return None, form
    return form.to_filters(), form


def filter_errors(form: FilterForm) -> list[str]:
    """One sentence per problem, naming the field."""
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            problems.append(f"{label}: {error}")
    return problems
