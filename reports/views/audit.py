from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms import policy

from ..models import AuditEntry
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
    return render(
        request, "reports/audit.html", {"page": page, "action": action, "actions": actions, "pager_query": pager_query}
    )
