"""Path and query parameters, checked once for every view and API call.

:class:`ParameterMiddleware` refuses, with a 400 and a reason, any request whose path or query string holds a
NUL character (``%00``: PostgreSQL refuses it in text, so it would fail as a server error deep in a query) or
a lone surrogate, and any numeric paging parameter beyond what a database integer holds. Views that read a
number from the query use :func:`int_param`, which applies the same rule with the view's own bounds.
"""

from __future__ import annotations

import logging
import re

from django.contrib.admin.utils import unquote
from django.db import models
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _

from .errors import BadInput
from .responses import refusal

logger = logging.getLogger(__name__)
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
_DIGITS = re.compile("[0-9]{1,18}")
# Query parameters that are numbers wherever HocSo uses them (views and API): paging and periods.
NUMERIC = frozenset({"offset", "limit", "page", "months", "year"})
MAX_NUMBER = 2**31 - 1  # an integer column; no page, offset or count of HocSo comes near it


def digits(text) -> bool:
    """True for 1 to 18 ASCII digits: what ``int()`` reads and a bigint column holds. (``str.isdigit`` is also
    true for "²", which ``int()`` refuses: a 500 wherever it guarded an ``int()``.)"""
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def check_text(value: str, *, name: str | None) -> str:
    """``value`` unchanged, or :class:`BadInput` for a NUL or a lone surrogate (``name`` None: the path)."""
    found = _FORBIDDEN.search(value)
    if found is not None:
        if name is None:
            raise BadInput(_("The address holds a NUL character (%00) or text that is not valid."))
        if found.group() == "\x00":
            raise BadInput(_("The parameter “%(name)s” holds a NUL character (%%00).") % {"name": name[:40]})
        raise BadInput(_("The parameter “%(name)s” is not valid text.") % {"name": name[:40]})
    return value


def check_number(value: str, *, name: str, minimum: int = 0, maximum: int = MAX_NUMBER) -> int | None:
    """``value`` as an int within bounds, None when empty, else :class:`BadInput` naming the parameter."""
    value = value.strip()
    if value == "":
        return None
    if not re.fullmatch(r"[+-]?\d{1,12}", value) or not minimum <= int(value) <= maximum:
        raise BadInput(
            _("The parameter “%(name)s” must be a whole number from %(min)d to %(max)d.")
            % {"name": name, "min": minimum, "max": maximum}
        )
    return int(value)


def int_param(request, name: str, *, default: int, minimum: int = 0, maximum: int = MAX_NUMBER) -> int:
    value = check_number(request.GET.get(name, ""), name=name, minimum=minimum, maximum=maximum)
    return default if value is None else value


def check_request(request) -> None:
    check_text(request.path_info, name=None)
    for key, values in request.GET.lists():
        check_text(key, name=key)
        for value in values:
            check_text(value, name=key)
            if key in NUMERIC and value.strip().lstrip("+-").isdigit():
                check_number(value, name=key, minimum=-MAX_NUMBER)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def check_form(request) -> None:
    """The text fields of a form post (quiz answers without JavaScript, settings, the admin) under the same
    rule. Run from ``process_view``, after the CSRF check has parsed the form anyway (uploaded files are not
    looked at)."""
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            check_text(key, name=key)
            for value in values:
                check_text(value, name=key)


def _view_model(view_func):
    """The model a class-based view works on (Wagtail's choosers and viewsets pass it as ``model``)."""
    view_class = getattr(view_func, "view_class", None)
    initkwargs = getattr(view_func, "view_initkwargs", None) or {}
    model = initkwargs.get("model") or getattr(view_class, "model", None)
    return model if isinstance(model, type) and issubclass(model, models.Model) else None


def check_view_kwargs(view_func, view_kwargs) -> None:
    """A ``pk`` taken from the path as text (Wagtail routes keys as ``<str:pk>`` because some are not numbers)
    must be a number when the view's model has a numeric key: "chosen/abc/" is a 400, not a lookup that fails."""
    pk = view_kwargs.get("pk")
    if not isinstance(pk, str):
        return
    model = _view_model(view_func)
    if model is not None and isinstance(model._meta.pk, models.IntegerField):  # AutoField, BigAutoField too
        check_number(unquote(pk), name="pk", minimum=0, maximum=2**63 - 1)


def _raised_reading_a_widget(exception: BaseException) -> bool:
    """True when ``exception`` came out of a form widget reading the posted data (``value_from_datadict``):
    Wagtail's rich-text editor parses its field as JSON there, before any validation, so a field that is not
    JSON fails as a ``JSONDecodeError`` instead of a form error. Nothing has been saved at that point."""
    tb = exception.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "value_from_datadict":
            return True
        tb = tb.tb_next
    return False


class ParameterMiddleware:
    """Refuses malformed paths and query strings before any view runs (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except BadInput as exc:
            return refusal(request, exc.message, status=exc.status)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A form posted without a field its view reads unguarded (``request.POST["x"]``: Wagtail's StreamField
        reads "<name>-count") is a malformed request, not a server error: 400 naming the field."""
        if isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            logger.warning("POST %s without the field %s", request.path, exception)
            name = str(exception.args[0]) if exception.args else "?"
            return refusal(request, _("The form is missing the field “%(name)s”.") % {"name": name[:80]})
        if isinstance(exception, ValueError) and request.method == "POST" and _raised_reading_a_widget(exception):
            logger.warning("POST %s with a field its widget cannot read: %s", request.path, exception)
            return refusal(
                request,
                _("A field of the form holds data its editor did not send (for example rich text that is not valid)."),
            )
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            check_view_kwargs(view_func, view_kwargs)
            check_form(request)
        except BadInput as exc:
            return refusal(request, exc.message, status=exc.status)
        return None
