"""Administrators' pages of the LRS: credentials (issue, shown once, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import policy
from lms.boundaries.params import digits

from .forms import CredentialIssueForm
from .models import Credential
from .services.credentials import credential_issue, credential_revoke


def _manager(request) -> None:
    if not policy.can(request.user, "xapi.manage"):
        raise PermissionDenied


def credentials_view(request):
    _manager(request)
    form = CredentialIssueForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = credential_issue(
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            unit=form.cleaned_data["unit"],
            issued_by=request.user,
        )
        form = CredentialIssueForm()
    credentials = Credential.objects.select_related("unit", "created_by").order_by("-created_at", "-pk")[:500]
    endpoint = request.build_absolute_uri("/xapi/")
    return TemplateResponse(
        request,
        "xapi/admin/credentials.html",
        {
            "form": form,
            "issued": issued,
            "credentials": credentials,
            "endpoint": endpoint,
            "page_title": _("LRS credentials"),
            "header_icon": "key",
        },
    )


@require_POST
def credential_revoke_view(request, pk: int):
    _manager(request)
    credential = get_object_or_404(Credential, pk=pk)
    credential_revoke(credential=credential, revoked_by=request.user)
    messages.success(request, _("The credential %(key)s is revoked.") % {"key": credential.key})
    return redirect("xapi_credentials")


def forwarding_view(request):
    """Where forwarding stands and the dead letters (statements the external LRS refused), with replay."""
    from django.conf import settings

    from .models import DeadLetter, ForwardingState, Statement
    from .services.forwarding import dead_letters_replay

    _manager(request)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("letter") if digits(pk)]
        if request.POST.get("all"):
            ids = list(DeadLetter.objects.filter(replayed_at__isnull=True).values_list("pk", flat=True)[:500])
        if not settings.XAPI_FORWARD_URL:
            messages.error(request, _("Forwarding is not configured (XAPI_FORWARD_URL)."))
        elif ids:
            done, failed = dead_letters_replay(ids=ids)
            messages.success(
                request, _("Replayed: %(done)d accepted, %(failed)d refused again.") % {"done": done, "failed": failed}
            )
        return redirect("xapi_forwarding")
    state = ForwardingState.objects.filter(pk=1).first()
    last_pk = state.last_pk if state else 0
    letters = DeadLetter.objects.filter(replayed_at__isnull=True).select_related("statement")[:200]
    return TemplateResponse(
        request,
        "xapi/admin/forwarding.html",
        {
            "configured": bool(settings.XAPI_FORWARD_URL),
            "url": settings.XAPI_FORWARD_URL,
            "state": state,
            "backlog": Statement.objects.filter(pk__gt=last_pk).count(),
            "letters": letters,
            "page_title": _("xAPI forwarding"),
            "header_icon": "redirect",
        },
    )
