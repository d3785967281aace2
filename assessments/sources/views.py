"""The evidence page: one evidence row and the source it came from (attempt, assessment, audit entry)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from assessments.models import Evidence
from lms import policy

from . import registry


@require_GET
@login_required
def evidence_source(request, person_id: int, evidence_id: int):
    evidence = get_object_or_404(
        Evidence.objects.select_related("person__unit", "competency__framework", "recorded_by", "superseded_by"),
        pk=evidence_id,
        person_id=person_id,
    )
    if not policy.can(request.user, "competency.view_evidence", evidence):
        raise Http404  # not 403: do not reveal what exists outside the caller's scope
    kind, resolved = registry.resolve(evidence, request.user)
    mine = evidence.person.user_id == request.user.pk
    return TemplateResponse(
        request,
        "sources/evidence_source.html",
        {"evidence": evidence, "kind": kind, "resolved": resolved, "mine": mine, "person": evidence.person},
        status=200 if resolved else 404,
    )
