"""Organisation pages in the Wagtail admin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from . import policy
from .errors import ImportFileError
from .forms import StaffImportForm
from .services.imports import staff_import


def staff_import_view(request):
    if not policy.can(request.user, "org.import_staff"):
        raise PermissionDenied
    result = None
    file_error = None
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = staff_import(
                    data=form.cleaned_data["file"].read(),
                    skip_invalid=form.cleaned_data["skip_invalid"],
                    full=form.cleaned_data["full"],
                    actor=request.user,
                )
            except ImportFileError as exc:
                file_error = str(exc)
            if result is not None and result.applied:
                messages.success(request, _("Staff import finished: %(summary)s.") % {"summary": result.summary()})
    else:
        form = StaffImportForm()
    return TemplateResponse(
        request, "lms/admin/staff_import.html", {"form": form, "result": result, "file_error": file_error}
    )
