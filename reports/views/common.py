"""Shared view plumbing: who may open report pages, filter errors as a 400 with a clear message."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from lms import policy

from ..filters import filter_errors, parse_filters


def hr_required(view):
    """Anonymous: to the sign-in page. Signed in but neither HR nor an administrator: 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.can(request.user, "reports.access"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def filters_or_400(request, template: str = "reports/filter_error.html"):
    """(filters, form, None) or (None, form, response) where response is a 400 page naming each bad field."""
    filters, form = parse_filters(request)
    if filters is None:
        response = render(request, template, {"form": form, "problems": filter_errors(form)}, status=400)
        return None, form, response
    return filters, form, None
