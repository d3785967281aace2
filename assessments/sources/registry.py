"""The source registry: one entry per kind of evidence source.

Every evidence row says where it comes from with ``source_ref`` = "<prefix>:<key>". Each kind here
knows, for its prefix:

* ``source``: the ``EvidenceSource`` its rows carry (a quiz reference on an "h5p" row is refused);
* ``existing(person_id, keys)``: which keys name a real source of that person (one query for any
  number of keys), used by the evidence services to refuse a reference that points at nothing;
* ``resolve(evidence, viewer)``: what the source page shows (``Resolved``), or None when the source
  is gone.

Kinds today: quiz attempts, an H5P activity's combined result, single H5P attempts (evidence recorded
before attempts were combined), manual assessments, and manual assessments recorded before they were a
model (resolved through their audit entry). A new source (the placement test, SCORM) adds one class
here and registers it with ``register``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assessments import errors
from assessments.errors import EvidenceError
from lms.boundaries.params import digits


@dataclass
class Resolved:
    """What the evidence page shows about a source: a title, facts (label, value) and a partial
    template with its context; ``open_url``: a page of the source itself the viewer may open."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    open_url: str | None = None


class SourceKind:
    prefix: str = ""
    source: str = ""
    numeric_keys: bool = True
    # Written only before this registry existed: still resolvable, refused for new evidence.
    legacy: bool = False

    def existing(self, person_id: int, keys: list[str]) -> set[str]:
        raise NotImplementedError

    def resolve(self, evidence, viewer) -> Resolved | None:
        raise NotImplementedError

    def key_of(self, source_ref: str) -> str:
        return source_ref.split(":", 1)[1]


_KINDS: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> SourceKind:
    if kind.prefix in _KINDS:
        raise ValueError(f"source kind {kind.prefix!r} registered twice")
    _KINDS[kind.prefix] = kind
    return kind


def kinds() -> dict[str, SourceKind]:
    return dict(_KINDS)


def kind_of(source_ref: str) -> SourceKind | None:
    prefix, sep, key = (source_ref or "").partition(":")
    kind = _KINDS.get(prefix)
    if kind is None or not sep or not key or (kind.numeric_keys and not digits(key)):
        return None
    return kind


def check_refs(*, source: str, person_id: int, refs: Iterable[str]) -> None:
    """Refuse (EvidenceError, nothing written) a reference of an unknown kind, of another source, or
    naming nothing of this person. One query per kind involved."""
    wanted: dict[SourceKind, list[str]] = defaultdict(list)
    for ref in refs:
        kind = kind_of(ref)
        if kind is None or kind.legacy:
            raise EvidenceError(errors.UNKNOWN_SOURCE_REF % {"ref": ref}, field="source_ref")
        if kind.source != source:
            raise EvidenceError(errors.SOURCE_REF_OF_OTHER_SOURCE % {"ref": ref, "source": source}, field="source_ref")
        wanted[kind].append(kind.key_of(ref))
    for kind, keys in wanted.items():
        found = kind.existing(person_id, keys)
        for key in keys:
            if key not in found:
                raise EvidenceError(
                    errors.SOURCE_NOT_FOUND % {"ref": f"{kind.prefix}:{key}"}, field="source_ref", code="no_source"
                )


def resolvable(evidence_rows: Iterable[tuple[int, str]]) -> dict[tuple[int, str], bool]:
    """Which ``(person_id, source_ref)`` pairs name an existing source (one query per kind and person
    group; used by checks over many rows, such as the demo's)."""
    by_kind: dict[tuple[SourceKind, int], set[str]] = defaultdict(set)
    out: dict[tuple[int, str], bool] = {}
    for person_id, ref in evidence_rows:
        kind = kind_of(ref)
        if kind is None:
            out[(person_id, ref)] = False
        else:
            by_kind[(kind, person_id)].add(kind.key_of(ref))
    for (kind, person_id), keys in by_kind.items():
        found = kind.existing(person_id, sorted(keys))
        for key in keys:
            out[(person_id, f"{kind.prefix}:{key}")] = key in found
    return out


def resolve(evidence, viewer) -> tuple[SourceKind | None, Resolved | None]:
    kind = kind_of(evidence.source_ref)
    if kind is None or kind.source != evidence.source:
        return kind, None
    return kind, kind.resolve(evidence, viewer)


from . import kinds as _kinds  # noqa: E402,F401  (registers the built-in kinds)
