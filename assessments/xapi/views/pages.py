"""The page a statement opens to (from the evidence it gave): what was reported, by which tool, about whom."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from lms.policy import can

from .. import formats
from ..models import Statement
from ..services.evidence import score_of, source_ref_for


@login_required
@require_GET
def statement_detail(request, statement_id):
    from assessments.models import Evidence

    row = Statement.objects.select_related("person__unit", "credential").filter(statement_id=statement_id).first()
    if row is None:
        raise Http404
    allowed = can(request.user, "xapi.manage") or (
        row.person is not None and can(request.user, "competency.view_person", row.person)
    )
    if not allowed:
        raise Http404  # do not reveal statements the reader may not see
    statement = formats.complete(row.raw, stored=row.stored, authority=row.authority)
    languages = [get_language() or "vi", "en"]
    shown = formats.shaped(statement, "canonical", languages)
    obj = shown.get("object") or {}
    result = shown.get("result") or {}
    evidence = (
        Evidence.objects.filter(source_ref=source_ref_for(row.statement_id)).select_related("competency").order_by("pk")
    )
    context = {
        "row": row,
        "verb": next(iter((shown.get("verb") or {}).get("display", {}).values()), shown["verb"]["id"]),
        "activity_name": next(iter(((obj.get("definition") or {}).get("name") or {}).values()), ""),
        "activity_id": obj.get("id", ""),
        "result": result,
        "score": score_of(result),
        "timestamp": parse_datetime(shown.get("timestamp") or "") or shown.get("timestamp"),
        "evidence": evidence,
        "raw": json.dumps(statement, ensure_ascii=False, indent=2),
    }
    return render(request, "xapi/statement.html", context)
