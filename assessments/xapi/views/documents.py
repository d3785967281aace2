"""State, Activity Profile, Agent Profile, Activities, Agents and About resources."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _

from .. import keys
from ..errors import LRSError
from ..models import ActivityDefinition, DocumentKind
from ..services.documents import Owner, Preconditions, document_delete, document_ids, document_write, documents_of
from ..validation import validate_agent
from ..validation.rules import IRI_RE, UUID_RE
from .common import XAPI_VERSION, lrs_view, parse_params_json, read_body, xapi_response
from .statements import _timestamp

SUPPORTED_VERSIONS = ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]


def _required(request, name: str) -> str:
    value = request.GET.get(name)
    if value is None or value == "":
        raise LRSError(_("The parameter %(name)s is required.") % {"name": name}, 400)
    return value


def _activity_key(request) -> str:
    value = _required(request, "activityId")
    if not IRI_RE.match(value):
        raise LRSError(_("The parameter activityId must be an IRI."), 400)
    return keys.activity_key(value)


def _agent(request) -> dict:
    agent = parse_params_json(_required(request, "agent"), "agent")
    problems = validate_agent(agent)
    if problems:
        raise LRSError(
            _("The parameter agent is not an Agent or Group: %(problems)s")
            % {"problems": "; ".join(map(str, problems[:5]))},
            400,
        )
    return agent


def _agent_key(request) -> str:
    key = keys.agent_key(_agent(request))
    if key is None:
        raise LRSError(_("The parameter agent needs an identifier (mbox, mbox_sha1sum, openid or account)."), 400)
    return key


def _preconditions(request) -> Preconditions:
    return Preconditions(if_match=request.headers.get("If-Match"), if_none_match=request.headers.get("If-None-Match"))


def _document_response(document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response


MAX_DOC_ID = 255  # the column's length


def _resource(request, owner: Owner, id_param: str, *, many_on_delete: bool):
    credential = request.lrs_credential
    doc_id = request.GET.get(id_param)
    if doc_id is not None and len(doc_id) > MAX_DOC_ID:
        raise LRSError(
            _("The parameter %(name)s is longer than %(limit)d characters.") % {"name": id_param, "limit": MAX_DOC_ID},
            400,
        )
    if request.method in ("GET", "HEAD"):
        if doc_id is None:
            if "since" in request.GET:
                since = _timestamp(request, "since")
            else:
                since = None
            return xapi_response(document_ids(owner=owner, credential=credential, since=since))
        if "since" in request.GET:
            raise LRSError(_("since is only for a list of ids, not with %(name)s.") % {"name": id_param}, 400)
        document = documents_of(owner, credential).filter(doc_id=doc_id).first()
        if document is None:
            raise LRSError(_("No such document."), 404)
        response = _document_response(document)
        if request.headers.get("If-None-Match", "").strip('"') == document.etag:
            response.status_code, response.content = 304, b""
        return response
    if "since" in request.GET:
        raise LRSError(_("since is only for reading a list of ids."), 400)
    if request.method == "DELETE":
        if doc_id is None and not many_on_delete:
            raise LRSError(_("The parameter %(name)s is required.") % {"name": id_param}, 400)
        document_delete(owner=owner, credential=credential, doc_id=doc_id, pre=_preconditions(request))
        return xapi_response(None, 204)
    if doc_id is None or doc_id == "":
        raise LRSError(_("The parameter %(name)s is required.") % {"name": id_param}, 400)
    content = read_body(request, limit=settings.XAPI_MAX_DOCUMENT_BYTES)
    content_type = request.META.get("CONTENT_TYPE") or "application/octet-stream"
    document = document_write(
        owner=owner,
        credential=credential,
        doc_id=doc_id,
        content=content,
        content_type=content_type,
        merge=request.method == "POST",
        pre=_preconditions(request),
    )
    return xapi_response(None, 204, ETag=f'"{document.etag}"')


DOCUMENT_METHODS = ("GET", "PUT", "POST", "DELETE")


@lrs_view(DOCUMENT_METHODS, frozenset({"activityId", "agent", "registration", "stateId", "since"}))
def state(request):
    registration = request.GET.get("registration")
    if registration is not None and not UUID_RE.match(registration):
        raise LRSError(_("The parameter registration must be a UUID."), 400)
    owner = Owner(
        kind=DocumentKind.STATE,
        activity_key=_activity_key(request),
        agent_key=_agent_key(request),
        registration=registration.lower() if registration else None,
    )
    return _resource(request, owner, "stateId", many_on_delete=True)


@lrs_view(DOCUMENT_METHODS, frozenset({"activityId", "profileId", "since"}))
def activity_profile(request):
    owner = Owner(kind=DocumentKind.ACTIVITY_PROFILE, activity_key=_activity_key(request))
    return _resource(request, owner, "profileId", many_on_delete=False)


@lrs_view(DOCUMENT_METHODS, frozenset({"agent", "profileId", "since"}))
def agent_profile(request):
    owner = Owner(kind=DocumentKind.AGENT_PROFILE, agent_key=_agent_key(request))
    return _resource(request, owner, "profileId", many_on_delete=False)


@lrs_view(("GET",), frozenset({"activityId"}))
def activities(request):
    iri = _required(request, "activityId")
    if not IRI_RE.match(iri):
        raise LRSError(_("The parameter activityId must be an IRI."), 400)
    known = ActivityDefinition.objects.filter(activity_key=keys.activity_key(iri)).first()
    activity = {"objectType": "Activity", "id": iri}
    if known is not None and known.definition:
        activity["definition"] = known.definition
    return xapi_response(activity)


@lrs_view(("GET",), frozenset({"agent"}))
def agents(request):
    """The Person object for an agent: what the LRS knows of it (here, the identifiers it was given)."""
    agent = _agent(request)
    if agent.get("objectType") == "Group":
        raise LRSError(_("The Agents resource takes an Agent, not a Group."), 400)
    person: dict = {"objectType": "Person"}
    if isinstance(agent.get("name"), str):
        person["name"] = [agent["name"]]
    for ifi in keys.IFIS:
        if ifi in agent:
            person[ifi] = [agent[ifi]]
    return xapi_response(person)


@lrs_view(("GET",), frozenset(), anonymous=True, versioned=False)
def about(request):
    return xapi_response({"version": SUPPORTED_VERSIONS, "extensions": {}})
