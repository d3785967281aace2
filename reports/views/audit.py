from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms import policy

from .. import audit_text
from ..models import AuditEntry, EvaluationPeriod
from .common import hr_required


@require_GET
@hr_required
def audit_list(request):
    """The audit trail of the caller's units (administrators: everything, including entries with no unit)."""
    entries = AuditEntry.objects.select_related("unit").order_by("-created_at", "-id")
    if not policy.is_admin(request.user):
        entries = entries.for_units(policy.reportable_units(request.user))
    # The action names offered are those of the caller's own entries.
    actions = entries.order_by("action").values_list("action", flat=True).distinct()
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    from urllib.parse import urlencode

    pager_query = urlencode({"action": action}) if action else ""
    # Entries name evaluation periods by id: their names in one query for the whole page.
    ids = audit_text.period_ids(page.object_list)
    periods = {p.pk: p.display_name for p in EvaluationPeriod.objects.filter(pk__in=ids).only("pk", "name", "name_en")}
    rows = [(entry, audit_text.describe(entry, periods)) for entry in page.object_list]
    choices = sorted(((code, audit_text.action_label(code)) for code in actions), key=lambda c: c[1].lower())
    return render(
        request,
        "reports/audit.html",
        {"page": page, "rows": rows, "action": action, "actions": choices, "pager_query": pager_query},
    )
