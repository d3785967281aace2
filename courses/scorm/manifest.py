"""Reading ``imsmanifest.xml`` of a SCORM 1.2 or SCORM 2004 (3rd/4th edition) package: pure, no ORM.

``manifest_parse(xml_bytes, names)`` parses the manifest safely (defusedxml: no entities, no
external references), finds the SCORM version (``schemaversion``, else the namespaces), walks the
default organization's items into a flat table of contents, resolves each item's launch file
(``xml:base`` of ``resources`` and ``resource``, ``href``, the item's ``parameters``) and checks
that every launch file is in the package (``names``). It raises ``SCORMPackageError`` with a
message for people on the first problem.

Sequencing (``imsss:sequencing``, rollup rules, navigation controls, pre/post conditions) is
read only as far as a simple table of contents needs: items are played in manifest order or
chosen from the table of contents.
"""

from __future__ import annotations

import posixpath
from dataclasses import asdict, dataclass, field
from urllib.parse import unquote, urlsplit

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from .errors import SCORMPackageError

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_ITEMS = 1000

VERSION_12 = "1.2"
VERSION_2004_3 = "2004-3"
VERSION_2004_4 = "2004-4"


@dataclass(frozen=True)
class Item:
    """One entry of the table of contents. ``launch`` is empty for an aggregation (a heading)."""

    identifier: str
    title: str
    depth: int
    launch: str = ""
    scorm_type: str = ""  # "sco" or "asset"; "" for an aggregation
    parameters: str = ""
    mastery_score: float | None = None
    data_from_lms: str = ""
    completion_threshold: float | None = None


@dataclass
class Manifest:
    version: str
    identifier: str
    title: str
    items: list[Item]
    warnings: list[str] = field(default_factory=list)

    @property
    def launchable(self) -> list[Item]:
        return [item for item in self.items if item.launch]

    def as_json(self) -> list[dict]:
        return [asdict(item) for item in self.items]


def _refuse(message: str, code: str = "invalid_manifest") -> None:
    raise SCORMPackageError(message, code=code)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _attr(element, name: str) -> str:
    """An attribute by local name, whatever its namespace or case (1.2 ``scormtype``, 2004 ``scormType``)."""
    wanted = name.casefold()
    for key, value in element.attrib.items():
        if _local(key).casefold() == wanted:
            return value.strip()
    return ""


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _detect_version(root) -> str:
    metadata = _child(root, "metadata")
    schema_version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    lowered = schema_version.casefold()
    if lowered in ("1.2",):
        return VERSION_12
    if "4th" in lowered:
        return VERSION_2004_4
    if "2004" in lowered or lowered == "cam 1.3":
        return VERSION_2004_3
    namespaces = " ".join([root.tag, *(str(k) for k in root.attrib), *(str(v) for v in root.attrib.values())])
    text = namespaces + " ".join(str(el.tag) + " ".join(map(str, el.attrib)) for el in root.iter())
    if "adlcp_v1p3" in text or "imsss" in text:
        return VERSION_2004_3
    if "adlcp_rootv1p2" in text or "imscp_rootv1p1p2" in text:
        return VERSION_12
    _refuse(_("imsmanifest.xml does not say which SCORM version it follows (1.2 or 2004)."), "unknown_version")
    return ""  # unreachable


