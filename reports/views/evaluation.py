from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_POST

from lms import formatting, policy
from lms.boundaries.params import digits
from lms.models import StaffProfile

from .. import charts, exports
from ..index import Band, band_labels
from ..models import EvaluationComment, EvaluationPeriod, EvaluationRecord, PeriodStatus
from ..selectors import evaluation as sel
from ..services import evaluation as svc
from ..services.audit import audit_record
from .common import hr_required


class OpenPeriodForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120, initial="Năm 2026")
    name_en = forms.CharField(
        label=gettext_lazy("Name in English (optional)"), max_length=120, required=False, initial="Year 2026"
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit (and everything below it)"), queryset=None)
    starts_on = forms.DateField(label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.reportable_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.name}"
        year = datetime.date.today().year
        self.fields["starts_on"].initial = datetime.date(year, 1, 1)
        self.fields["ends_on"].initial = datetime.date(year, 12, 31)


def _period_or_404(user, pk: int) -> EvaluationPeriod:
    period = sel.visible_periods(user).filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


@hr_required
def period_list(request):
    form = OpenPeriodForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                period = svc.evaluation_period_open(actor=request.user, **form.cleaned_data)
            except svc.EvaluationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The evaluation period is open."))
                return redirect("reports:evaluation", pk=period.pk)
        status = 400
    else:
        status = 200
    periods = sel.visible_periods(request.user).order_by("-starts_on", "unit__path")
    return render(request, "reports/evaluations.html", {"periods": periods, "form": form}, status=status)


@require_GET
@hr_required
def period_detail(request, pk: int):
    period = _period_or_404(request.user, pk)
    q = request.GET.get("q", "").strip()[:100]
    if period.status == PeriodStatus.CLOSED:
        records = EvaluationRecord.objects.filter(
            period=period, unit__in=policy.reportable_units(request.user)
        ).current()
        if q:
            records = records.filter(full_name__icontains=q) | records.filter(employee_number__icontains=q)
        page = Paginator(records.order_by("unit_code", "full_name", "pk"), 50).get_page(request.GET.get("page"))
        rows = [{**{f: getattr(r, f) for f in sel.RECORD_FIELDS}, "person_id": r.person_id} for r in page.object_list]
    else:
        people = sel.period_people_for(request.user, period)
        if q:
            people = people.filter(full_name__icontains=q) | people.filter(employee_number__icontains=q)
        page = Paginator(people.order_by("unit__path", "full_name", "pk").values_list("pk", flat=True), 50).get_page(
            request.GET.get("page")
        )
        rows = list(sel.evaluation_rows(period, StaffProfile.objects.filter(pk__in=list(page.object_list))))
    from .. import tables

    # The table on screen is the export's, column for column (one header list, one row builder).
    return render(
        request,
        "reports/evaluation.html",
        {
            "period": period,
            "page": page,
            "rows": rows,
            "headers": tables.evaluation_headers(),
            "table": list(zip(rows, tables.evaluation_table_rows(rows), strict=True)),
            "bands": band_labels(),
            "can_manage": sel.can_manage(request.user, period),
            "q": q,
            "pager_query": f"q={q}" if q else "",
            "PeriodStatus": PeriodStatus,
        },
    )


@require_POST
@hr_required
def period_close(request, pk: int):
    """First POST: show what will be frozen (people, with and without a suggested band); the confirming POST closes."""
    period = _period_or_404(request.user, pk)
    if request.POST.get("confirm") != "1":
        if not sel.can_manage(request.user, period) or period.status != PeriodStatus.OPEN:
            messages.error(request, _("Only an open period can be closed, by HR responsible for the whole unit."))
            return redirect("reports:evaluation", pk=pk)
        preview = sel.closing_preview(period)
        return render(request, "reports/evaluation_close_confirm.html", {"period": period, "preview": preview})
    try:
        period = svc.evaluation_period_close(actor=request.user, period=period)
    except svc.EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        if period.status == PeriodStatus.CLOSING:
            messages.info(request, _("The period is being closed in the background; reload in a minute."))
        else:
            messages.success(request, _("The period is closed; its report is frozen."))
    return redirect("reports:evaluation", pk=pk)


@require_POST
@hr_required
def period_reopen(request, pk: int):
    period = _period_or_404(request.user, pk)
    try:
        svc.evaluation_period_reopen(actor=request.user, period=period, reason=request.POST.get("reason", ""))
    except svc.EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The period is open again."))
    return redirect("reports:evaluation", pk=pk)


def _person_in_period_or_404(user, period, person_pk: int) -> StaffProfile:
    person = StaffProfile.objects.select_related("unit").filter(pk=person_pk).first()
    if person is None or not person.unit.path.startswith(period.unit.path):
        raise Http404
    if not policy.reportable_units(user).filter(pk=person.unit_id).exists():
        raise Http404
    return person


def _person_row(user, period, person) -> dict | None:
    if period.status == PeriodStatus.CLOSED:
        return next(sel.record_rows(period, person_ids=[person.pk]), None)
    return next(sel.evaluation_rows(period, StaffProfile.objects.filter(pk=person.pk)), None)


@hr_required
def person_evaluation(request, pk: int, person_pk: int):
    period = _period_or_404(request.user, pk)
    person = _person_in_period_or_404(request.user, period, person_pk)
    if request.method == "POST":
        try:
            svc.evaluation_comment_set(
                actor=request.user, period=period, person=person, text=request.POST.get("comment", "")
            )
        except svc.EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Comment saved."))
        return redirect("reports:evaluation_person", pk=pk, person_pk=person_pk)
    row = _person_row(request.user, period, person)
    if row is None:
        raise Http404
    comment = EvaluationComment.objects.filter(period=period, person=person).values_list("text", flat=True).first()
    return render(
        request,
        "reports/evaluation_person.html",
        {
            "period": period,
            "person": person,
            "row": row,
            "bands": band_labels(),
            "comment": comment or "",
            "PeriodStatus": PeriodStatus,
        },
    )


def _lang(request) -> str:
    lang = request.GET.get("lang", "") or translation.get_language() or "vi"
    return "en" if lang.startswith("en") else "vi"


@require_GET
@hr_required
def person_evaluation_pdf(request, pk: int, person_pk: int):
    period = _period_or_404(request.user, pk)
    person = _person_in_period_or_404(request.user, period, person_pk)
    lang = _lang(request)
    with translation.override(lang):
        # computed in the PDF's language: the target profile's name is the English one in English
        row = _person_row(request.user, period, person)
        if row is None:
            raise Http404
        svg = charts.bar_svg(
            [(lv["code"], 100.0 * (lv["score"] or 0)) for lv in row["levels"]],
            title=_("Score per competency (0–100)"),
            value_label=lambda v: formatting.format_number(v, 1),
        )
        html = render_to_string(
            "reports/pdf/person.html",
            {
                "period": period,
                "row": row,
                "bands": band_labels(),
                "svg": svg,
                "lang": lang,
                "english": lang == "en",
            },
        )
    audit_record(
        actor=request.user,
        action="reports.export",
        target=person,
        params={"report": "evaluation_person", "format": "pdf", "period": period.pk, "lang": lang},
    )
    return exports.pdf_response(f"evaluation-{person.employee_number}-{lang}.pdf", exports.render_pdf(html))


@require_GET
@hr_required
def unit_summary_pdf(request, pk: int):
    from collections import Counter, defaultdict

    period = _period_or_404(request.user, pk)
    unit_pk = request.GET.get("unit", "")
    units = policy.reportable_units(request.user)
    if unit_pk:
        unit = units.filter(pk=int(unit_pk) if digits(unit_pk) else -1).first()
        if unit is None:
            raise Http404
    else:
        # The period's unit, else the HR user's own root inside it (one of several roots, perhaps).
        inside = [root for root in policy.hr_roots(request.user) if root.path.startswith(period.unit.path)]
        if units.filter(pk=period.unit_id).exists():
            unit = period.unit
        elif inside:
            unit = inside[0]
        else:
            raise Http404
    if not unit.path.startswith(period.unit.path) and not period.unit.path.startswith(unit.path):
        raise Http404
    people = sel.period_people_for(request.user, period).filter(unit__path__startswith=unit.path)
    lang = _lang(request)
    with translation.override(lang):
        rows = list(sel.rows_for(request.user, period, people))
        bands = band_labels()
        counts = Counter(r["band"] for r in rows)
        band_rows = [(str(bands[b]), counts.get(b, 0)) for b in [*Band.values, ""]]
        by_unit: dict[str, list[float]] = defaultdict(list)
        for r in rows:
            by_unit[r["unit_name_en"] if lang == "en" else r["unit_name_vi"]].append(r["index"])
        unit_means = sorted((name, sum(v) / len(v)) for name, v in by_unit.items())
        svg_units = charts.bar_svg(
            unit_means[:40], title=_("Mean index per unit"), value_label=lambda v: formatting.format_number(v, 1)
        )
        svg_bands = charts.bar_svg(
            band_rows,
            max_value=max([n for _l, n in band_rows] + [1]),
            title=pgettext("evaluation rating", "People per suggested band"),
            value_label=formatting.format_number,  # head counts: whole numbers
        )
        mean = round(sum(r["index"] for r in rows) / len(rows), 1) if rows else None
        html = render_to_string(
            "reports/pdf/unit_summary.html",
            {
                "period": period,
                "unit": unit,
                "rows": rows[:1000],
                "truncated": len(rows) > 1000,
                "count": len(rows),
                "mean": mean,
                "band_rows": band_rows,
                "svg_units": svg_units,
                "svg_bands": svg_bands,
                "bands": bands,
                "english": lang == "en",
                "lang": lang,
            },
        )
    audit_record(
        actor=request.user,
        action="reports.export",
        target=unit,
        params={"report": "evaluation_unit_summary", "format": "pdf", "period": period.pk, "lang": lang},
    )
    return exports.pdf_response(f"evaluation-{unit.code}-{lang}.pdf", exports.render_pdf(html))
