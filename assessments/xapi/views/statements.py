"""The Statement resource: ``/xapi/statements`` (PUT, POST, GET, HEAD) and its ``more`` pages.

Requests with HTTP Basic credentials are the LRS's; a signed-in session without them is HocSo's own
H5P player (CSRF checked, actor replaced: ``courses.h5p.views.statements``), into the same store.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import formats, keys
from ..errors import LRSError
from ..models import CredentialScope
from ..selectors import StatementQuery, statement_single, statements_page
from ..services import attachments as attachment_service
from ..services.lrs import statements_record
from ..validation import XAPIError, parse_statements, validate_agent
from ..validation.rules import IRI_RE, UUID_RE
from .common import lrs_view, parse_bool, parse_params_json, read_body, site_home, xapi_response

QUERY_PARAMS = frozenset(
    {
        "statementId",
        "voidedStatementId",
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
SINGLE_COMPANIONS = frozenset({"statementId", "voidedStatementId", "format", "attachments"})
FORMATS = ("exact", "ids", "canonical")
MORE_SALT = "xapi.statements.more"


@csrf_exempt
def statements(request):
    """Dispatch: credentials make it the LRS; otherwise the signed-in H5P player (CSRF kept)."""
    if "HTTP_AUTHORIZATION" in request.META or request.method not in ("POST", "PUT") or "method" in request.GET:
        return _lrs_statements(request)
    from courses.h5p.views import statements as player_statements

    return csrf_protect(player_statements)(request)


@lrs_view(("GET", "POST", "PUT"), QUERY_PARAMS)
def _lrs_statements(request):
    if request.method in ("GET", "HEAD"):
        return _get(request)
    credential = request.lrs_credential
    statements_in, attachments_in = _read_statements(request)
    if request.method == "PUT":
        statement_id = request.GET.get("statementId", "")
        if not statement_id:
            raise LRSError(_("PUT needs the statementId parameter."), 400)
        if not UUID_RE.match(statement_id):
            raise LRSError(_("statementId must be a UUID."), 400)
        if set(request.GET) - {"statementId"}:
            raise LRSError(_("PUT takes only the statementId parameter."), 400)
        if len(statements_in) != 1 or not isinstance(statements_in[0], dict) or _is_list(request):
            raise LRSError(_("PUT takes exactly one statement."), 400)
        body_id = statements_in[0].get("id")
        if body_id is not None and str(body_id).lower() != statement_id.lower():
            raise LRSError(_("The statement id differs from statementId."), 400)
        statements_in[0] = {**statements_in[0], "id": statement_id.lower()}
    elif request.GET:
        raise LRSError(_("POST takes no parameters."), 400)
    ids = statements_record(
        statements=statements_in, credential=credential, home_page=site_home(request), attachments=attachments_in
    )
    if request.method == "PUT":
        return xapi_response(None, 204)
    return xapi_response(ids)


def _is_list(request) -> bool:
    return getattr(request, "_xapi_body_was_list", False)


def _read_statements(request) -> tuple[list, dict[str, attachment_service.Part]]:
    """The statements of a JSON body, or of a multipart/mixed body with their attachments."""
    content_type = request.content_type or ""
    multipart = content_type == "multipart/mixed"
    body = read_body(request, limit=settings.XAPI_MAX_REQUEST_BYTES if multipart else settings.XAPI_MAX_BODY_BYTES)
    parts: dict[str, attachment_service.Part] = {}
    if multipart:
        try:
            body, parts = attachment_service.parse_multipart(request.META.get("CONTENT_TYPE", ""), body)
        except attachment_service.AttachmentError as exc:
            raise LRSError(exc.message, 400) from exc
    elif content_type != "application/json":
        raise LRSError(_("Send statements as application/json or multipart/mixed."), 400)
    try:
        items = parse_statements(body, max_statements=settings.XAPI_MAX_STATEMENTS_PER_REQUEST)
    except XAPIError as exc:
        raise LRSError(str(exc), 400) from exc
    request._xapi_body_was_list = body.lstrip()[:1] == b"["
    return items, parts


# ---- GET ----


def _timestamp(request, name: str) -> datetime | None:
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise LRSError(_("The parameter %(name)s must be an ISO 8601 timestamp.") % {"name": name}, 400)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iri(request, name: str) -> str | None:
    value = request.GET.get(name)
    if value is not None and not IRI_RE.match(value):
        raise LRSError(_("The parameter %(name)s must be an IRI.") % {"name": name}, 400)
    return value


def _query_from(request) -> StatementQuery:
    agent_key = None
    if "agent" in request.GET:
        agent = parse_params_json(request.GET["agent"], "agent")
        problems = validate_agent(agent)
        if problems:
            raise LRSError(
                _("The parameter agent is not an Agent or Group: %(problems)s")
                % {"problems": "; ".join(map(str, problems[:5]))},
                400,
            )
        agent_key = keys.agent_key(agent)
    verb = _iri(request, "verb")
    activity = _iri(request, "activity")
    registration = request.GET.get("registration")
    if registration is not None and not UUID_RE.match(registration):
        raise LRSError(_("The parameter registration must be a UUID."), 400)
    return StatementQuery(
        agent_key=agent_key,
        verb_key=keys.verb_key(verb) if verb else None,
        activity_key=keys.activity_key(activity) if activity else None,
        registration=registration.lower() if registration else None,
        related_activities=parse_bool(request, "related_activities"),
        related_agents=parse_bool(request, "related_agents"),
        since=_timestamp(request, "since"),
        until=_timestamp(request, "until"),
        ascending=parse_bool(request, "ascending"),
    )


def _limit(request) -> int:
    most = settings.XAPI_MAX_LIMIT
    value = request.GET.get("limit")
    if value is None:
        return most
    if not re.fullmatch(r"[0-9]{1,9}", value):  # ASCII digits: str.isdigit() also takes "²"
        raise LRSError(_("The parameter limit must be a whole number, 0 or more."), 400)
    number = int(value)
    return most if number == 0 else min(number, most)


def _format(request) -> str:
    fmt = request.GET.get("format", "exact")
    if fmt not in FORMATS:
        raise LRSError(_("The parameter format must be ids, exact or canonical."), 400)
    return fmt


def _render(rows: list[dict], fmt: str, languages: list[str]) -> list[dict]:
    return [
        formats.shaped(formats.complete(row["raw"], stored=row["stored"], authority=row["authority"]), fmt, languages)
        for row in rows
    ]


def _get(request):
    credential = request.lrs_credential
    if credential.scope == CredentialScope.WRITE:
        raise LRSError(_("This credential may only write statements."), 403)
    fmt = _format(request)
    with_attachments = parse_bool(request, "attachments")
    languages = formats.accept_languages(request.headers.get("Accept-Language"))
    consistent = formats.iso(timezone.now())
    single = [name for name in ("statementId", "voidedStatementId") if name in request.GET]
    if single:
        if len(single) > 1 or set(request.GET) - SINGLE_COMPANIONS:
            raise LRSError(
                _("statementId and voidedStatementId take no other parameters than format and attachments."), 400
            )
        value = request.GET[single[0]]
        if not UUID_RE.match(value):
            raise LRSError(_("%(name)s must be a UUID.") % {"name": single[0]}, 400)
        row = statement_single(
            credential=credential, statement_id=value.lower(), voided=single[0] == "voidedStatementId"
        )
        if row is None:
            raise LRSError(_("No such statement."), 404)
        (statement,) = _render([row], fmt, languages)
        response = _statement_response(statement, with_attachments, status=200)
        response["Last-Modified"] = http_date(row["stored"].timestamp())
        response["X-Experience-API-Consistent-Through"] = consistent
        return response
    query = _query_from(request)
    limit = _limit(request)
    rows, more = statements_page(query, credential=credential, limit=limit)
    state = {"q": {k: v for k, v in request.GET.items()}, "c": credential.pk}
    return _page_response(rows, more, state, fmt, languages, with_attachments, consistent)


def _page_response(rows, more, state, fmt, languages, with_attachments, consistent):
    more_url = ""
    if more and rows:
        last = rows[-1]
        state = {**state, "a": [last["stored"].isoformat(), last["pk"]]}
        more_url = reverse("xapi:statements_more", args=[signing.dumps(state, salt=MORE_SALT, compress=True)])
    body = {"statements": _render(rows, fmt, languages), "more": more_url}
    response = _statement_response(body, with_attachments, status=200)
    response["X-Experience-API-Consistent-Through"] = consistent
    return response


def _statement_response(body: dict, with_attachments: bool, *, status: int):
    if not with_attachments:
        return xapi_response(body, status)
    statements_out = body.get("statements") if "statements" in body else [body]
    return attachment_service.multipart_response(body, statements_out, status=status)


@lrs_view(("GET",), frozenset())
def statements_more(request, token: str):
    credential = request.lrs_credential
    try:
        state = signing.loads(token, salt=MORE_SALT, max_age=settings.XAPI_MORE_MAX_AGE)
    except signing.BadSignature:
        raise LRSError(_("This more address is unknown or has expired."), 404) from None
    if state.get("c") != credential.pk:
        raise LRSError(_("This more address belongs to another credential."), 403)

    class _Params:  # the original request's parameters, read again the same way
        GET = state["q"]
        headers = request.headers

    original = _Params()
    query = _query_from(original)
    limit = _limit(original)
    fmt = _format(original)
    with_attachments = parse_bool(original, "attachments")
    stored_text, pk = state["a"]
    after = (datetime.fromisoformat(stored_text), int(pk))
    rows, more = statements_page(query, credential=credential, limit=limit, after=after)
    languages = formats.accept_languages(request.headers.get("Accept-Language"))
    return _page_response(rows, more, state, fmt, languages, with_attachments, formats.iso(timezone.now()))