def _join_base(*parts: str) -> str:
    path = ""
    for part in parts:
        if not part:
            continue
        path = part if urlsplit(part).scheme or part.startswith("/") else posixpath.join(path, part)
    return path


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _launch_path(href: str, names: set[str]) -> tuple[str, str]:
    """``(file, query)`` of a launch ``href``; refuses one that leaves the package or is not in it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        _refuse(
            _("The launch address %(href)s points outside the package; SCORM content must be inside it.")
            % {"href": href},
            "launch_outside",
        )
    path = posixpath.normpath(unquote(parts.path))
    if path.startswith("../") or path in ("..", "."):
        _refuse(_("The launch address %(href)s leaves the package.") % {"href": href}, "launch_outside")
    if path not in names:
        _refuse(
            _("The launch file %(path)s named in imsmanifest.xml is not in the package.") % {"path": path},
            "launch_missing",
        )
    return path, parts.query


def manifest_parse(data: bytes, names: set[str]) -> Manifest:
    try:
        root = SafeET.fromstring(data)
    except (DefusedXmlException, SafeET.ParseError, ValueError) as exc:
        _refuse(_("imsmanifest.xml is not well-formed XML: %(error)s") % {"error": exc}, "broken_manifest")
    if _local(root.tag) != "manifest":
        _refuse(_("imsmanifest.xml does not start with a <manifest> element."), "broken_manifest")
    version = _detect_version(root)

    resources_el = _child(root, "resources")
    resources_base = _attr(resources_el, "base") if resources_el is not None else ""
    resources: dict[str, object] = {}
    for resource in _children(resources_el, "resource") if resources_el is not None else []:
        identifier = _attr(resource, "identifier")
        if identifier:
            resources[identifier] = resource

    organizations = _child(root, "organizations")
    orgs = _children(organizations, "organization") if organizations is not None else []
    if not orgs:
        _refuse(_("imsmanifest.xml has no organization (no table of contents to play)."), "no_organization")
    default = _attr(organizations, "default")
    organization = next((o for o in orgs if _attr(o, "identifier") == default), orgs[0])
    title = _text(_child(organization, "title")) or _attr(root, "identifier")

    items: list[Item] = []
    seen: set[str] = set()

    def walk(element, depth: int) -> None:
        for item_el in _children(element, "item"):
            if len(items) >= MAX_ITEMS:
                _refuse(_("imsmanifest.xml lists more than %(limit)d items.") % {"limit": MAX_ITEMS}, "too_many_items")
            identifier = _attr(item_el, "identifier")
            if not identifier or identifier in seen:
                _refuse(
                    _("An item in imsmanifest.xml has no identifier or repeats one: %(id)r.") % {"id": identifier},
                    "broken_manifest",
                )
            seen.add(identifier)
            if _attr(item_el, "isvisible").casefold() == "false":
                continue
            item_title = _text(_child(item_el, "title")) or identifier
            ref = _attr(item_el, "identifierref")
            launch = scorm_type = query = ""
            if ref:
                resource = resources.get(ref)
                if resource is None:
                    _refuse(
                        _("The item %(item)s refers to a resource %(ref)s that imsmanifest.xml does not list.")
                        % {"item": identifier, "ref": ref},
                        "broken_manifest",
                    )
                href = _attr(resource, "href")
                if not href:
                    _refuse(
                        _("The resource %(ref)s of item %(item)s has no launch file (href).")
                        % {"ref": ref, "item": identifier},
                        "launch_missing",
                    )
                path, query = _launch_path(_join_base(resources_base, _attr(resource, "base"), href), names)
                launch = path
                scorm_type = (_attr(resource, "scormtype") or "asset").casefold()
            parameters = _attr(item_el, "parameters")
            if parameters:
                parameters = parameters.lstrip("?&")
            if query:
                parameters = "&".join(p for p in (query, parameters) if p)
            mastery = _number(_text(_child(item_el, "masteryscore")), 0, 100)
            threshold_el = _child(item_el, "completionThreshold")
            threshold = None
            if threshold_el is not None:
                threshold = _number(_attr(threshold_el, "minProgressMeasure") or _text(threshold_el), 0, 1)
            data_from_lms = _text(_child(item_el, "dataFromLMS") or _child(item_el, "datafromlms"))[:4096]
            items.append(
                Item(
                    identifier=identifier[:200],
                    title=item_title[:255],
                    depth=depth,
                    launch=launch,
                    scorm_type=scorm_type if launch else "",
                    parameters=parameters[:1000],
                    mastery_score=mastery,
                    data_from_lms=data_from_lms,
                    completion_threshold=threshold,
                )
            )
            walk(item_el, depth + 1)

    walk(organization, 0)
    manifest = Manifest(version=version, identifier=_attr(root, "identifier")[:255], title=title[:255], items=items)
    if not manifest.launchable:
        _refuse(_("No item of imsmanifest.xml launches anything (no SCO or asset to play)."), "launch_missing")
    if _child(organization, "sequencing") is not None or any(
        _local(el.tag) == "sequencing" for el in organization.iter()
    ):
        manifest.warnings.append(
            _("The package defines SCORM 2004 sequencing rules; HocSo plays its items in order or as chosen.")
        )
    return manifest
